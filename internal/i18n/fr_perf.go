package i18n

// Performance at scale: the board's bounded columns and counts.
var frPerf = map[string]string{
	"web.board.overdue_at_least.one":         "au moins %s en retard",
	"web.board.overdue_at_least.other":       "au moins %s en retard",
	"web.board.overdue_total_at_least.one":   "Au moins %s projet a dépassé son échéance.",
	"web.board.overdue_total_at_least.other": "Au moins %s projets ont dépassé leur échéance.",
	"web.board.filter_search":                "Filtrer le tableau de bord",
	"web.committee.in_stage.one":             "%s projet en attente du comité de pilotage.",
	"web.committee.in_stage.other":           "%s projets en attente du comité de pilotage.",
}
