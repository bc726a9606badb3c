package workflows

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/suite"
	"go.temporal.io/sdk/testsuite"

	"essor/activities"
	"essor/internal/domain"
)

var (
	officer   = domain.Caller{UserID: "00000000-0000-0000-0000-00000000000f", Name: "Olivier", Roles: []domain.Role{domain.RoleOfficer}}
	actor     = domain.Caller{UserID: "00000000-0000-0000-0000-00000000000a", Name: "Alice", Organisation: "Mairie", Roles: []domain.Role{domain.RoleActor}}
	committee = func(id string) domain.Caller {
		return domain.Caller{UserID: id, Name: id, Roles: []domain.Role{domain.RoleCommittee}}
	}
)

// store records what the workflow saved, as the read model would see it.
type store struct {
	mu     sync.Mutex
	calls  int
	events []domain.Event
	last   domain.Need
	fail   int // fail this many calls first, as an unreachable database would
}

func (s *store) save(_ context.Context, in activities.SaveNeedInput) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.fail > 0 {
		s.fail--
		return errors.New("database unreachable")
	}
	seen := map[int]bool{}
	for _, e := range s.events {
		seen[e.Seq] = true
	}
	for _, e := range in.Events {
		if !seen[e.Seq] { // the real store is idempotent on seq too
			s.events = append(s.events, e)
		}
	}
	if in.Need.Version > s.last.Version {
		s.last = in.Need
	}
	return nil
}

func (s *store) actions() []domain.Action {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]domain.Action, 0, len(s.events))
	for _, e := range s.events {
		out = append(out, e.Action)
	}
	return out
}

type needSuite struct {
	suite.Suite
	testsuite.WorkflowTestSuite
	env   *testsuite.TestWorkflowEnvironment
	store *store
	start time.Time
}

func TestNeedWorkflow(t *testing.T) { suite.Run(t, new(needSuite)) }

func (s *needSuite) SetupTest() {
	s.env = s.NewTestWorkflowEnvironment()
	Register(s.env)
	s.store = &store{}
	s.env.RegisterActivity(&activities.Activities{})
	s.env.OnActivity(a.SaveNeed, mock.Anything, mock.Anything).Return(s.store.save)
	s.start = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	s.env.SetStartTime(s.start)
}

func (s *needSuite) input() NeedInput {
	n, first := domain.NewNeed("11111111-1111-1111-1111-111111111111", domain.NeedSubmission{Title: "Transport des aînés",
		Description: "Les aînés isolés ne peuvent plus aller chez le médecin.", Theme: "mobility", TerritoryCode: "39"}, actor, s.start)
	return NeedInput{Need: *n, First: &first, Policy: domain.DefaultPolicy}
}

// act sends an action update at delay and records its outcome.
type outcome struct {
	rejected error
	err      error
	result   ActionResult
	done     bool
}

func (s *needSuite) act(delay time.Duration, cmd domain.NeedCommand) *outcome {
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
		}, cmd)
	}, delay)
	return o
}

func cmd(by domain.Caller, in domain.NeedInput) domain.NeedCommand {
	return domain.NeedCommand{NeedInput: in, Caller: by, Quorum: 2, Voice: domain.Voice{QuorumVoices: 2}}
}

