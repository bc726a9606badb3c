package domain

import (
	"math"
	"slices"
	"testing"
	"time"
)

// expectedStudy is the Fonds de confiance as api.md and domain.md §2 describe
// it, written out apart from StudyActionTable.
var expectedStudy = map[Action]struct {
	roles []Role
	from  []Stage
}{
	ActionAppraise:        {[]Role{RoleOfficer}, []Stage{StageApplication}},
	ActionVote:            {[]Role{RoleCommittee}, []Stage{StageCommittee, StageRecruitment, StageStudy, StageConclusion}},
	ActionRecruit:         {[]Role{RoleOfficer}, []Stage{StageRecruitment}},
	ActionReport:          {[]Role{RoleOfficer, RoleActor}, []Stage{StageStudy, StageConclusion}},
	ActionExtend:          {[]Role{RoleOfficer}, []Stage{StageStudy, StageConclusion}},
	ActionConclude:        {[]Role{RoleOfficer}, []Stage{StageStudy, StageConclusion}},
	ActionReviseFinancing: {[]Role{RoleOfficer, RoleActor}, []Stage{StageApplication, StageRecruitment, StageStudy, StageConclusion}},
	ActionWithdraw:        {[]Role{RoleOfficer, RoleActor}, []Stage{StageApplication, StageCommittee, StageRecruitment, StageStudy, StageConclusion}},
}

var (
	host      = Caller{UserID: "00000000-0000-0000-0000-0000000000b1", Name: "Hélène", Organisation: "Menuiserie Dupont", Roles: []Role{RoleActor}}
	appraiser = Caller{UserID: "00000000-0000-0000-0000-0000000000c1", Name: "Olivier", Roles: []Role{RoleOfficer}}
	member    = Caller{UserID: "00000000-0000-0000-0000-0000000000d1", Name: "Camille", Organisation: "Région", Roles: []Role{RoleCommittee}}
)

func eur(v float64) *float64 { return &v }

func application() Application {
	return Application{HostCompany: "Menuiserie Dupont", ProjectTitle: "Recyclerie de meubles", Sponsor: "Réseau des entrepreneurs sociaux",
		Summary: "Une recyclerie de meubles portée par un entrepreneur social accueilli six mois.", DurationMonths: 6,
		Financing: []Financing{{Funder: "Région", Kind: FunderRegion, AmountEUR: eur(20000)},
			{Funder: "Caisse des dépôts", Kind: FunderCDC, AmountEUR: eur(15000)}, {Funder: "Fondation X", Kind: FunderPrivate, AmountEUR: eur(5000)}}}
}

// studyIn builds a study-action standing in stage st, with what the stage implies.
func studyIn(st Stage) *StudyAction {
	s, _ := NewStudyAction("33333333-3333-3333-3333-333333333333", application(), host, t0)
	s.Stage, s.StageEnteredAt = st, t0
	s.Officer = &OfficerRef{ID: appraiser.UserID, Name: appraiser.Name}
	if st == StageCommittee {
		s.Ballots = []Ballot{{Round: 1, OpenedAt: t0, Quorum: 1, Rule: RuleMajority}}
	}
	if slices.Contains([]Stage{StageStudy, StageConclusion}, st) {
		s.ApprovedAt = t0
		s.Carrier = &Recruitment{CarrierName: "Nora", StartDate: "2026-11-02", RecruitedAt: t0}
	}
	return s
}

func studyInput(a Action) StudyActionInput {
	in := StudyActionInput{Action: a}
	switch a {
	case ActionAppraise:
		in.Opinion, in.Recommendation = "Profil solide, motivation de l'hôte claire, calendrier tenable.", OpinionFavourable
	case ActionVote:
		in.Decision = DecisionApprove
	case ActionRecruit:
		in.CarrierName, in.StartDate = "Nora Benali", "2026-12-01"
	case ActionReport:
		in.Month, in.Text = 1, "Premier mois : étude de marché et rencontres des partenaires."
	case ActionExtend:
		in.Months = 2
	case ActionConclude:
		in.Outcome, in.LegalForm, in.JobsCreated = OutcomeEnterpriseCreated, LegalFormSCIC, eur(4.5)
	case ActionReviseFinancing:
		in.Financing = application().Financing
	case ActionWithdraw:
		in.Reason = "Le projet est abandonné par l'entreprise."
	}
	return in
}

