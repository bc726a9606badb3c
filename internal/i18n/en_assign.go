package i18n

var enAssign = map[string]string{
	"action.assign":           "File assigned",
	"field.officer_id":        "officer",
	"field.officer":           "officer",
	"field.officer_unknown":   "The field “%s” must name an active officer's account.",
	"field.officer_unchanged": "The field “%s” already names the officer in charge of this file.",
	"field.officer_filter":    "The parameter “%s” must be “me” or an account id (UUID).",

	"web.act.assign":          "Assign the file",
	"web.act_help.assign":     "Choose the officer who follows this project; reminders will name them.",
	"web.act_submit.assign":   "Assign the file",
	"web.flash.action.assign": "The file is assigned.",
	"web.label.officer_id":    "Officer in charge",

	"web.assign.officer":       "Officer in charge",
	"web.assign.nobody":        "No officer in charge",
	"web.assign.me":            "Assign to me (%s)",
	"web.assign.current":       "%s (currently in charge)",
	"web.assign.timeline":      "File assigned to %s.",
	"web.assign.reminder":      "Officer in charge: %s.",
	"web.assign.card":          "Followed by %s",
	"web.assign.filter_label":  "Officer in charge",
	"web.assign.any_officer":   "All officers",
	"web.assign.filter_me":     "My files (%s)",
	"web.assign.filter_submit": "Filter",
	"web.assign.filter_clear":  "Show every project",

	"web.nav.files":      "My files",
	"web.files.title":    "My files",
	"web.files.heading":  "My files",
	"web.files.lead":     "The projects you are the officer in charge of: running ones first, most recently active first.",
	"web.files.list":     "Your files",
	"web.files.activity": "Last activity",
	"web.files.empty":    "No file is assigned to you yet. The needs you qualify are assigned to you.",
	"web.files.more":     "Only your %s most recently active files are shown.",
}
