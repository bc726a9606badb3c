package indicators_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"essor/internal/domain"
	"essor/internal/indicators"
	"essor/internal/storage"
	"essor/internal/testdb"
)

var (
	ctx     = context.Background()
	t0      = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	day     = 24 * time.Hour
	actor   = domain.Caller{UserID: "00000000-0000-0000-0000-0000000000a1", Name: "Alice", Organisation: "Mairie", Roles: []domain.Role{domain.RoleActor}}
	officer = domain.Caller{UserID: "00000000-0000-0000-0000-0000000000b1", Name: "Olivier", Roles: []domain.Role{domain.RoleOfficer}}
	member  = domain.Caller{UserID: "00000000-0000-0000-0000-0000000000c1", Name: "Camille", Roles: []domain.Role{domain.RoleCommittee}}
)

func num(v float64) *float64 { return &v }

// seeded stores three needs, moved at known moments through the real domain
// rules and the real saves (so the counters and the stage-time trigger run):
// A (Dole, in the Jura) goes all the way to deployed, B (Doubs) waits
// overdue, C (Jura) is rejected.
func seeded(t *testing.T) *storage.DB {
	t.Helper()
	db, _ := testdb.Fresh(t)
	submit := func(territory, theme string, at time.Time) *domain.Need {
		n, ev := domain.NewNeed(uuid.NewString(), domain.NeedSubmission{Title: "Besoin " + territory, Theme: theme,
			TerritoryCode: territory, Description: "Un besoin du territoire pour les indicateurs."}, actor, at)
		if err := db.SaveNeed(ctx, n, []domain.Event{ev}, nil); err != nil {
			t.Fatal(err)
		}
		return n
	}
	step := func(n *domain.Need, by domain.Caller, at time.Time, in domain.NeedInput) {
		t.Helper()
		events := n.Apply(domain.NeedCommand{NeedInput: in, Caller: by, Quorum: 1, BallotRule: domain.RuleMajority}, at, 90*day)
		if err := db.SaveNeed(ctx, n, events, nil); err != nil {
			t.Fatal(err)
		}
	}
	a := submit("ze-dole", "housing", t0)
	b := submit("25", "mobility", t0.Add(day))
	c := submit("39", "housing", t0.Add(day))

	step(a, officer, t0.Add(2*day), domain.NeedInput{Action: domain.ActionQualify})
	step(a, officer, t0.Add(3*day), domain.NeedInput{Action: domain.ActionStartStudy, DueDate: "2026-06-01"})
	step(a, officer, t0.Add(10*day), domain.NeedInput{Action: domain.ActionSubmitStudy, Recommendation: "go", Summary: "Viable.", BudgetEUR: num(30000)})
	step(a, member, t0.Add(12*day), domain.NeedInput{Action: domain.ActionVote, Decision: domain.DecisionApprove})
	step(a, actor, t0.Add(13*day), domain.NeedInput{Action: domain.ActionProposeCarrier, Organisation: "Régie", Contact: "regie@exemple.fr", Motivation: "Nous portons déjà ce service."})
	step(a, officer, t0.Add(20*day), domain.NeedInput{Action: domain.ActionStartPilot, CarrierID: a.Carriers[0].ID, Territories: []string{"ze-dole"},
		StartDate: "2026-03-22", EndDate: "2026-09-30", BudgetEUR: num(30000), Indicators: []domain.Indicator{{Key: "familles", Label: "Familles"}}})
	step(a, officer, t0.Add(40*day), domain.NeedInput{Action: domain.ActionDeploy, Territories: []string{"ze-dole"},
		Evaluation: &domain.Evaluation{Lessons: "Ça marche.", Recommendation: domain.EvaluationDeploy}})
	step(a, officer, t0.Add(50*day), domain.NeedInput{Action: domain.ActionComplete, JobsCreated: num(3.5),
		Structure: &domain.Structure{Name: "SCIC Habitat", LegalForm: domain.LegalFormSCIC, Origin: domain.OriginCreated},
		Funders:   []domain.Funder{{Kind: domain.FunderFCA, Name: "FCA", AmountEUR: num(1000)}, {Kind: domain.FunderRegion, Name: "Région", AmountEUR: num(2000)}}})
	if a.Stage != domain.StageDeployed {
		t.Fatalf("A is %s", a.Stage)
	}
	step(c, officer, t0.Add(5*day), domain.NeedInput{Action: domain.ActionReject, Reason: "Déjà couvert."})
	late := time.Now().Add(-time.Hour)
	if err := db.SaveNeed(ctx, b, nil, &late); err == nil { // the same version: its deadline is not written again
		b.Version++ // a reminder's save, as the workflow would make it
		if err := db.SaveNeed(ctx, b, nil, &late); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func counts(cs []indicators.Count) map[string]int {
	m := map[string]int{}
	for _, c := range cs {
		m[c.Key] = c.N
	}
	return m
}

// Every indicator against values computed by hand from the seeded needs.
func TestReportAgainstHandComputedValues(t *testing.T) {
	db := seeded(t)
	s := &indicators.Service{DB: db, Ref: storage.NewReference(db, time.Minute), FundTargets: domain.DefaultFundTargets}
	r, err := s.Report(ctx, indicators.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if st := counts(r.Needs.ByStage); r.Needs.Total != 3 || st["deployed"] != 1 || st["captured"] != 1 || st["rejected"] != 1 {
		t.Fatalf("needs by stage %v (total %d)", r.Needs.ByStage, r.Needs.Total)
	}
	if len(r.Needs.ByTerritory) != 2 || r.Needs.ByTerritory[0].Code != "25" || r.Needs.ByTerritory[0].N != 1 ||
		r.Needs.ByTerritory[1].Code != "39" || r.Needs.ByTerritory[1].N != 2 || len(r.Needs.ByTerritory[1].Zones) != 1 ||
		r.Needs.ByTerritory[1].Zones[0].Code != "ze-dole" {
		t.Fatalf("by territory %+v", r.Needs.ByTerritory)
	}
	if th := counts(r.Needs.ByTheme); th["housing"] != 2 || th["mobility"] != 1 {
		t.Fatalf("by theme %v", th)
	}
	days := map[domain.Stage]float64{}
	for _, st := range r.TimeInStage {
		days[st.Stage] = st.AvgDays
	}
	want := map[domain.Stage]float64{domain.StageCaptured: 3, domain.StageQualified: 1, domain.StageFeasibility: 7,
		domain.StageCommittee: 2, domain.StageCarrierSearch: 8, domain.StagePilot: 20, domain.StageDeployment: 10}
	for st, d := range want {
		if days[st] != d {
			t.Errorf("days in %s: %v, want %v (all: %+v)", st, days[st], d, r.TimeInStage)
		}
	}
	if r.Overdue.Total != 1 || counts(r.Overdue.ByStage)["captured"] != 1 {
		t.Fatalf("overdue %+v", r.Overdue)
	}
	p := r.Projects
	if p.Deployed != 1 || p.StructuresCreated != 1 || p.StructuresTaken != 0 || p.SCIC != 1 || p.SCOP != 0 || p.JobsCreated != 3.5 ||
		p.FCAAndRegion != 1 || p.FundingEUR["fca"] != 1000 || p.FundingEUR["region"] != 2000 {
		t.Fatalf("projects %+v", p)
	}

	if _, err := db.Pool.Exec(ctx, `WITH r AS (INSERT INTO rally_rounds (id, title, phases, categories, criteria, selection,
			stages, trophies, entries, created_by_name, created_at, updated_at, version)
		VALUES (gen_random_uuid(), 'Rally 2026', '[]', '[]', '[]', '{"selected": [{}, {}]}', '[{}]', '[{}]', 3, 'Org', now(), now(), 1)
		RETURNING id)
		INSERT INTO rally_entries (id, round_id, organisation, kind, title, description, category, submitted_by, submitted_by_name, submitted_at)
		SELECT gen_random_uuid(), r.id, 'Org', k, 'Entrée', 'Une innovation.', 'c', gen_random_uuid(), 'X', now()
		FROM r, unnest(ARRAY['ess', 'ess', 'classical']) AS k`); err != nil {
		t.Fatal(err)
	}
	if r, _ = s.Report(ctx, indicators.Filter{}); r.Rally.Rounds != 1 || r.Rally.Entries != 3 || r.Rally.ByKind["ess"] != 2 ||
		r.Rally.ByKind["classical"] != 1 || r.Rally.Selected != 2 || r.Rally.Trophies != 1 || r.Rally.Stages != 1 {
		t.Fatalf("rally %+v", r.Rally)
	}

	if _, err := db.Pool.Exec(ctx, `INSERT INTO study_actions (id, host_company, project_title, summary, sponsor,
			duration_months, months, financing, region_eur, cdc_eur, private_eur, stage, stage_entered_at, applicant_id,
			applicant_name, version, created_at, updated_at, territory_code)
		VALUES (gen_random_uuid(), 'Hôte', 'Étude', 'Une étude-action.', 'Réseau', 6, 6, '[]', 1, 0, 0, 'study', now(),
			gen_random_uuid(), 'X', 1, now(), now(), 'ze-dole')`); err != nil {
		t.Fatal(err)
	}
	for code, want := range map[string]int{"39": 1, "25": 0, "": 1} {
		r, _ := s.Report(ctx, indicators.Filter{Territory: code})
		if got := counts(r.StudyActions.ByStage)["study"]; got != want {
			t.Errorf("study-actions in %q: %d, want %d", code, got, want)
		}
	}

	// The Doubs alone: B only.
	r, err = s.Report(ctx, indicators.Filter{Territory: "25"})
	if err != nil || r.Needs.Total != 1 || r.Projects.Deployed != 0 || r.Overdue.Total != 1 {
		t.Fatalf("the Doubs: %+v %v", r.Needs, err)
	}
	// The Jura includes its employment zone Dole.
	if r, _ = s.Report(ctx, indicators.Filter{Territory: "39"}); r.Needs.Total != 2 || r.Projects.Deployed != 1 {
		t.Fatalf("the Jura: %+v", r.Needs)
	}
	// April 2026: nothing submitted, A's pilot and deployment left, A completed.
	r, err = s.Report(ctx, indicators.Filter{From: "2026-04-01", To: "2026-04-30"})
	if err != nil {
		t.Fatal(err)
	}
	days = map[domain.Stage]float64{}
	for _, st := range r.TimeInStage {
		days[st.Stage] = st.AvgDays
	}
	if r.Needs.Total != 0 || r.Projects.Deployed != 1 || len(days) != 2 || days[domain.StagePilot] != 20 || days[domain.StageDeployment] != 10 {
		t.Fatalf("April: needs %d, deployed %d, days %v", r.Needs.Total, r.Projects.Deployed, days)
	}
	r, _ = s.Report(ctx, indicators.Filter{From: "2026-03-01", To: "2026-04-30"})
	if len(r.Months) != 2 || r.Months[0].Month != "2026-03" || r.Months[0].Submitted != 3 || r.Months[1].Deployed != 1 || r.Months[1].Jobs != 3.5 {
		t.Fatalf("months %+v", r.Months)
	}
	// Periods cut across months: whole months from the monthly counts, the ends from the needs.
	for _, c := range []struct {
		from, to domain.Date
		want     int
	}{{"2026-03-02", "2026-03-02", 1}, {"2026-03-03", "2026-03-31", 2}, {"2026-02-15", "2026-04-15", 3}, {"2026-03-04", "2026-05-31", 0}} {
		if r, _ := s.Report(ctx, indicators.Filter{From: c.from, To: c.to}); r.Needs.Total != c.want {
			t.Errorf("submitted from %s to %s: %d, want %d", c.from, c.to, r.Needs.Total, c.want)
		}
	}
	if _, err := s.Report(ctx, indicators.Filter{Territory: "nulle-part"}); err != indicators.ErrUnknownTerritory {
		t.Fatalf("an unknown territory: %v", err)
	}
}