func callerFor(r Role) Caller {
	switch r {
	case RoleActor:
		return host
	case RoleOfficer:
		return appraiser
	case RoleCommittee:
		return member
	}
	return Caller{UserID: "00000000-0000-0000-0000-0000000000e1", Name: "X", Roles: []Role{r}}
}

// Every action × stage × role: allowed exactly where the table says, with a
// 403 for a role and a 409 for a stage, and nothing changed by a refusal.
func TestStudyActionRules(t *testing.T) {
	if len(expectedStudy) != len(StudyActionTable) {
		t.Fatalf("rules table has %d actions, expected %d", len(StudyActionTable), len(expectedStudy))
	}
	now := t0.Add(40 * 24 * time.Hour)
	for a, want := range expectedStudy {
		for _, st := range StudyActionStages {
			for _, role := range Roles {
				s := studyIn(st)
				cmd := StudyActionCommand{StudyActionInput: studyInput(a), Caller: callerFor(role), Quorum: 1}
				err := s.Authorize(cmd)
				allowedRole := slices.Contains(want.roles, role)
				allowedStage := slices.Contains(want.from, st)
				if a == ActionVote && st != StageCommittee {
					allowedStage = false // no open ballot without a change of plan
				}
				switch {
				case !allowedRole:
					if !IsCode(err, CodeForbidden) {
						t.Errorf("%s by %s in %s: want 403, got %v", a, role, st, err)
					}
				case !allowedStage:
					if !IsCode(err, CodeStage) {
						t.Errorf("%s by %s in %s: want 409, got %v", a, role, st, err)
					}
				default:
					if err != nil {
						t.Errorf("%s by %s in %s: want allowed, got %v", a, role, st, err)
						continue
					}
					if err := s.Validate(&cmd, now); err != nil {
						t.Errorf("%s in %s: valid input refused: %v", a, st, err)
						continue
					}
					events := s.Apply(cmd, now)
					if len(events) == 0 || events[0].Action != a {
						t.Errorf("%s in %s: no event", a, st)
					}
				}
			}
		}
	}
}

func TestApplicationValidation(t *testing.T) {
	ok := application()
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid application refused: %v", err)
	}
	cases := map[string]func(*Application){
		"duration_months": func(a *Application) { a.DurationMonths = 10 },
		"host_company":    func(a *Application) { a.HostCompany = " " },
		"host_siret":      func(a *Application) { a.HostSIRET = "12345678901234" },
		"project_title":   func(a *Application) { a.ProjectTitle = "abc" },
		"summary":         func(a *Application) { a.Summary = "court" },
		"sponsor":         func(a *Application) { a.Sponsor = "" },
		"need_id":         func(a *Application) { a.NeedID = "pas-un-id" },
	}
	for field, spoil := range cases {
		a := application()
		spoil(&a)
		de, ok := As(a.Validate())
		if !ok || de.Fields[field].Key == "" {
			t.Errorf("%s: want a field error, got %v", field, de)
		}
	}
	for _, c := range []struct {
		key   string
		lines []Financing
	}{
		{"field.required", nil},
		{"field.region_required", []Financing{{Funder: "CDC", Kind: FunderCDC, AmountEUR: eur(10)}}},
		{"field.region_required", []Financing{{Funder: "Fondation", Kind: FunderPrivate, AmountEUR: eur(10)}}},
		{"field.row.above", []Financing{{Funder: "Région", Kind: FunderRegion, AmountEUR: eur(0)}}},
		{"field.row.required", []Financing{{Funder: "Région", Kind: FunderRegion}}},
		{"field.row.oneof", []Financing{{Funder: "Région", Kind: "fca", AmountEUR: eur(10)}}},
		{"field.row.number", []Financing{{Funder: "Région", Kind: FunderRegion, AmountEUR: eur(nan())}}},
		{"field.row.min_len", []Financing{{Funder: "R", Kind: FunderRegion, AmountEUR: eur(10)}}},
	} {
		a := application()
		a.Financing = c.lines
		de, ok := As(a.Validate())
		if !ok || de.Fields["financing"].Key != c.key {
			t.Errorf("financing %v: want %s, got %v", c.lines, c.key, de)
		}
	}
}

