package i18n

// Carrier search: its deadline, declined proposals, one live proposal per
// organisation; supports carried over by a merge, and no self-support.
var frCarrier = map[string]string{
	"kind.carrier_search_overdue": "Aucun porteur choisi dans le délai prévu",

	"action.decline_carrier":         "Proposition de porteur déclinée",
	"error.carrier_already_proposed": "Cette organisation a déjà une proposition de porteur en cours sur ce projet : une seule par organisation.",
	"error.support_own_need":         "Votre organisation a remonté ce besoin : elle ne peut pas le soutenir elle-même.",
	"field.live_carrier":             "Le champ « %s » doit désigner une proposition de porteur en cours (ni déclinée, ni inconnue) de ce projet.",
	"field.carrier_declined":         "Le champ « %s » désigne une proposition déclinée : elle ne peut pas être retenue.",

	"web.act.decline_carrier":          "Décliner cette proposition",
	"web.act_help.decline_carrier":     "Indiquez pourquoi cette proposition n'est pas retenue ; le motif est visible sur la fiche.",
	"web.act_submit.decline_carrier":   "Décliner cette proposition",
	"web.flash.action.decline_carrier": "La proposition de porteur est déclinée.",
	"web.carrier.declined_title":       "Propositions déclinées",
	"web.carrier.declined":             "Déclinée",
	"web.carrier.declined_reason":      "Motif",
	"web.carrier.carried":              "Soutiens repris du besoin fusionné : %s.",
}
