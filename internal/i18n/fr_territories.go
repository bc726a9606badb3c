package i18n

// The real territories: communes and EPCIs from the open data, the commune
// field of the forms, the needs per inhabitant.
var frTerritories = map[string]string{
	"kind.epci":    "Intercommunalité (EPCI)",
	"kind.commune": "Commune",

	"field.parent":          "parent",
	"field.commune":         "commune",
	"field.commune_unknown": "Aucune commune de la région ne répond au champ « %s » (« %s ») : vérifiez le nom, le code INSEE ou le code postal.",
	"field.commune_several": "Le champ « %s » (« %s ») désigne plusieurs communes : choisissez la vôtre dans la liste.",

	"web.label.commune":      "Commune",
	"web.hint.commune":       "Si le besoin concerne une commune précise : son nom, son code INSEE ou son code postal. Elle précise le territoire choisi ci-dessus.",
	"web.label.commune_code": "Laquelle de ces communes ?",
	"web.commune.insee":      "code INSEE %s",
	"web.commune.understood": "Commune retenue : %s.",

	"web.reference.open_data": "S'y ajoutent %s communes et %s intercommunalités, issues des données ouvertes de l'INSEE (paquet @etalab/decoupage-administratif) : elles ne se modifient pas ici, la commande make territories les régénère.",

	"web.ind.rates_departements": "Besoins pour 10 000 habitants, par département",
	"web.ind.rates_epcis":        "Besoins pour 10 000 habitants, par intercommunalité",
	"web.ind.rates_departement":  "Département",
	"web.ind.rates_epci":         "Intercommunalité",
	"web.ind.rates_population":   "Population",
	"web.ind.rates_per_10000":    "Pour 10 000 habitants",
	"web.ind.rates_note":         "Population municipale de l'INSEE (découpage administratif publié par Etalab). Un besoin situé dans une commune compte pour son intercommunalité et son département ; un besoin situé au niveau du département ne compte que pour lui.",
}
