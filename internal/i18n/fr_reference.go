package i18n

// Reference data managed by admins: themes and territories (with their
// parents), the API's messages and the page /admin/referentiel.
var frReference = map[string]string{
	"kind.departement": "Département",

	"field.slug":        "identifiant",
	"field.label_fr":    "libellé en français",
	"field.label_en":    "libellé en anglais",
	"field.code":        "code",
	"field.kind":        "type",
	"field.parent_code": "territoire parent",
	"field.retired":     "retiré",

	"field.slug_format":       "Le champ « %s » doit commencer par une lettre minuscule, suivie de 1 à 39 lettres minuscules, chiffres ou « _ » (sans accent).",
	"field.code_format":       "Le champ « %s » ne peut contenir que des lettres minuscules sans accent, des chiffres et des tirets (40 caractères au plus, sans tiret au début).",
	"field.parent_required":   "Le champ « %s » est obligatoire : une zone d'emploi appartient à un département.",
	"field.parent_kind":       "Le champ « %s » ne convient pas : le parent d'un territoire de type « %s » doit être de type « %s ».",
	"field.parent_none":       "Le champ « %s » doit rester vide : un territoire de type « %s » n'a pas de parent.",
	"field.parent_cycle":      "Le champ « %s » ne convient pas : un territoire ne peut pas appartenir à lui-même ni à l'un des territoires qu'il contient.",
	"field.retired_territory": "Le champ « %s » désigne un territoire retiré.",

	"error.theme_taken":     "Une thématique existe déjà avec cet identifiant (elle est peut-être retirée).",
	"error.territory_taken": "Un territoire existe déjà avec ce code (il est peut-être retiré).",

	"web.nav.reference": "Thématiques et territoires",

	"web.label.slug":        "Identifiant",
	"web.label.label_fr":    "Libellé en français",
	"web.label.label_en":    "Libellé en anglais",
	"web.label.code":        "Code",
	"web.label.kind":        "Type",
	"web.label.parent_code": "Territoire parent",
	"web.hint.slug":         "Lettres minuscules sans accent, chiffres et « _ », par exemple « acces_aux_droits ». Il ne pourra plus être changé.",
	"web.hint.code":         "Lettres minuscules sans accent, chiffres et tirets, par exemple « ze-champagnole ». Il ne pourra plus être changé.",
	"web.hint.parent_code":  "Obligatoire pour une zone d'emploi : son département.",

	"web.reference.title":                 "Thématiques et territoires",
	"web.reference.heading":               "Thématiques et territoires",
	"web.reference.lead":                  "Un élément retiré n'est plus proposé pour les nouveaux besoins ni pour les nouvelles expérimentations ; les dossiers existants le conservent et continuent d'afficher son nom. Il peut être rétabli à tout moment.",
	"web.reference.themes":                "Thématiques",
	"web.reference.territories":           "Territoires",
	"web.reference.theme_count.one":       "%s thématique",
	"web.reference.theme_count.other":     "%s thématiques",
	"web.reference.territory_count.one":   "%s territoire",
	"web.reference.territory_count.other": "%s territoires",
	"web.reference.in_use":                "Proposé",
	"web.reference.retired":               "Retiré",
	"web.reference.rename":                "Modifier",
	"web.reference.save":                  "Enregistrer",
	"web.reference.retire":                "Retirer",
	"web.reference.restore":               "Rétablir",
	"web.reference.add_theme":             "Ajouter une thématique",
	"web.reference.add_theme_submit":      "Ajouter la thématique",
	"web.reference.add_territory":         "Ajouter un territoire",
	"web.reference.add_territory_submit":  "Ajouter le territoire",

	"web.flash.theme_added":        "La thématique a été ajoutée.",
	"web.flash.theme_saved":        "La thématique a été enregistrée.",
	"web.flash.theme_retired":      "La thématique a été retirée : elle n'est plus proposée pour les nouveaux besoins.",
	"web.flash.theme_restored":     "La thématique a été rétablie.",
	"web.flash.territory_added":    "Le territoire a été ajouté.",
	"web.flash.territory_saved":    "Le territoire a été enregistré.",
	"web.flash.territory_retired":  "Le territoire a été retiré : il n'est plus proposé pour les nouveaux besoins ni les nouvelles expérimentations.",
	"web.flash.territory_restored": "Le territoire a été rétabli.",
}
