package i18n

// The real territories: communes and EPCIs from the open data, the commune
// field of the forms, the needs per inhabitant.
var enTerritories = map[string]string{
	"kind.epci":    "Intermunicipality (EPCI)",
	"kind.commune": "Commune",

	"field.parent":          "parent",
	"field.commune":         "commune",
	"field.commune_unknown": "No commune of the region matches the field “%s” (“%s”): check the name, INSEE code or postal code.",
	"field.commune_several": "The field “%s” (“%s”) names several communes: choose yours from the list.",

	"web.label.commune":      "Commune",
	"web.hint.commune":       "If the need concerns one commune: its name, INSEE code or postal code. It narrows the territory chosen above.",
	"web.label.commune_code": "Which of these communes?",
	"web.commune.insee":      "INSEE code %s",
	"web.commune.understood": "Commune understood: %s.",

	"web.reference.open_data": "Besides, %s communes and %s intermunicipalities from INSEE's open data (the package @etalab/decoupage-administratif): they are not changed here; the command make territories regenerates them.",

	"web.ind.rates_departements": "Needs per 10,000 inhabitants, by département",
	"web.ind.rates_epcis":        "Needs per 10,000 inhabitants, by intermunicipality",
	"web.ind.rates_departement":  "Département",
	"web.ind.rates_epci":         "Intermunicipality",
	"web.ind.rates_population":   "Population",
	"web.ind.rates_per_10000":    "Per 10,000 inhabitants",
	"web.ind.rates_note":         "INSEE municipal population (administrative boundaries published by Etalab). A need located in a commune counts for its intermunicipality and its département; a need located at the département counts for it only.",
}