func (s *needSuite) TestWholePipeline() {
	budget := 30000.0
	h := time.Hour
	steps := []*outcome{
		s.act(1*h, cmd(officer, domain.NeedInput{Action: domain.ActionQualify})),
		s.act(2*h, cmd(officer, domain.NeedInput{Action: domain.ActionStartStudy, DueDate: "2027-02-01"})),
		s.act(3*h, cmd(officer, domain.NeedInput{Action: domain.ActionSubmitStudy, Recommendation: "go", Summary: "Le modèle économique est viable.", BudgetEUR: &budget})),
		s.act(4*h, cmd(committee("c1"), domain.NeedInput{Action: domain.ActionVote, Decision: domain.DecisionApprove})),
		s.act(5*h, cmd(committee("c2"), domain.NeedInput{Action: domain.ActionVote, Decision: domain.DecisionApprove})),
		s.act(6*h, cmd(actor, domain.NeedInput{Action: domain.ActionProposeCarrier, Organisation: "Mobil Jura", Contact: "contact@mobil.fr", Motivation: "Nous faisons déjà du transport à la demande."})),
	}
	var pilot *outcome
	s.env.RegisterDelayedCallback(func() {
		v, err := s.env.QueryWorkflow(QueryState)
		s.Require().NoError(err)
		var n domain.Need
		s.Require().NoError(v.Get(&n))
		s.Require().Len(n.Carriers, 1)
		pilot = s.act(time.Minute, cmd(officer, domain.NeedInput{Action: domain.ActionStartPilot, CarrierID: n.Carriers[0].ID,
			Territories: []string{"39"}, StartDate: "2026-12-01", EndDate: "2027-06-30", BudgetEUR: &budget,
			Indicators: []domain.Indicator{{Key: "rides", Label: "Trajets assurés"}}}))
		rides := 140.0
		steps = append(steps, pilot,
			s.act(90*time.Second, cmd(officer, domain.NeedInput{Action: domain.ActionRecordIndicator, Key: "rides", Value: &rides})),
			s.act(2*time.Minute, cmd(officer, domain.NeedInput{Action: domain.ActionDeploy, Territories: []string{"39", "25"},
				Evaluation: &domain.Evaluation{Results: []domain.IndicatorResult{{Key: "rides", Value: &rides}},
					Lessons: "La demande se concentre le matin.", Recommendation: domain.EvaluationDeploy}})),
			s.act(3*time.Minute, cmd(officer, domain.NeedInput{Action: domain.ActionComplete,
				Structure:   &domain.Structure{Name: "Mobil Jura", LegalForm: domain.LegalFormAssociation, Origin: domain.OriginTakenOver},
				JobsCreated: &rides, Funders: []domain.Funder{{Kind: domain.FunderRegion, Name: "Région", AmountEUR: &budget}}})))
	}, 7*h)

	s.env.ExecuteWorkflow(NeedWorkflowName, s.input())
	s.True(s.env.IsWorkflowCompleted())
	s.NoError(s.env.GetWorkflowError())
	for i, o := range steps {
		s.True(o.done, "step %d never answered", i)
		s.NoError(o.rejected, "step %d", i)
		s.NoError(o.err, "step %d", i)
	}
	s.Equal(domain.StageDeployed, s.store.last.Stage)
	s.Equal([]domain.Action{domain.ActionSubmit, domain.ActionQualify, domain.ActionStartStudy, domain.ActionSubmitStudy,
		domain.ActionVote, domain.ActionVote, domain.ActionDecide, domain.ActionProposeCarrier, domain.ActionStartPilot,
		domain.ActionRecordIndicator, domain.ActionDeploy, domain.ActionComplete}, s.store.actions())
	last := s.store.last
	s.Require().NotNil(last.Outcome)
	s.Require().NotNil(last.Deployment)
	s.Equal(30000.0, *last.ApprovedBudgetEUR)
	s.Equal(140.0, last.Pilot.Measures[0].Value)
	s.Equal(domain.EvaluationDeploy, last.Deployment.Evaluation.Recommendation)
}

func (s *needSuite) TestValidatorRejectsWithoutSideEffect() {
	var savesBefore int
	wrongRole := s.act(time.Hour, cmd(actor, domain.NeedInput{Action: domain.ActionQualify}))
	s.env.RegisterDelayedCallback(func() { savesBefore = s.store.calls }, 59*time.Minute)
	wrongStage := s.act(time.Hour, cmd(officer, domain.NeedInput{Action: domain.ActionDeploy}))
	badField := s.act(time.Hour, cmd(officer, domain.NeedInput{Action: domain.ActionReject}))
	var savesAfter int
	s.env.RegisterDelayedCallback(func() { savesAfter = s.store.calls }, 61*time.Minute)
	abandon := s.act(2*time.Hour, cmd(officer, domain.NeedInput{Action: domain.ActionAbandon, Reason: "Porté par le département"}))
	s.env.ExecuteWorkflow(NeedWorkflowName, s.input())

	for _, c := range []struct {
		o    *outcome
		code domain.Code
	}{{wrongRole, domain.CodeForbidden}, {wrongStage, domain.CodeStage}, {badField, domain.CodeInvalid}} {
		s.Require().Error(c.o.rejected)
		de, ok := DomainError(c.o.rejected)
		s.Require().True(ok, "no domain error in %v", c.o.rejected)
		s.Equal(c.code, de.Code)
	}
	s.Equal(savesBefore, savesAfter, "a rejected update wrote to the read model")
	s.NoError(abandon.err)
	s.Equal(domain.StageAbandoned, s.store.last.Stage)
	s.True(s.env.IsWorkflowCompleted())
}

