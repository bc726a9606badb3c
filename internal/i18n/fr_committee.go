package i18n

// The committee of every programme.
var frCommittee = map[string]string{
	"error.stake_organisation":          "Vous ne pouvez pas voter sur cette décision : votre organisation (« %s ») a déposé ou porte ce projet.",
	"error.stake_submitter":             "Vous ne pouvez pas voter sur cette décision : vous avez déposé ce projet.",
	"error.stake_study":                 "Vous ne pouvez pas voter sur cette décision : vous avez mené l'étude de ce projet.",
	"error.stake_institution":           "Vous ne pouvez pas voter sur cette décision : un membre de votre institution (%s) y a un intérêt, elle ne vote pas.",
	"error.institution_unknown":         "Cette institution n'existe pas.",
	"error.institution_taken":           "Une institution porte déjà cet identifiant.",
	"field.member_unknown":              "Le champ « %s » désigne un compte inconnu ou fermé : %s.",
	"web.committee.quorum_institutions": "quorum : %s voix, une par institution",
	"web.need.ballot_open_institutions": "Vote en cours : %s (quorum : %s voix, une par institution). Le détail sera publié une fois la décision prise.",
}
