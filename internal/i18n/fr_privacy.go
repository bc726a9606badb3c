package i18n

// Personal data (RGPD): export, erasure, retention, and what anonymous
// visitors see of individuals.
var frPrivacy = map[string]string{
	"error.already_erased": "Cette personne a déjà été effacée.",
	"error.account_erased": "Ce compte a été effacé : il ne peut plus être modifié ni réactivé.",
	"error.erase_self":     "Vous ne pouvez pas effacer votre propre compte.",

	"privacy.individual":       "un particulier",
	"privacy.retention_reason": "Durée de conservation des comptes fermés écoulée (%s).",

	"web.privacy.heading":       "Données personnelles (RGPD)",
	"web.privacy.export":        "Exporter les données (RGPD)",
	"web.privacy.erase_link":    "Effacer cette personne (RGPD)…",
	"web.privacy.erase_title":   "Effacer une personne",
	"web.privacy.erase_heading": "Effacer %s",
	"web.privacy.erase_intro":   "L'effacement est définitif :",
	"web.privacy.erase_account": "le compte est fermé, ses sessions sont terminées ; son nom, son adresse e-mail et son mot de passe sont supprimés ;",
	"web.privacy.erase_records": "sur les besoins, les votes, les porteurs, les soutiens et l'historique, son nom est remplacé par « %s » ;",
	"web.privacy.erase_trail":   "l'historique garde les faits (quelle action, quand) sans l'identité, et consigne l'effacement : par qui, quand et pourquoi.",
	"web.privacy.erase_final":   "Cette opération ne peut pas être annulée.",
	"web.privacy.export_first":  "Exporter d'abord ses données",
	"web.privacy.reason_label":  "Motif de l'effacement",
	"web.privacy.reason_hint":   "Par exemple : demande de la personne reçue le 3 mars. Le motif est conservé dans l'historique : n'y écrivez pas son nom.",
	"web.privacy.erase_submit":  "Effacer définitivement",
	"web.privacy.cancel":        "Annuler",
	"web.privacy.back":          "← Retour au compte",
	"web.privacy.erased_on":     "Cette personne a été effacée le %s : le compte ne peut plus être modifié ni réactivé.",
	"web.privacy.erased":        "Effacé",
	"web.flash.account_erased":  "La personne a été effacée : son nom n'apparaît plus dans Essor.",
}