func (s *needSuite) TestQualificationReminderFires() {
	var before, after []domain.Action
	s.env.RegisterDelayedCallback(func() { before = s.store.actions() }, 13*24*time.Hour)
	s.env.RegisterDelayedCallback(func() { after = s.store.actions() }, 15*24*time.Hour)
	s.act(16*24*time.Hour, cmd(officer, domain.NeedInput{Action: domain.ActionAbandon, Reason: "Sans réponse du territoire"}))
	s.env.ExecuteWorkflow(NeedWorkflowName, s.input())
	s.NoError(s.env.GetWorkflowError())
	s.Equal([]domain.Action{domain.ActionSubmit}, before)
	s.Equal([]domain.Action{domain.ActionSubmit, domain.ActionRemind}, after)
	rem := s.store.events[1]
	s.Equal("qualification_overdue", rem.Data["kind"])
	s.Equal(s.start.Add(14*24*time.Hour), rem.At)
}

// A need the reminder found unqualified, sent back to captured by the
// submitter's answer, gets a fresh delay and a fresh reminder; a request
// for information in between does not move that delay.
func (s *needSuite) TestAnsweredNeedGetsAFreshQualificationDeadline() {
	day := 24 * time.Hour
	s.act(10*day, cmd(officer, domain.NeedInput{Action: domain.ActionRequestInfo, Comment: "Combien de personnes ?"}))
	// the reminder of the submission's deadline fires on day 14, while the need waits for the answer
	s.act(20*day, cmd(actor, domain.NeedInput{Action: domain.ActionProvideInfo, Comment: "Une centaine."}))
	s.act(25*day, cmd(officer, domain.NeedInput{Action: domain.ActionRequestInfo, Comment: "Sur quelles communes ?"}))
	s.act(27*day, cmd(actor, domain.NeedInput{Action: domain.ActionProvideInfo, Comment: "Dole et Tavaux."}))
	s.act(50*day, cmd(officer, domain.NeedInput{Action: domain.ActionAbandon, Reason: "Sans suite"}))
	s.env.ExecuteWorkflow(NeedWorkflowName, s.input())
	s.NoError(s.env.GetWorkflowError())
	var reminders []time.Time
	for _, e := range s.store.events {
		if e.Action == domain.ActionRemind {
			s.Equal("qualification_overdue", e.Data["kind"])
			reminders = append(reminders, e.At)
		}
	}
	// 14 days after the submission, then 14 days after the last answer (day 27)
	s.Equal([]time.Time{s.start.Add(14 * day), s.start.Add(41 * day)}, reminders)
	s.Require().NotNil(s.store.last.QualifyFrom)
	s.Equal(s.start.Add(27*day), *s.store.last.QualifyFrom)
}

