package i18n

// Performance at scale: the board's bounded columns and counts.
var frPerf = map[string]string{
	"web.board.overdue_at_least.one":            "au moins %s en retard",
	"web.board.overdue_at_least.other":          "au moins %s en retard",
	"web.board.overdue_total_at_least.one":      "Au moins %s projet a dépassé son échéance.",
	"web.board.overdue_total_at_least.other":    "Au moins %s projets ont dépassé leur échéance.",
	"web.board.filter_search":                   "Filtrer le tableau de bord",
	"web.committee.pending.one":                 "%s décision attend le comité de pilotage.",
	"web.committee.pending.other":               "%s décisions attendent le comité de pilotage.",
	"web.committee.votes_cast.one":              "%s vote exprimé",
	"web.committee.votes_cast.other":            "%s votes exprimés",
	"web.committee.quorum":                      "quorum : %s",
	"web.committee.recommendation.need":         "Recommandation de l'étude : %s",
	"web.committee.recommendation.study_action": "Avis de l'instruction : %s",
}
