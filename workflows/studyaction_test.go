package workflows

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/suite"
	"go.temporal.io/sdk/testsuite"

	"essor/activities"
	"essor/internal/domain"
)

// studyStore records what a study-action's workflow saved.
type studyStore struct {
	mu     sync.Mutex
	events []domain.Event
	last   domain.StudyAction
}

func (s *studyStore) save(_ context.Context, in activities.SaveStudyActionInput) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	seen := map[int]bool{}
	for _, e := range s.events {
		seen[e.Seq] = true
	}
	for _, e := range in.Events {
		if !seen[e.Seq] {
			s.events = append(s.events, e)
		}
	}
	if in.StudyAction.Version > s.last.Version {
		s.last = in.StudyAction
	}
	return nil
}

// kinds lists the deadlines that fired, in order, with when.
func (s *studyStore) fired() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, e := range s.events {
		if k := e.Data["kind"]; k != "" {
			out = append(out, k+"@"+e.At.Format(time.DateOnly)+e.Data["month"])
		}
	}
	return out
}

type studySuite struct {
	suite.Suite
	testsuite.WorkflowTestSuite
	env   *testsuite.TestWorkflowEnvironment
	store *studyStore
	start time.Time
}

func TestStudyActionWorkflow(t *testing.T) { suite.Run(t, new(studySuite)) }

func (s *studySuite) SetupTest() {
	s.env = s.NewTestWorkflowEnvironment()
	Register(s.env)
	s.store = &studyStore{}
	s.env.RegisterActivity(&activities.Activities{})
	s.env.OnActivity(a.SaveStudyAction, mock.Anything, mock.Anything).Return(s.store.save)
	s.start = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	s.env.SetStartTime(s.start)
}

func (s *studySuite) input() StudyActionInput {
	amount := func(v float64) *float64 { return &v }
	sa, first := domain.NewStudyAction("44444444-4444-4444-4444-444444444444", domain.Application{
		HostCompany: "Menuiserie Dupont", ProjectTitle: "Recyclerie de meubles", Sponsor: "Réseau Entreprendre",
		Summary: "Une recyclerie de meubles portée par une entrepreneuse sociale.", DurationMonths: 6,
		Financing: []domain.Financing{{Funder: "Région", Kind: domain.FunderRegion, AmountEUR: amount(20000)},
			{Funder: "Caisse des dépôts", Kind: domain.FunderCDC, AmountEUR: amount(20000)}}}, actor, s.start)
	return StudyActionInput{StudyAction: *sa, First: &first, Policy: domain.DefaultStudyActionPolicy}
}

func (s *studySuite) act(delay time.Duration, by domain.Caller, in domain.StudyActionInput) *outcome {
	o := &outcome{}
	s.env.RegisterDelayedCallback(func() {
		s.env.UpdateWorkflow(UpdateAction, "", &testsuite.TestUpdateCallback{
			OnReject: func(err error) { o.rejected, o.done = err, true },
			OnAccept: func() {},
			OnComplete: func(v any, err error) {
				o.err, o.done = err, true
				if r, ok := v.(ActionResult); ok {
					o.result = r
				}
			},
		}, domain.StudyActionCommand{StudyActionInput: in, Caller: by, Quorum: 1, Voice: domain.Voice{QuorumVoices: 1}})
	}, delay)
	return o
}

func (s *studySuite) ok(steps ...*outcome) {
	for i, o := range steps {
		s.True(o.done, "step %d never answered", i)
		s.NoError(o.rejected, "step %d", i)
		s.NoError(o.err, "step %d", i)
	}
}

const day = 24 * time.Hour

func (s *studySuite) approve(at time.Duration) []*outcome {
	return []*outcome{
		s.act(at, officer, domain.StudyActionInput{Action: domain.ActionAppraise, Opinion: "Un dossier solide et un hôte très motivé."}),
		s.act(at+time.Hour, committee("c1"), domain.StudyActionInput{Action: domain.ActionVote, Decision: domain.DecisionApprove}),
	}
}

