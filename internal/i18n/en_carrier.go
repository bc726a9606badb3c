package i18n

// Carrier search: its deadline, declined proposals, one live proposal per
// organisation; supports carried over by a merge, and no self-support.
var enCarrier = map[string]string{
	"kind.carrier_search_overdue": "No carrier chosen in time",

	"action.decline_carrier":         "Carrier proposal declined",
	"error.carrier_already_proposed": "This organisation already has a live carrier proposal on this project: one per organisation.",
	"error.support_own_need":         "Your organisation reported this need: it cannot support it itself.",
	"field.live_carrier":             "The field “%s” must name a live carrier proposal (neither declined nor unknown) of this project.",
	"field.carrier_declined":         "The field “%s” names a declined proposal: it cannot be chosen.",

	"web.act.decline_carrier":          "Decline this proposal",
	"web.act_help.decline_carrier":     "Say why this proposal is not taken up; the reason is shown on the page.",
	"web.act_submit.decline_carrier":   "Decline this proposal",
	"web.flash.action.decline_carrier": "The carrier proposal is declined.",
	"web.carrier.declined_title":       "Declined proposals",
	"web.carrier.declined":             "Declined",
	"web.carrier.declined_reason":      "Reason",
	"web.carrier.carried":              "Supports taken over from the merged need: %s.",
}
