package i18n

// Performance at scale: the board's bounded columns and counts.
var enPerf = map[string]string{
	"web.board.overdue_at_least.one":            "at least %s overdue",
	"web.board.overdue_at_least.other":          "at least %s overdue",
	"web.board.overdue_total_at_least.one":      "At least %s project is past its deadline.",
	"web.board.overdue_total_at_least.other":    "At least %s projects are past their deadline.",
	"web.board.filter_search":                   "Filter the board",
	"web.committee.pending.one":                 "%s decision awaits the steering committee.",
	"web.committee.pending.other":               "%s decisions await the steering committee.",
	"web.committee.votes_cast.one":              "%s vote cast",
	"web.committee.votes_cast.other":            "%s votes cast",
	"web.committee.quorum":                      "quorum: %s",
	"web.committee.recommendation.need":         "The study recommends: %s",
	"web.committee.recommendation.study_action": "The appraisal: %s",
}
