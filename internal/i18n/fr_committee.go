package i18n

// The committee of every programme.
var frCommittee = map[string]string{
	"error.stake_organisation":           "Vous ne pouvez pas voter sur cette décision : votre organisation (« %s ») a déposé ou porte ce projet.",
	"error.stake_submitter":              "Vous ne pouvez pas voter sur cette décision : vous avez déposé ce projet.",
	"error.stake_study":                  "Vous ne pouvez pas voter sur cette décision : vous avez mené l'étude de ce projet.",
	"error.stake_institution":            "Vous ne pouvez pas voter sur cette décision : un membre de votre institution (%s) y a un intérêt, elle ne vote pas.",
	"error.institution_unknown":          "Cette institution n'existe pas.",
	"error.institution_taken":            "Une institution porte déjà cet identifiant.",
	"field.member_unknown":               "Le champ « %s » désigne un compte inconnu ou fermé : %s.",
	"web.committee.quorum_institutions":  "quorum : %s voix, une par institution",
	"web.need.ballot_open_institutions":  "Vote en cours : %s (quorum : %s voix, une par institution). Le détail sera publié une fois la décision prise.",
	"web.institutions.title":             "Institutions du comité de pilotage",
	"web.institutions.lead":              "Chaque institution a une voix dans les votes du comité : celle de ses membres quand ils sont d'accord ; elle s'abstient quand ils divergent et ne vote pas quand l'un d'eux a un intérêt dans le dossier. Un compte ne parle que pour une institution.",
	"web.institutions.members":           "Comptes qui siègent pour %s",
	"web.institutions.elsewhere":         "siège aujourd'hui pour %s",
	"web.institutions.save":              "Enregistrer les membres",
	"web.institutions.no_member_account": "Aucun compte n'a le rôle comité : créez-en d'abord dans Comptes.",
	"web.institutions.add":               "Ajouter une institution",
	"web.institutions.add_submit":        "Ajouter l'institution",
	"web.flash.institution_added":        "L'institution est ajoutée.",
	"web.flash.institution_saved":        "Les membres de l'institution sont enregistrés.",
	"web.nav.institutions":               "Institutions du comité",
}