func nan() float64 { z := 0.0; return z / z }

func TestLeverage(t *testing.T) {
	p := PlanOf(application().Financing)
	if p.Total() != 40000 || p.Leverage() == nil || *p.Leverage() != 1 {
		t.Fatalf("plan %+v leverage %v, want total 40000 and leverage 1", p, p.Leverage())
	}
	if (Plan{CDCEUR: 10}).Leverage() != nil {
		t.Fatal("no Region money: no leverage")
	}
	if l := (Plan{RegionEUR: 30000, CDCEUR: 10000}).Leverage(); *l != 0.33 {
		t.Fatalf("leverage %v, want 0.33", *l)
	}
}

// The committee's ballot: a member of the host company's organisation, the
// applicant and the appraiser may not vote; approval opens the recruitment.
func TestStudyActionBallot(t *testing.T) {
	s := studyIn(StageCommittee)
	s.Ballots[0].Quorum = 2
	for _, c := range []Caller{
		{UserID: "00000000-0000-0000-0000-0000000000d2", Name: "Dupont", Organisation: "menuiserie  DUPONT", Roles: []Role{RoleCommittee}},
		{UserID: host.UserID, Name: host.Name, Roles: []Role{RoleCommittee, RoleActor}},
		{UserID: appraiser.UserID, Name: appraiser.Name, Roles: []Role{RoleCommittee, RoleOfficer}},
	} {
		if err := s.Authorize(StudyActionCommand{StudyActionInput: studyInput(ActionVote), Caller: c}); !IsCode(err, CodeForbidden) {
			t.Errorf("%s with a stake voted: %v", c.Name, err)
		}
	}
	vote := func(id string, d Decision) []Event {
		c := Caller{UserID: id, Name: id, Roles: []Role{RoleCommittee}}
		cmd := StudyActionCommand{StudyActionInput: StudyActionInput{Action: ActionVote, Decision: d}, Caller: c, Quorum: 2}
		if err := s.Authorize(cmd); err != nil {
			t.Fatal(err)
		}
		return s.Apply(cmd, t0.Add(time.Hour))
	}
	if ev := vote("00000000-0000-0000-0000-0000000000f1", DecisionApprove); len(ev) != 1 || s.Stage != StageCommittee {
		t.Fatalf("one vote of a quorum of two decided: %+v", ev)
	}
	if ev := vote("00000000-0000-0000-0000-0000000000f2", DecisionApprove); len(ev) != 2 || s.Stage != StageRecruitment || s.ApprovedAt.IsZero() {
		t.Fatalf("quorum reached: stage %s, events %+v", s.Stage, ev)
	}
}

// After the decision, a new plan waits for a new decision; the plan in force
// changes only on approval.
func TestFinancingChangeNeedsANewDecision(t *testing.T) {
	s := studyIn(StageStudy)
	newPlan := []Financing{{Funder: "Région", Kind: FunderRegion, AmountEUR: eur(10000)}, {Funder: "CDC", Kind: FunderCDC, AmountEUR: eur(30000)}}
	cmd := StudyActionCommand{StudyActionInput: StudyActionInput{Action: ActionReviseFinancing, Financing: newPlan}, Caller: host, Quorum: 1}
	if err := s.Authorize(cmd); err != nil {
		t.Fatal(err)
	}
	s.Apply(cmd, t0)
	if s.Plan().RegionEUR != 20000 || s.Ballot() == nil || len(s.PendingFinancing) != 2 {
		t.Fatalf("plan changed before a decision: %+v pending %+v", s.Plan(), s.PendingFinancing)
	}
	if err := s.Authorize(cmd); !IsCode(err, CodeConflict) {
		t.Fatalf("a second change while one is pending: %v", err)
	}
	v := StudyActionCommand{StudyActionInput: StudyActionInput{Action: ActionVote, Decision: DecisionApprove}, Caller: member, Quorum: 1}
	if err := s.Authorize(v); err != nil {
		t.Fatal(err)
	}
	s.Apply(v, t0)
	if s.Stage != StageStudy || s.Plan().RegionEUR != 10000 || s.Ballot() != nil || s.PendingFinancing != nil {
		t.Fatalf("approved change not in force: stage %s plan %+v", s.Stage, s.Plan())
	}
	if l := s.Plan().Leverage(); *l != 3 {
		t.Fatalf("leverage %v, want 3", *l)
	}
}

