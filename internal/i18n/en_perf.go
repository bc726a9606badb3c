package i18n

// Performance at scale: the board's bounded columns and counts.
var enPerf = map[string]string{
	"web.board.overdue_at_least.one":         "at least %s overdue",
	"web.board.overdue_at_least.other":       "at least %s overdue",
	"web.board.overdue_total_at_least.one":   "At least %s project is past its deadline.",
	"web.board.overdue_total_at_least.other": "At least %s projects are past their deadline.",
	"web.board.filter_search":                "Filter the board",
	"web.committee.in_stage.one":             "%s project awaiting the steering committee.",
	"web.committee.in_stage.other":           "%s projects awaiting the steering committee.",
}
