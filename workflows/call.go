package workflows

import (
	"go.temporal.io/sdk/workflow"

	"essor/activities"
	"essor/internal/domain"
)

// CallWorkflowName names the call-for-projects workflow; its updates and
// query share the need workflow's names (submit, action, state).
const CallWorkflowName = "Call"

// CallWorkflowID names the workflow of a call for projects.
func CallWorkflowID(id string) string { return "call-" + id }

// CallInput starts (or continues as new) a call's workflow.
type CallInput struct {
	Call   domain.Call       `json:"call"`
	First  *domain.Event     `json:"first,omitempty"` // the creation, to record on the first run
	Policy domain.CallPolicy `json:"policy"`
}

type callRun struct {
	lifecycle
	c      *domain.Call
	policy domain.CallPolicy
}

// Call runs one call for projects from its creation to its published
// selection: it opens and closes by itself at its dates (the one deadline
// mechanism, durable across restarts), applications and the committee's
// decision are validated updates, and every change reaches the read model
// before the update that caused it returns.
func Call(ctx workflow.Context, in CallInput) error {
	r := &callRun{c: &in.Call, policy: in.Policy}
	if err := r.register(ctx); err != nil {
		return err
	}
	save := func(events []domain.Event) error { return r.save(ctx, events, nil) }
	drainDecisions := sessionDecisions(ctx, r.decideInSession)
	if err := r.begin(ctx, in.First, r.c.Version, save, "call", r.c.ID); err != nil {
		return err
	}
	ended, err := live(ctx, func() []domain.Deadline { return r.c.PendingDeadlines(r.policy) },
		func() bool { return domain.CallTerminal(r.c.Stage) }, func(d domain.Deadline) { r.fire(ctx, d) })
	drainDecisions()
	if err != nil || ended || domain.CallTerminal(r.c.Stage) {
		return err
	}
	return workflow.NewContinueAsNewError(ctx, CallWorkflowName, CallInput{Call: *r.c, Policy: r.policy})
}

func (r *callRun) register(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (domain.Call, error) { return *r.c, nil }); err != nil {
		return err
	}
	if err := registerCreation(ctx, &r.lifecycle, UpdateSubmit, func() ActionResult {
		return ActionResult{Stage: r.c.Stage, Version: r.c.Version}
	}); err != nil {
		return err
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, UpdateAction, r.act, workflow.UpdateHandlerOptions{
		Validator: func(ctx workflow.Context, cmd domain.CallCommand) error {
			if err := r.check(ctx, &cmd); err != nil {
				return err
			}
			// Validators are not replayed; Bounds measures the state as JSON
			// (plain structs, sorted maps): deterministic all the same.
			return businessError(r.c.Bounds(cmd)) //workflowcheck:ignore
		},
	})
}

func (r *callRun) check(ctx workflow.Context, cmd *domain.CallCommand) error {
	if err := r.c.Authorize(*cmd, workflow.Now(ctx)); err != nil {
		return businessError(err)
	}
	return businessError(r.c.Validate(cmd, nil)) // territories were checked by the service
}

func (r *callRun) act(ctx workflow.Context, cmd domain.CallCommand) (ActionResult, error) {
	if err := r.check(ctx, &cmd); err != nil {
		return ActionResult{}, err
	}
	if cmd.Action == domain.ActionPropose {
		// Ballots opened from this version on count one voice per institution.
		if workflow.GetVersion(ctx, "ballot-institutions", workflow.DefaultVersion, 1) == 1 {
			cmd.BallotRule = domain.RuleInstitutions
		}
	}
	from, before := r.c.Stage, r.c.Clone()
	events := r.c.Apply(cmd, workflow.Now(ctx))
	res := ActionResult{Stage: r.c.Stage, Version: r.c.Version}
	workflow.GetLogger(ctx).Info("call action", "call", r.c.ID, "action", cmd.Action,
		"by", cmd.Caller.UserID, "from", from, "to", r.c.Stage, "version", r.c.Version)
	var applied *domain.CallApplication
	if cmd.Action == domain.ActionApply {
		a := r.c.Applications[len(r.c.Applications)-1]
		a.Motivation = cmd.Motivation
		applied = &a
	}
	if err := r.save(ctx, events, applied); err != nil {
		*r.c = before
		workflow.GetLogger(ctx).Error("call action undone: the read model refused it", "call", r.c.ID,
			"action", cmd.Action, "error", err)
		return ActionResult{}, businessError(domain.E(domain.CodeInternal, "error.save_refused"))
	}
	return res, nil
}

// decideInSession takes a committee session's decision as the ballot's.
func (r *callRun) decideInSession(ctx workflow.Context, d domain.SessionDecision) {
	before := r.c.Clone()
	events := r.c.DecideInSession(d, workflow.Now(ctx))
	if len(events) == 0 {
		workflow.GetLogger(ctx).Warn("a session's decision came when none was open", "call", r.c.ID, "session", d.SessionID)
		return
	}
	if err := r.save(ctx, events, nil); err != nil {
		*r.c = before
		workflow.GetLogger(ctx).Error("a session's decision refused by the read model", "call", r.c.ID, "error", err)
	}
}

func (r *callRun) fire(ctx workflow.Context, d domain.Deadline) {
	ev := r.c.Fire(d, workflow.Now(ctx))
	workflow.GetLogger(ctx).Info("call deadline passed", "call", r.c.ID, "kind", d.Kind, "stage", r.c.Stage)
	if err := r.save(ctx, []domain.Event{ev}, nil); err != nil {
		// Kept: a call opens and closes at its dates whatever the read
		// model says; the next save brings the row up to date.
		workflow.GetLogger(ctx).Error("call deadline refused by the read model", "call", r.c.ID, "kind", d.Kind, "error", err)
	}
}

func (r *callRun) save(ctx workflow.Context, events []domain.Event, applied *domain.CallApplication) error {
	in := activities.SaveCallInput{Call: *r.c, Events: events, Deadlines: r.c.Deadlines(r.policy), Applied: applied}
	if err := workflow.ExecuteLocalActivity(withSaveOptions(ctx), a.SaveCall, in).Get(ctx, nil); err != nil {
		return err
	}
	r.saved = max(r.saved, in.Call.Version)
	return nil
}
