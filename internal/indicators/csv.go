package indicators

import (
	"slices"

	"essor/internal/csvexport"
)

// Row is one line of a flat table of indicators: what is counted, for which
// key (a stage, a territory, a month…), its label for people, the value.
type Row struct {
	Indicator string
	Title     string // the indicator's name for people
	Key       string
	Label     string
	Value     float64
}

// Labeller names a key for people: kind is "stage", "theme", "territory",
// "funder", "legal_form", "indicator".
type Labeller func(kind, key string) string

// Rows flattens a report into one table (the CSV, the charts' tables).
func (r Report) Rows(label Labeller) []Row {
	var out []Row
	add := func(ind, kind, key string, v float64) {
		l := key
		if kind != "" {
			l = label(kind, key)
		}
		out = append(out, Row{Indicator: ind, Title: label("indicator", ind), Key: key, Label: l, Value: v})
	}
	add("needs_total", "", "", float64(r.Needs.Total))
	for _, c := range r.Needs.ByStage {
		add("needs_by_stage", "stage", c.Key, float64(c.N))
	}
	for _, t := range r.Needs.ByTerritory {
		add("needs_by_territory", "", t.Code, float64(t.N))
		out[len(out)-1].Label = t.Name
		for _, z := range t.Zones {
			add("needs_by_territory", "", z.Code, float64(z.N))
			out[len(out)-1].Label = t.Name + " — " + z.Name
		}
	}
	for _, c := range r.Needs.ByTheme {
		add("needs_by_theme", "theme", c.Key, float64(c.N))
	}
	for _, t := range r.TimeInStage {
		add("days_in_stage", "stage", string(t.Stage), t.AvgDays)
	}
	add("overdue_total", "", "", float64(r.Overdue.Total))
	for _, c := range r.Overdue.ByStage {
		if c.N > 0 {
			add("overdue_by_stage", "stage", c.Key, float64(c.N))
		}
	}
	add("pilots", "", "", float64(r.Pilots))
	add("deployments", "", "", float64(r.Deployments))
	p := r.Projects
	add("projects_deployed", "", "", float64(p.Deployed))
	add("structures_created", "", "", float64(p.StructuresCreated))
	add("structures_taken_over", "", "", float64(p.StructuresTaken))
	add("structures_scop", "", "", float64(p.SCOP))
	add("structures_scic", "", "", float64(p.SCIC))
	add("jobs_created", "", "", p.JobsCreated)
	add("projects_fca_region", "", "", float64(p.FCAAndRegion))
	for _, k := range sortedKeys(p.FundingEUR) {
		add("funding_eur", "funder", k, p.FundingEUR[k])
	}
	sa := r.StudyActions
	for _, c := range sa.ByStage {
		add("study_actions_by_stage", "stage", c.Key, float64(c.N))
	}
	add("study_actions_enterprises_created", "", "", float64(sa.EnterprisesCreated))
	add("study_actions_jobs_created", "", "", sa.JobsCreated)
	for _, k := range sortedKeys(sa.CommittedEUR) {
		add("study_actions_committed_eur", "funder", k, sa.CommittedEUR[k])
	}
	if sa.Leverage != nil {
		add("study_actions_leverage", "", "", *sa.Leverage)
	}
	add("rally_rounds", "", "", float64(r.Rally.Rounds))
	add("rally_entries", "", "", float64(r.Rally.Entries))
	for _, k := range sortedKeys(r.Rally.ByKind) {
		add("rally_entries_by_kind", "rally.kind", k, float64(r.Rally.ByKind[k]))
	}
	add("rally_selected", "", "", float64(r.Rally.Selected))
	add("rally_trophies", "", "", float64(r.Rally.Trophies))
	for _, m := range r.Months {
		add("needs_submitted_by_month", "", m.Month, float64(m.Submitted))
		add("projects_deployed_by_month", "", m.Month, float64(m.Deployed))
		add("jobs_created_by_month", "", m.Month, m.Jobs)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Decimal writes a number with a decimal comma and no thousands separator
// (what spreadsheets read as a number), as the CSV exports do.
func Decimal(v float64) string { return csvexport.FormatDecimal(v) }