// From the application to an enterprise created, with every deadline of the
// study: late reports, the warning a month before the end, an extension that
// moves the end, and the end itself.
func (s *studySuite) TestWholeStudy() {
	steps := s.approve(day)
	// Recruited 40 days after the approval, before the 3-month reminder.
	steps = append(steps,
		s.act(41*day, officer, domain.StudyActionInput{Action: domain.ActionRecruit, CarrierName: "Nora Benali", StartDate: "2026-12-15"}),
		// Month 1 (15 Dec – 15 Jan) reported on time; month 2 comes late, after its reminder.
		s.act(70*day, actor, domain.StudyActionInput{Action: domain.ActionReport, Month: 1, Text: "Étude de marché et premiers partenaires."}),
		s.act(120*day, actor, domain.StudyActionInput{Action: domain.ActionReport, Month: 2, Text: "Modèle économique et local trouvé à Dole."}),
		// Extended by two months in May: the end moves from 15 June to 15 August.
		s.act(190*day, officer, domain.StudyActionInput{Action: domain.ActionExtend, Months: 2}),
	)
	var beforeEnd domain.StudyAction
	s.env.RegisterDelayedCallback(func() {
		v, err := s.env.QueryWorkflow(QueryState)
		s.Require().NoError(err)
		s.Require().NoError(v.Get(&beforeEnd))
	}, 290*day)
	jobs := 3.5
	steps = append(steps, s.act(300*day, officer, domain.StudyActionInput{Action: domain.ActionConclude,
		Outcome: domain.OutcomeEnterpriseCreated, LegalForm: domain.LegalFormSCIC, JobsCreated: &jobs}))

	s.env.ExecuteWorkflow(StudyActionWorkflowName, s.input())
	s.True(s.env.IsWorkflowCompleted())
	s.NoError(s.env.GetWorkflowError())
	s.ok(steps...)
	s.Equal(domain.StageEnterpriseCreated, s.store.last.Stage)
	s.Equal(8, s.store.last.Months)
	s.Equal(domain.StageConclusion, beforeEnd.Stage, "the end (15 August) moved the study to its conclusion")
	fired := s.store.fired()
	s.Contains(fired, "report_late@2027-02-242", "month 2's report was late (due 15 Feb + 10 days, Paris time)")
	s.NotContains(fired, "report_late@2027-01-251", "month 1 came in time")
	s.Contains(fired, "study_ending@2027-07-14", "the warning a month before the moved end")
	s.Contains(fired, "study_end@2027-08-14", "the moved end (15 August, midnight in Paris)")
	s.NotContains(fired, "study_end@2027-06-14", "the end before the extension never fired")
	for _, f := range fired {
		s.NotContains(f, "recruitment", "recruited in time")
	}
	for _, f := range fired { // each deadline once
		n := 0
		for _, g := range fired {
			if f == g {
				n++
			}
		}
		s.Equal(1, n, "%s fired %d times", f, n)
	}
}

// A carrier never recruited: the reminder three months after the approval,
// then the escalation to the officer a month later.
func (s *studySuite) TestRecruitmentReminderThenEscalation() {
	steps := s.approve(time.Hour)
	steps = append(steps, s.act(200*day, officer, domain.StudyActionInput{Action: domain.ActionWithdraw, Reason: "Aucun porteur trouvé."}))
	s.env.ExecuteWorkflow(StudyActionWorkflowName, s.input())
	s.ok(steps...)
	s.Equal(domain.StageWithdrawn, s.store.last.Stage)
	fired := s.store.fired()
	s.Equal([]string{"recruitment_overdue@2027-02-01", "recruitment_escalated@2027-03-03"}, fired)
	var escalation domain.Event
	for _, e := range s.store.events {
		if e.Data["kind"] == domain.KindRecruitmentEscalated {
			escalation = e
		}
	}
	s.Equal(domain.ActionEscalate, escalation.Action)
	s.Equal(officer.UserID, escalation.Data["officer_id"], "the escalation names the officer in charge")
}

// A change of plan after the decision waits for a new vote; an invalid
// command is refused by the validator and leaves no trace.
func (s *studySuite) TestPlanChangeAndRefusals() {
	amount := func(v float64) *float64 { return &v }
	steps := s.approve(time.Hour)
	steps = append(steps, s.act(3*time.Hour, actor, domain.StudyActionInput{Action: domain.ActionReviseFinancing,
		Financing: []domain.Financing{{Funder: "Région", Kind: domain.FunderRegion, AmountEUR: amount(10000)},
			{Funder: "Fondation", Kind: domain.FunderPrivate, AmountEUR: amount(30000)}}}))
	noRegion := s.act(4*time.Hour, actor, domain.StudyActionInput{Action: domain.ActionReviseFinancing,
		Financing: []domain.Financing{{Funder: "Fondation", Kind: domain.FunderPrivate, AmountEUR: amount(3)}}})
	steps = append(steps, s.act(5*time.Hour, committee("c2"), domain.StudyActionInput{Action: domain.ActionVote, Decision: domain.DecisionApprove}),
		s.act(6*time.Hour, officer, domain.StudyActionInput{Action: domain.ActionWithdraw, Reason: "Fin du test de plan."}))
	s.env.ExecuteWorkflow(StudyActionWorkflowName, s.input())
	s.ok(steps...)
	s.Error(noRegion.rejected)
	s.Equal(10000.0, s.store.last.Plan().RegionEUR)
	s.Equal(3.0, *s.store.last.Plan().Leverage())
	s.Len(s.store.last.Ballots, 2)
}
