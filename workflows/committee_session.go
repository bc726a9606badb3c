package workflows

import (
	"go.temporal.io/sdk/workflow"

	"essor/activities"
	"essor/internal/domain"
)

// SessionWorkflowName names a committee session's workflow.
const SessionWorkflowName = "CommitteeSession"

// SignalSessionDecision tells a subject's workflow what a session decided on it.
const SignalSessionDecision = "session-decision"

// SessionWorkflowID names the workflow of a committee session.
func SessionWorkflowID(id string) string { return "session-" + id }

// SessionInput starts (or continues as new) a session's workflow.
type SessionInput struct {
	Session domain.Session `json:"session"`
	First   *domain.Event  `json:"first,omitempty"`
}

type sessionRun struct {
	lifecycle
	s *domain.Session
}

// CommitteeSession runs one session of the steering committee from its
// planning to its closing: its agenda, convening, opening and decisions are
// validated updates; its reminder the day before is a durable timer; each
// decision taken in session reaches the subject's workflow as a signal,
// which decides it as its ballot would.
func CommitteeSession(ctx workflow.Context, in SessionInput) error {
	r := &sessionRun{s: &in.Session}
	if err := r.register(ctx); err != nil {
		return err
	}
	save := func(events []domain.Event) error { return r.save(ctx, events) }
	if err := r.begin(ctx, in.First, r.s.Version, save, "session", r.s.ID); err != nil {
		return err
	}
	ended, err := live(ctx, r.s.PendingDeadlines, func() bool { return domain.SessionTerminal(r.s.Stage) },
		func(d domain.Deadline) { r.fire(ctx, d) })
	if err != nil || ended {
		return err
	}
	return workflow.NewContinueAsNewError(ctx, SessionWorkflowName, SessionInput{Session: *r.s})
}

func (r *sessionRun) register(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (domain.Session, error) { return *r.s, nil }); err != nil {
		return err
	}
	if err := registerCreation(ctx, &r.lifecycle, UpdateSubmit, func() ActionResult {
		return ActionResult{Stage: r.s.Stage, Version: r.s.Version}
	}); err != nil {
		return err
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, UpdateAction, r.act, workflow.UpdateHandlerOptions{
		Validator: func(ctx workflow.Context, cmd domain.SessionCommand) error {
			if err := r.check(&cmd); err != nil {
				return err
			}
			return businessError(r.s.Bounds(cmd)) //workflowcheck:ignore
		},
	})
}

func (r *sessionRun) check(cmd *domain.SessionCommand) error {
	if err := r.s.Authorize(*cmd); err != nil {
		return businessError(err)
	}
	return businessError(r.s.Validate(cmd))
}

func (r *sessionRun) act(ctx workflow.Context, cmd domain.SessionCommand) (ActionResult, error) {
	if err := r.check(&cmd); err != nil {
		return ActionResult{}, err
	}
	before := r.s.Clone()
	events := r.s.Apply(cmd, workflow.Now(ctx))
	workflow.GetLogger(ctx).Info("session action", "session", r.s.ID, "action", cmd.Action, "by", cmd.Caller.UserID, "stage", r.s.Stage)
	if err := r.save(ctx, events); err != nil {
		*r.s = before
		workflow.GetLogger(ctx).Error("session action undone: the read model refused it", "session", r.s.ID, "error", err)
		return ActionResult{}, businessError(domain.E(domain.CodeInternal, "error.save_refused"))
	}
	if cmd.Action == domain.ActionDecideItem {
		r.tell(ctx, cmd.N)
	}
	return ActionResult{Stage: r.s.Stage, Version: r.s.Version}, nil
}

// tell sends the item's decision to its subject's workflow (an adjourned
// item leaves the subject's decision open).
func (r *sessionRun) tell(ctx workflow.Context, n int) {
	it := r.s.Item(n)
	d := domain.DecisionOf(it.Decision.Decision)
	if d == "" {
		return
	}
	id := map[domain.Subject]func(string) string{domain.SubjectNeed: NeedWorkflowID,
		domain.SubjectStudyAction: StudyActionWorkflowID, domain.SubjectCall: CallWorkflowID}[it.Subject](it.SubjectID)
	sig := domain.SessionDecision{SessionID: r.s.ID, N: n, Decision: d, BudgetEUR: it.Decision.BudgetEUR,
		Conditions: it.Decision.Conditions, Reason: it.Decision.Reason}
	if err := workflow.SignalExternalWorkflow(ctx, id, "", SignalSessionDecision, sig).Get(ctx, nil); err != nil {
		workflow.GetLogger(ctx).Error("a session's decision could not reach its subject", "session", r.s.ID, "item", n, "error", err)
	}
}

func (r *sessionRun) fire(ctx workflow.Context, d domain.Deadline) {
	ev := r.s.Fire(d, workflow.Now(ctx))
	if err := r.save(ctx, []domain.Event{ev}); err != nil {
		workflow.GetLogger(ctx).Error("session reminder refused by the read model", "session", r.s.ID, "error", err)
	}
}

func (r *sessionRun) save(ctx workflow.Context, events []domain.Event) error {
	in := activities.SaveSessionInput{Session: *r.s, Events: events}
	if err := workflow.ExecuteLocalActivity(withSaveOptions(ctx), a.SaveSession, in).Get(ctx, nil); err != nil {
		return err
	}
	r.saved = max(r.saved, in.Session.Version)
	return nil
}

// sessionDecisions applies, in the subject's workflow, each decision a
// session sends it; drain applies those still waiting (before the workflow
// ends or continues as new).
// Each runs in the coroutine that receives it, with that coroutine's
// context; drain first waits for the one being saved, so that a decision
// that ends the subject is in the read model before the workflow closes.
func sessionDecisions(ctx workflow.Context, apply func(workflow.Context, domain.SessionDecision)) (drain func()) {
	ch := workflow.GetSignalChannel(ctx, SignalSessionDecision)
	busy := false
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var d domain.SessionDecision
			ch.Receive(ctx, &d)
			busy = true
			apply(ctx, d)
			busy = false
		}
	})
	return func() {
		_ = workflow.Await(ctx, func() bool { return !busy })
		for {
			var d domain.SessionDecision
			if !ch.ReceiveAsync(&d) {
				return
			}
			apply(ctx, d)
		}
	}
}
