package i18n

// Reference data managed by admins: themes and territories (with their
// parents), the API's messages and the page /admin/referentiel.
var enReference = map[string]string{
	"kind.departement": "Département",

	"field.slug":        "identifier",
	"field.label_fr":    "French label",
	"field.label_en":    "English label",
	"field.code":        "code",
	"field.kind":        "kind",
	"field.parent_code": "parent territory",
	"field.retired":     "retired",

	"field.slug_format":       "The field “%s” must start with a lower-case letter followed by 1 to 39 lower-case letters, digits or “_” (no accents).",
	"field.code_format":       "The field “%s” may only hold lower-case letters without accents, digits and hyphens (40 characters at most, no leading hyphen).",
	"field.parent_required":   "The field “%s” is required: an employment zone belongs to a département.",
	"field.parent_kind":       "The field “%s” does not fit: the parent of a territory of kind “%s” must be of kind “%s”.",
	"field.parent_none":       "The field “%s” must stay empty: a territory of kind “%s” has no parent.",
	"field.parent_cycle":      "The field “%s” does not fit: a territory cannot belong to itself or to one of the territories it contains.",
	"field.retired_territory": "The field “%s” names a retired territory.",

	"error.theme_taken":     "A theme already exists with this identifier (it may be retired).",
	"error.territory_taken": "A territory already exists with this code (it may be retired).",

	"web.nav.reference": "Themes and territories",

	"web.label.slug":        "Identifier",
	"web.label.label_fr":    "French label",
	"web.label.label_en":    "English label",
	"web.label.code":        "Code",
	"web.label.kind":        "Kind",
	"web.label.parent_code": "Parent territory",
	"web.hint.slug":         "Lower-case letters without accents, digits and “_”, for example “access_to_rights”. It cannot be changed later.",
	"web.hint.code":         "Lower-case letters without accents, digits and hyphens, for example “ze-champagnole”. It cannot be changed later.",
	"web.hint.parent_code":  "Required for an employment zone: its département.",

	"web.reference.title":                 "Themes and territories",
	"web.reference.heading":               "Themes and territories",
	"web.reference.lead":                  "A retired item is no longer offered for new needs or new pilots; existing records keep it and still show its name. It can be restored at any time.",
	"web.reference.themes":                "Themes",
	"web.reference.territories":           "Territories",
	"web.reference.theme_count.one":       "%s theme",
	"web.reference.theme_count.other":     "%s themes",
	"web.reference.territory_count.one":   "%s territory",
	"web.reference.territory_count.other": "%s territories",
	"web.reference.in_use":                "Offered",
	"web.reference.retired":               "Retired",
	"web.reference.rename":                "Edit",
	"web.reference.save":                  "Save",
	"web.reference.retire":                "Retire",
	"web.reference.restore":               "Restore",
	"web.reference.add_theme":             "Add a theme",
	"web.reference.add_theme_submit":      "Add the theme",
	"web.reference.add_territory":         "Add a territory",
	"web.reference.add_territory_submit":  "Add the territory",

	"web.flash.theme_added":        "The theme was added.",
	"web.flash.theme_saved":        "The theme was saved.",
	"web.flash.theme_retired":      "The theme was retired: it is no longer offered for new needs.",
	"web.flash.theme_restored":     "The theme was restored.",
	"web.flash.territory_added":    "The territory was added.",
	"web.flash.territory_saved":    "The territory was saved.",
	"web.flash.territory_retired":  "The territory was retired: it is no longer offered for new needs or new pilots.",
	"web.flash.territory_restored": "The territory was restored.",
}
