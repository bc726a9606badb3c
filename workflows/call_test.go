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

// callStore records what a call's workflow saved.
type callStore struct {
	mu      sync.Mutex
	events  []domain.Event
	applied []domain.CallApplication
	last    domain.Call
}

func (s *callStore) save(_ context.Context, in activities.SaveCallInput) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, in.Events...)
	if in.Applied != nil {
		s.applied = append(s.applied, *in.Applied)
	}
	if in.Call.Version > s.last.Version {
		s.last = in.Call
	}
	return nil
}

// fired lists the deadlines that fired, in order, with their day (UTC).
func (s *callStore) fired() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, e := range s.events {
		if k := e.Data["kind"]; k != "" {
			out = append(out, k+"@"+e.At.Format(time.DateOnly))
		}
	}
	return out
}

type callSuite struct {
	suite.Suite
	testsuite.WorkflowTestSuite
	env   *testsuite.TestWorkflowEnvironment
	store *callStore
	start time.Time
}

func TestCallWorkflow(t *testing.T) { suite.Run(t, new(callSuite)) }

func (s *callSuite) SetupTest() {
	s.env = s.NewTestWorkflowEnvironment()
	Register(s.env)
	s.store = &callStore{}
	s.env.RegisterActivity(&activities.Activities{})
	s.env.OnActivity(a.SaveCall, mock.Anything, mock.Anything).Return(s.store.save)
	s.start = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	s.env.SetStartTime(s.start)
}

// input is a call open from 10 November to the end of 30 November (Paris).
func (s *callSuite) input(opens string) CallInput {
	d := domain.CallDraft{Title: "Territoires pilotes de l'épicerie itinérante",
		Description: "Des territoires pour expérimenter une épicerie solidaire itinérante.", OpensAt: opens, ClosesAt: "2026-11-30"}
	s.Require().NoError(d.Validate(s.start))
	c, first := domain.NewCall("66666666-6666-6666-6666-666666666666", d, officer, s.start)
	return CallInput{Call: *c, First: &first, Policy: domain.DefaultCallPolicy}
}

func (s *callSuite) act(delay time.Duration, by domain.Caller, in domain.CallInput) *outcome {
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
		}, domain.CallCommand{CallInput: in, Caller: by, Quorum: 1, Voice: domain.Voice{QuorumVoices: 1}})
	}, delay)
	return o
}

func (s *callSuite) stageAt(delay time.Duration) *domain.Stage {
	st := new(domain.Stage)
	s.env.RegisterDelayedCallback(func() {
		v, err := s.env.QueryWorkflow(QueryState)
		s.Require().NoError(err)
		var c domain.Call
		s.Require().NoError(v.Get(&c))
		*st = c.Stage
	}, delay)
	return st
}

func (s *callSuite) refusedWith(o *outcome, code domain.Code) {
	s.True(o.done)
	de, ok := DomainError(o.rejected)
	s.True(ok, "refused by the validator: %v", o.rejected)
	if ok {
		s.Equal(code, de.Code)
	}
}

var jura = domain.Caller{UserID: "00000000-0000-0000-0000-00000000001a", Name: "Jeanne", Organisation: "Communauté de communes du Jura", Roles: []domain.Role{domain.RoleActor}}

func apply(code string) domain.CallInput {
	return domain.CallInput{Action: domain.ActionApply, TerritoryCode: code, Motivation: "Notre territoire a les partenaires et un local prêt."}
}

