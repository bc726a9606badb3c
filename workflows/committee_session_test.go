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

type sessionStore struct {
	mu     sync.Mutex
	events []domain.Event
	last   domain.Session
}

func (s *sessionStore) save(_ context.Context, in activities.SaveSessionInput) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, in.Events...)
	if in.Session.Version > s.last.Version {
		s.last = in.Session
	}
	return nil
}

type sessionSuite struct {
	suite.Suite
	testsuite.WorkflowTestSuite
	env   *testsuite.TestWorkflowEnvironment
	store *sessionStore
	start time.Time
}

func TestSessionWorkflow(t *testing.T) { suite.Run(t, new(sessionSuite)) }

func (s *sessionSuite) SetupTest() {
	s.env = s.NewTestWorkflowEnvironment()
	Register(s.env)
	s.store = &sessionStore{}
	s.env.RegisterActivity(&activities.Activities{})
	s.env.OnActivity(a.SaveSession, mock.Anything, mock.Anything).Return(s.store.save)
	s.start = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s.env.SetStartTime(s.start)
}

func (s *sessionSuite) act(delay time.Duration, cmd domain.SessionCommand) *outcome {
	o := &outcome{}
	s.env.RegisterDelayedCallback(func() {
		s.env.UpdateWorkflow(UpdateAction, "", &testsuite.TestUpdateCallback{
			OnReject:   func(err error) { o.rejected, o.done = err, true },
			OnAccept:   func() {},
			OnComplete: func(v any, err error) { o.err, o.done = err, true },
		}, cmd)
	}, delay)
	return o
}

// TestConveneRemindDecideClose: convened on 1 December for the 10th at
// 14:00, the members are reminded on the 9th at 14:00 (a durable timer);
// the session opens with a quorum, its approval reaches the need's
// workflow as a signal carrying the budget and the conditions, and it closes.
func (s *sessionSuite) TestConveneRemindDecideClose() {
	sess, first, err := domain.NewSession("77777777-7777-7777-7777-777777777777", domain.SessionDraft{Title: "Comité de décembre",
		StartsAt: "2026-12-10T14:00:00Z", Place: "Besançon"}, officer, s.start)
	s.Require().NoError(err)
	sess.Agenda = []domain.AgendaItem{{N: 1, Subject: domain.SubjectNeed, SubjectID: "11111111-1111-1111-1111-111111111111", Title: "Garde d'enfants"}}
	members := []domain.Member{{ID: "m1", Institution: "region"}, {ID: "m2", Institution: "state"}, {ID: "m3", Institution: "fca"}}
	cmd := func(in domain.SessionInput) domain.SessionCommand {
		return domain.SessionCommand{SessionInput: in, Caller: officer, Members: members, Names: []string{"A", "B", "C"}}
	}
	budget, two, zero := 45000.0, 2, 0
	var told domain.SessionDecision
	s.env.OnSignalExternalWorkflow(mock.Anything, NeedWorkflowID("11111111-1111-1111-1111-111111111111"), "", SignalSessionDecision, mock.Anything).
		Return(func(_, _, _, _ string, arg any) error { told = arg.(domain.SessionDecision); return nil }).Once()

	convene := s.act(time.Hour, cmd(domain.SessionInput{Action: domain.ActionConvene}))
	noQuorum := s.act(9*24*time.Hour, cmd(domain.SessionInput{Action: domain.ActionOpenSession,
		Attendance: []domain.Attendee{{UserID: "m1", Status: "present"}, {UserID: "m2", Status: "excused"}}}))
	open := s.act(9*24*time.Hour+time.Minute, cmd(domain.SessionInput{Action: domain.ActionOpenSession,
		Attendance: []domain.Attendee{{UserID: "m1", Status: "present"}, {UserID: "m2", Status: "represented", ProxyID: "m1"}}}))
	decide := s.act(9*24*time.Hour+2*time.Minute, cmd(domain.SessionInput{Action: domain.ActionDecideItem, N: 1, Decision: "approve",
		BudgetEUR: &budget, Conditions: "Un point d'étape en juin.", Votes: &domain.VoteCount{For: &two, Against: &zero, Abstain: &zero}}))
	closing := s.act(9*24*time.Hour+3*time.Minute, cmd(domain.SessionInput{Action: domain.ActionCloseSession}))

	s.env.ExecuteWorkflow(SessionWorkflowName, SessionInput{Session: *sess, First: &first})
	s.True(s.env.IsWorkflowCompleted())
	s.NoError(s.env.GetWorkflowError())
	for _, o := range []*outcome{convene, open, decide, closing} {
		s.True(o.done)
		s.NoError(o.rejected)
		s.NoError(o.err)
	}
	de, ok := DomainError(noQuorum.rejected)
	s.True(ok && de.Message.Key == "error.session_no_quorum", "%v", noQuorum.rejected)
	var actions []domain.Action
	var reminded time.Time
	for _, e := range s.store.events {
		actions = append(actions, e.Action)
		if e.Action == domain.ActionRemindSession {
			reminded = e.At
		}
	}
	s.Equal([]domain.Action{domain.ActionCreateCall, domain.ActionConvene, domain.ActionRemindSession, domain.ActionOpenSession,
		domain.ActionDecideItem, domain.ActionCloseSession}, actions)
	s.Equal(time.Date(2026, 12, 9, 14, 0, 0, 0, time.UTC), reminded)
	s.Equal(domain.StageClosed, s.store.last.Stage)
	s.Equal(2, s.store.last.Present)
	s.Equal(domain.DecisionApprove, told.Decision)
	s.Equal("Un point d'étape en juin.", told.Conditions)
	s.Require().NotNil(told.BudgetEUR)
	s.Equal(45000.0, *told.BudgetEUR)
}