func (s *needSuite) TestStudyAndPilotRemindersAndCommitteeEscalation() {
	budget := 1000.0
	day := 24 * time.Hour
	s.act(time.Hour, cmd(officer, domain.NeedInput{Action: domain.ActionQualify}))
	s.act(2*time.Hour, cmd(officer, domain.NeedInput{Action: domain.ActionStartStudy, DueDate: "2026-11-10"}))
	// the study is due on the 10th: a reminder on the 11th at midnight
	s.act(20*day, cmd(officer, domain.NeedInput{Action: domain.ActionSubmitStudy, Recommendation: "no_go", Summary: "Pas de modèle économique viable."}))
	// no decision within 30 days: an escalation, then the committee still decides
	s.act(55*day, cmd(committee("c1"), domain.NeedInput{Action: domain.ActionVote, Decision: domain.DecisionApprove}))
	s.act(56*day, cmd(committee("c2"), domain.NeedInput{Action: domain.ActionVote, Decision: domain.DecisionApprove}))
	s.act(57*day, cmd(officer, domain.NeedInput{Action: domain.ActionProposeCarrier, Organisation: "Régie de quartier", Contact: "regie@exemple.fr", Motivation: "Nous employons déjà des chauffeurs."}))
	s.env.RegisterDelayedCallback(func() {
		v, _ := s.env.QueryWorkflow(QueryState)
		var n domain.Need
		_ = v.Get(&n)
		s.act(time.Hour, cmd(officer, domain.NeedInput{Action: domain.ActionStartPilot, CarrierID: n.Carriers[0].ID,
			Territories: []string{"39"}, StartDate: "2027-01-01", EndDate: "2027-02-01", BudgetEUR: &budget,
			Indicators: []domain.Indicator{{Key: "rides", Label: "Trajets assurés"}}}))
		s.act(200*day, cmd(officer, domain.NeedInput{Action: domain.ActionAbandon, Reason: "Expérimentation non concluante"}))
	}, 58*day)
	s.env.ExecuteWorkflow(NeedWorkflowName, s.input())
	s.NoError(s.env.GetWorkflowError())

	var kinds []string
	for _, e := range s.store.events {
		if e.Action == domain.ActionRemind || e.Action == domain.ActionEscalate {
			kinds = append(kinds, string(e.Action)+":"+e.Data["kind"]+"@"+e.At.Format(time.DateOnly))
		}
	}
	s.Equal([]string{
		"reminder:study_overdue@2026-11-10", // 23:00 UTC: midnight in Paris
		"escalation:committee_overdue@2026-12-22",
		"reminder:pilot_overdue@2027-02-01",
	}, kinds)
}

func (s *needSuite) TestReadModelOutageDelaysButLosesNothing() {
	s.store.fail = 5 // the database refuses the first writes
	done := s.act(time.Hour, cmd(officer, domain.NeedInput{Action: domain.ActionQualify}))
	s.act(2*time.Hour, cmd(officer, domain.NeedInput{Action: domain.ActionAbandon, Reason: "Fin de l'essai"}))
	s.env.ExecuteWorkflow(NeedWorkflowName, s.input())
	s.NoError(s.env.GetWorkflowError())
	s.NoError(done.err)
	s.Equal([]domain.Action{domain.ActionSubmit, domain.ActionQualify, domain.ActionAbandon}, s.store.actions())
	s.Greater(s.store.calls, 5)
}

func (s *needSuite) TestMergeSignalsTheTarget() {
	target := "33333333-3333-3333-3333-333333333333"
	s.env.OnSignalExternalWorkflow(mock.Anything, NeedWorkflowID(target), "", SignalAbsorb, mock.Anything).Return(nil).Once()
	s.act(time.Hour, cmd(officer, domain.NeedInput{Action: domain.ActionMerge, Into: target}))
	s.env.ExecuteWorkflow(NeedWorkflowName, s.input())
	s.NoError(s.env.GetWorkflowError())
	s.Equal(domain.StageMerged, s.store.last.Stage)
	s.Equal(target, s.store.last.MergedInto)
	s.env.AssertExpectations(s.T())
}

func (s *needSuite) TestAbsorbRecordsOnTarget() {
	s.env.RegisterDelayedCallback(func() {
		s.env.SignalWorkflow(SignalAbsorb, AbsorbSignal{FromID: "44444444-4444-4444-4444-444444444444", FromTitle: "Doublon", By: officer})
	}, time.Hour)
	s.act(2*time.Hour, cmd(officer, domain.NeedInput{Action: domain.ActionAbandon, Reason: "Fin de l'essai"}))
	s.env.ExecuteWorkflow(NeedWorkflowName, s.input())
	s.NoError(s.env.GetWorkflowError())
	s.Equal([]domain.Action{domain.ActionSubmit, domain.ActionAbsorb, domain.ActionAbandon}, s.store.actions())
}