// A call opens and closes by itself at its dates, receives applications only
// in between, is sent back by the committee, then decided and published; the
// committee's delay escalates to the officer.
func (s *callSuite) TestOpenCloseDecide() {
	early := s.act(2*day, actor, apply("39"))
	scheduled := s.stageAt(7 * day)
	steps := []*outcome{
		s.act(9*day, actor, apply("39")),
		s.act(9*day+time.Hour, jura, apply("39")),
		s.act(9*day+2*time.Hour, jura, apply("25")),
	}
	twice := s.act(10*day, actor, apply("39"))
	opened := s.stageAt(10 * day)
	late := s.act(29*day, actor, apply("70"))
	closed := s.stageAt(29 * day)
	steps = append(steps,
		s.act(30*day, officer, domain.CallInput{Action: domain.ActionPropose, TerritoryCodes: []string{"39", "25"}, Comment: "Deux territoires prêts."}),
		s.act(31*day, committee("c1"), domain.CallInput{Action: domain.ActionVote, Decision: domain.DecisionBackToStudy}))
	back := s.stageAt(32 * day)
	notApplied := s.act(33*day, officer, domain.CallInput{Action: domain.ActionPropose, TerritoryCodes: []string{"90"}})
	steps = append(steps,
		s.act(34*day, officer, domain.CallInput{Action: domain.ActionPropose, TerritoryCodes: []string{"39"}}),
		s.act(70*day, committee("c1"), domain.CallInput{Action: domain.ActionVote, Decision: domain.DecisionApprove}))

	s.env.ExecuteWorkflow(CallWorkflowName, s.input("2026-11-10"))
	s.True(s.env.IsWorkflowCompleted())
	s.NoError(s.env.GetWorkflowError())
	for i, o := range steps {
		s.True(o.done, "step %d never answered", i)
		s.NoError(o.rejected, "step %d", i)
		s.NoError(o.err, "step %d", i)
	}
	s.refusedWith(early, domain.CodeStage)
	s.refusedWith(twice, domain.CodeConflict)
	s.refusedWith(late, domain.CodeStage)
	s.refusedWith(notApplied, domain.CodeInvalid)
	s.Equal(domain.StageScheduled, *scheduled)
	s.Equal(domain.StageOpen, *opened)
	s.Equal(domain.StageClosed, *closed)
	s.Equal(domain.StageClosed, *back, "sent back to the officer")
	s.Equal(domain.StagePublished, s.store.last.Stage)
	s.Equal([]string{"39"}, s.store.last.Selected)
	s.Len(s.store.last.Ballots, 2)
	s.Equal(domain.DecisionBackToStudy, s.store.last.Ballots[0].Outcome, "the first proposal stays in the history")
	s.Equal([]string{"call_opens@2026-11-09", "call_closes@2026-11-30", "committee_overdue@2027-01-05"}, s.store.fired(),
		"opened at midnight in Paris, closed at the end of 30 November, the committee late 30 days after the second proposal")
	s.Len(s.store.applied, 3)
	for _, ap := range s.store.applied {
		s.NotEmpty(ap.Motivation, "the read model gets the motivation")
	}
	for _, ap := range s.store.last.Applications {
		s.Empty(ap.Motivation, "the state keeps none")
	}
}

// A call created after its opening date is open at once.
func (s *callSuite) TestOpensAtOnce() {
	o := s.act(time.Hour, actor, apply("39"))
	s.act(40*day, officer, domain.CallInput{Action: domain.ActionPropose, TerritoryCodes: []string{"39"}})
	s.act(41*day, committee("c1"), domain.CallInput{Action: domain.ActionVote, Decision: domain.DecisionApprove})
	in := s.input("2026-11-01")
	s.Equal(domain.StageOpen, in.Call.Stage)
	s.env.ExecuteWorkflow(CallWorkflowName, in)
	s.NoError(s.env.GetWorkflowError())
	s.NoError(o.rejected)
	s.Equal(domain.StagePublished, s.store.last.Stage)
	s.Equal([]string{"call_closes@2026-11-30"}, s.store.fired())
}

// A call that closes with no application ends by itself at its closing.
func (s *callSuite) TestEndsWithNoApplication() {
	s.env.ExecuteWorkflow(CallWorkflowName, s.input("2026-11-10"))
	s.True(s.env.IsWorkflowCompleted())
	s.NoError(s.env.GetWorkflowError())
	s.Equal(domain.StageNoApplications, s.store.last.Stage)
	s.Equal([]string{"call_opens@2026-11-09", "call_closes@2026-11-30"}, s.store.fired())
}

// A closed call waiting for its selection reminds its officer once after the
// committee's delay; the officer then ends it without result, which ends the
// workflow.
func (s *callSuite) TestClosedCallRemindsThenEndsUnsuccessful() {
	s.act(9*day, actor, apply("39"))
	noReason := s.act(60*day, officer, domain.CallInput{Action: domain.ActionCloseUnsuccessful})
	byActor := s.act(60*day+time.Hour, actor, domain.CallInput{Action: domain.ActionCloseUnsuccessful, Reason: "Je ne peux pas."})
	closed := s.act(61*day, officer, domain.CallInput{Action: domain.ActionCloseUnsuccessful, Reason: "Aucun territoire n'est prêt."})
	s.env.ExecuteWorkflow(CallWorkflowName, s.input("2026-11-10"))
	s.True(s.env.IsWorkflowCompleted())
	s.NoError(s.env.GetWorkflowError())
	s.refusedWith(noReason, domain.CodeInvalid)
	s.refusedWith(byActor, domain.CodeForbidden)
	s.True(closed.done)
	s.NoError(closed.rejected)
	s.NoError(closed.err)
	s.Equal(domain.StageUnsuccessful, s.store.last.Stage)
	s.Equal("Aucun territoire n'est prêt.", s.store.last.Reason)
	s.Equal([]string{"call_opens@2026-11-09", "call_closes@2026-11-30", "proposal_overdue@2026-12-30"}, s.store.fired(),
		"closed at the end of 30 November (23:00 UTC), the officer reminded 30 days later")
}
