package i18n

// Officer assignment: who is in charge of a need, "mes dossiers", the
// board's officer filter.
var frAssign = map[string]string{
	"action.assign":           "Attribution du dossier",
	"field.officer_id":        "chargé(e) de mission",
	"field.officer":           "chargé(e) de mission",
	"field.officer_unknown":   "Le champ « %s » doit désigner un compte actif de chargé(e) de mission.",
	"field.officer_unchanged": "Le champ « %s » désigne déjà la personne chargée de ce dossier.",
	"field.officer_filter":    "Le paramètre « %s » doit valoir « me » ou l'identifiant (UUID) d'un compte.",

	"web.act.assign":          "Attribuer le dossier",
	"web.act_help.assign":     "Choisissez le ou la chargé(e) de mission qui suit ce projet ; les relances le nommeront.",
	"web.act_submit.assign":   "Attribuer le dossier",
	"web.flash.action.assign": "Le dossier est attribué.",
	"web.label.officer_id":    "Chargé(e) de mission",

	"web.assign.officer":       "Chargé(e) de mission",
	"web.assign.nobody":        "Aucun chargé de mission",
	"web.assign.me":            "Me l'attribuer (%s)",
	"web.assign.current":       "%s (en charge actuellement)",
	"web.assign.timeline":      "Dossier confié à %s.",
	"web.assign.reminder":      "Chargé(e) de mission : %s.",
	"web.assign.card":          "Suivi par %s",
	"web.assign.filter_label":  "Chargé(e) de mission",
	"web.assign.any_officer":   "Tous les chargés de mission",
	"web.assign.filter_me":     "Mes dossiers (%s)",
	"web.assign.filter_submit": "Filtrer",
	"web.assign.filter_clear":  "Voir tous les projets",

	"web.nav.files":      "Mes dossiers",
	"web.files.title":    "Mes dossiers",
	"web.files.heading":  "Mes dossiers",
	"web.files.lead":     "Les projets dont vous êtes chargé(e) de mission : ceux en cours d'abord, les plus récemment actifs en premier.",
	"web.files.list":     "Vos dossiers",
	"web.files.activity": "Dernière activité",
	"web.files.empty":    "Aucun dossier ne vous est attribué pour l'instant. Les besoins que vous qualifiez vous sont attribués.",
	"web.files.more":     "Seuls vos %s dossiers les plus récemment actifs sont affichés.",
}