// The study's deadlines: each month's report, the warning a month before the
// end, and the end; an extension moves the last two.
func TestStudyDeadlines(t *testing.T) {
	s := studyIn(StageStudy)
	p := DefaultStudyActionPolicy
	keys := func() []string {
		var k []string
		for _, d := range s.PendingDeadlines(p) {
			k = append(k, d.Key)
		}
		return k
	}
	want := []string{"report:1", "report:2", "report:3", "report:4", "ending:2027-05-02", "report:5", "end:2027-05-02", "report:6"}
	if got := keys(); !slices.Equal(got, want) {
		t.Fatalf("deadlines %v, want %v", got, want)
	}
	if d := s.PendingDeadlines(p)[0]; !d.At.Equal(Date("2026-12-02").Start().Add(p.ReportGrace)) {
		t.Fatalf("first report due %v", d.At)
	}
	s.Reports = append(s.Reports, Report{Month: 1})
	ext := StudyActionCommand{StudyActionInput: StudyActionInput{Action: ActionExtend, Months: 3}, Caller: appraiser}
	if err := s.Validate(&ext, t0); err != nil {
		t.Fatal(err)
	}
	s.Apply(ext, t0)
	if got := keys(); got[0] != "report:2" || !slices.Contains(got, "end:2027-08-02") || slices.Contains(got, "end:2027-05-02") {
		t.Fatalf("after extension: %v", got)
	}
	over := StudyActionCommand{StudyActionInput: StudyActionInput{Action: ActionExtend, Months: 1}, Caller: appraiser}
	if de, ok := As(s.Validate(&over, t0)); !ok || de.Fields["months"].Key != "field.extend_within" {
		t.Fatalf("a tenth month: %v", de)
	}
	ds := s.PendingDeadlines(p)
	huge := StudyActionCommand{StudyActionInput: StudyActionInput{Action: ActionExtend, Months: math.MaxInt}, Caller: appraiser}
	if de, ok := As(s.Validate(&huge, t0)); !ok || de.Fields["months"].Key != "field.extend_within" {
		t.Fatalf("an extension of MaxInt months: %v", de)
	}
	end := ds[slices.IndexFunc(ds, func(d Deadline) bool { return d.Kind == KindStudyEnd })]
	ev := s.Fire(end, end.At)
	if s.Stage != StageConclusion || ev.Action != ActionStudyEnded {
		t.Fatalf("end fired: stage %s, event %s", s.Stage, ev.Action)
	}
}

func TestReportRules(t *testing.T) {
	s := studyIn(StageStudy)
	report := func(month int, now time.Time) error {
		cmd := StudyActionCommand{StudyActionInput: StudyActionInput{Action: ActionReport, Month: month,
			Text: "Un mois de travail sur le modèle économique."}, Caller: host}
		if err := s.Authorize(cmd); err != nil {
			return err
		}
		if err := s.Validate(&cmd, now); err != nil {
			return err
		}
		s.Apply(cmd, now)
		return nil
	}
	if err := report(2, t0.Add(24*time.Hour)); !IsCode(err, CodeInvalid) {
		t.Fatalf("month 2 reported before it started: %v", err)
	}
	if err := report(1, t0.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := report(1, t0.Add(48*time.Hour)); !IsCode(err, CodeConflict) {
		t.Fatalf("month 1 reported twice: %v", err)
	}
	if err := report(7, t0.Add(300*24*time.Hour)); !IsCode(err, CodeInvalid) {
		t.Fatalf("a seventh month of six: %v", err)
	}
	stranger := Caller{UserID: "00000000-0000-0000-0000-0000000000e9", Name: "X", Organisation: "Autre", Roles: []Role{RoleActor}}
	cmd := StudyActionCommand{StudyActionInput: studyInput(ActionReport), Caller: stranger}
	if err := s.Authorize(cmd); !IsCode(err, CodeForbidden) {
		t.Fatalf("a stranger reported: %v", err)
	}
}
