// Package workflows holds Essor's durable processes; each file is one
// workflow with its input, result and message names.
package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"essor/activities"
	"essor/internal/domain"
)

// Names of the need workflow and its messages.
const (
	NeedWorkflowName = "Need"
	// UpdateSubmit is sent with the workflow's start; it completes once the
	// submission is in the read model.
	UpdateSubmit = "submit"
	// UpdateAction carries one domain.Command (a transition or a support).
	UpdateAction = "action"
	// SignalAbsorb tells a need that another one was merged into it.
	SignalAbsorb = "absorb"
	// QueryState returns the need's whole state.
	QueryState = "state"
)

// NeedWorkflowID names the workflow of a need.
func NeedWorkflowID(needID string) string { return "need-" + needID }

// NeedInput starts (or continues as new) a need's workflow.
type NeedInput struct {
	Need   domain.Need   `json:"need"`
	First  *domain.Event `json:"first,omitempty"` // the submission, to record on the first run
	Policy domain.Policy `json:"policy"`
}

// ActionResult is what an action update returns.
type ActionResult struct {
	Stage   domain.Stage `json:"stage"`
	Version int64        `json:"version"`
}

// AbsorbSignal says that need FromID was merged into this one.
type AbsorbSignal struct {
	FromID    string        `json:"from_id"`
	FromTitle string        `json:"from_title"`
	By        domain.Caller `json:"by"`
	// Supporters are the organisation keys the merge carries over: the
	// merged need's supporters and its submitting organisation (empty in
	// signals sent before merges carried supports).
	Supporters []string `json:"supporters,omitempty"`
}

var a *activities.Activities

// needRun is one run of the need workflow: the state and how to save it.
type needRun struct {
	n       *domain.Need
	policy  domain.Policy
	saved   int64 // the newest version known to be in the read model
	refused bool  // the read model refused the submission itself
}

// Need runs one emerging project from its submission to a terminal stage.
// Every human decision is an update validated against the current state;
// deadlines are durable timers that record reminders; every change reaches
// the read model before the update that caused it returns.
func Need(ctx workflow.Context, in NeedInput) error {
	r := &needRun{n: &in.Need, policy: in.Policy}
	if err := r.register(ctx); err != nil {
		return err
	}
	drainDecisions := sessionDecisions(ctx, r.decideInSession)
	absorbed := workflow.GetSignalChannel(ctx, SignalAbsorb)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var sig AbsorbSignal
			absorbed.Receive(ctx, &sig)
			r.absorb(ctx, sig)
		}
	})

	if in.First != nil {
		if err := r.save(ctx, []domain.Event{*in.First}); err != nil {
			// The database will never hold this submission: answer the
			// submit update, then end, rather than retry for ever.
			r.refused = true
			workflow.GetLogger(ctx).Error("need submission refused by the read model", "need", r.n.ID, "error", err)
			_ = workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
			return err
		}
	} else {
		r.saved = r.n.Version
	}

	for !r.n.Stage.Terminal() && !workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
		if err := r.waitForChangeOrDeadline(ctx); err != nil {
			return err
		}
	}
	// Let running updates finish and absorb late signals before closing or continuing.
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return err
	}
	for {
		var sig AbsorbSignal
		if !absorbed.ReceiveAsync(&sig) {
			break
		}
		r.absorb(ctx, sig)
	}
	drainDecisions()
	if r.n.Stage.Terminal() {
		return nil
	}
	return workflow.NewContinueAsNewError(ctx, NeedWorkflowName, NeedInput{Need: *r.n, Policy: r.policy})
}

// register installs the query and update handlers.
func (r *needRun) register(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (domain.Need, error) { return *r.n, nil }); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandler(ctx, UpdateSubmit, func(ctx workflow.Context) (ActionResult, error) {
		if err := workflow.Await(ctx, func() bool { return r.saved >= 1 || r.refused }); err != nil {
			return ActionResult{}, err
		}
		if r.refused {
			return ActionResult{}, businessError(domain.E(domain.CodeInternal, "error.save_refused"))
		}
		return ActionResult{Stage: r.n.Stage, Version: r.n.Version}, nil
	}); err != nil {
		return err
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, UpdateAction, r.act, workflow.UpdateHandlerOptions{
		Validator: func(ctx workflow.Context, cmd domain.NeedCommand) error {
			if err := r.check(ctx, &cmd); err != nil {
				return err
			}
			// Refusals added later, for new updates only: validators are not
			// replayed, act's check is. Room measures the state as JSON (plain
			// structs, sorted map keys): deterministic.
			bounds := r.n.Bounds(cmd, workflow.Now(ctx)) //workflowcheck:ignore
			return businessError(bounds)
		},
	})
}

// check accepts or rejects a command without changing anything.
func (r *needRun) check(ctx workflow.Context, cmd *domain.NeedCommand) error {
	if err := r.n.Authorize(*cmd); err != nil {
		return businessError(err)
	}
	// Themes and territories were checked against the database before the update was sent.
	return businessError(r.n.Validate(cmd, workflow.Now(ctx), domain.AnyReference{}))
}

// act carries out a validated command and returns once it is saved.
func (r *needRun) act(ctx workflow.Context, cmd domain.NeedCommand) (ActionResult, error) {
	if err := r.check(ctx, &cmd); err != nil { // the state may have moved since validation
		return ActionResult{}, err
	}
	if cmd.Action == domain.ActionSubmitStudy {
		// Ballots opened from this version on decide by a majority of the
		// votes cast and refuse members with a stake; older ones keep their rule.
		if workflow.GetVersion(ctx, "ballot-majority-of-votes-cast", workflow.DefaultVersion, 1) == 1 {
			cmd.BallotRule = domain.RuleMajority
		}
		// From this version on, ballots count one voice per institution.
		if workflow.GetVersion(ctx, "ballot-institutions", workflow.DefaultVersion, 1) == 1 {
			cmd.BallotRule = domain.RuleInstitutions
		}
	}
	if cmd.Action == domain.ActionProvideInfo {
		// From this version on, a need the submitter's answer sends back to
		// captured gets a fresh qualification deadline; older histories keep
		// the one counted from the submission.
		if workflow.GetVersion(ctx, "fresh-qualification-deadline", workflow.DefaultVersion, 1) == 1 {
			cmd.QualifyAgain = true
		}
	}
	from := r.n.Stage
	before := r.n.Clone()
	events := r.n.Apply(cmd, workflow.Now(ctx), r.policy.StudyDefault)
	res := ActionResult{Stage: r.n.Stage, Version: r.n.Version}
	workflow.GetLogger(ctx).Info("need action", "need", r.n.ID, "action", cmd.Action,
		"by", cmd.Caller.UserID, "from", from, "to", r.n.Stage, "version", r.n.Version)
	// Needs started before saves could be refused told the merge target first;
	// now the target hears of the merge only once it is saved.
	saveFirst := workflow.GetVersion(ctx, "save-before-absorb-signal", workflow.DefaultVersion, 1) == 1
	if cmd.Action == domain.ActionMerge && !saveFirst {
		r.signalAbsorb(ctx, cmd)
	}
	if err := r.save(ctx, events); err != nil {
		*r.n = before // nothing happened: the need stays as it was, and answerable
		workflow.GetLogger(ctx).Error("need action undone: the read model refused it", "need", r.n.ID,
			"action", cmd.Action, "error", err)
		return ActionResult{}, businessError(domain.E(domain.CodeInternal, "error.save_refused"))
	}
	if cmd.Action == domain.ActionMerge && saveFirst {
		r.signalAbsorb(ctx, cmd)
	}
	return res, nil
}

// decideInSession takes a committee session's decision as the ballot's.
func (r *needRun) decideInSession(ctx workflow.Context, d domain.SessionDecision) {
	before := r.n.Clone()
	events := r.n.DecideInSession(d, workflow.Now(ctx), r.policy.StudyDefault)
	if len(events) == 0 {
		workflow.GetLogger(ctx).Warn("a session's decision came when none was open", "need", r.n.ID, "session", d.SessionID)
		return
	}
	if err := r.save(ctx, events); err != nil {
		*r.n = before
		workflow.GetLogger(ctx).Error("a session's decision refused by the read model", "need", r.n.ID, "error", err)
	}
}

// signalAbsorb tells the merge target; it may have closed meanwhile: the
// merge stands all the same.
func (r *needRun) signalAbsorb(ctx workflow.Context, cmd domain.NeedCommand) {
	_ = workflow.SignalExternalWorkflow(ctx, NeedWorkflowID(cmd.Into), "", SignalAbsorb,
		AbsorbSignal{FromID: r.n.ID, FromTitle: r.n.Title, By: cmd.Caller, Supporters: r.n.MergeSupporters()}).Get(ctx, nil)
}

func (r *needRun) absorb(ctx workflow.Context, sig AbsorbSignal) {
	before := r.n.Clone()
	ev := r.n.Absorb(sig.FromID, sig.FromTitle, sig.Supporters, sig.By, workflow.Now(ctx))
	if err := r.save(ctx, []domain.Event{ev}); err != nil {
		*r.n = before
		workflow.GetLogger(ctx).Error("merge record refused by the read model", "need", r.n.ID, "from", sig.FromID, "error", err)
	}
}

// waitForChangeOrDeadline waits, through the one deadline mechanism, until
// the project ends, its deadlines change, or one passes; a passed deadline
// records its reminder. Actions that leave the deadlines alone (votes,
// supports, carriers) do not wake it, so its timer is not restarted for them.
func (r *needRun) waitForChangeOrDeadline(ctx workflow.Context) error {
	due, err := awaitDeadlines(ctx, func() []domain.Deadline { return r.n.PendingDeadlines(r.policy) },
		func() bool { return r.n.Stage.Terminal() || workflow.GetInfo(ctx).GetContinueAsNewSuggested() })
	for _, d := range due {
		r.fire(ctx, d)
	}
	return err
}

// fire records that a deadline passed.
func (r *needRun) fire(ctx workflow.Context, d domain.Deadline) {
	before := r.n.Clone()
	ev := r.n.Fire(d, workflow.Now(ctx))
	workflow.GetLogger(ctx).Info("need deadline passed", "need", r.n.ID, "kind", d.Kind, "stage", r.n.Stage)
	if err := r.save(ctx, []domain.Event{ev}); err != nil {
		// Keep the deadline fired, so that a refused reminder is not tried again at once.
		before.Reminded = append(before.Reminded, d.Key)
		*r.n = before
		workflow.GetLogger(ctx).Error("need reminder refused by the read model", "need", r.n.ID, "kind", d.Kind, "error", err)
	}
}

// save writes the current state and the new events to the read model.
func (r *needRun) save(ctx workflow.Context, events []domain.Event) error {
	in := activities.SaveNeedInput{Need: *r.n, Events: events}
	if d, ok := r.n.Deadline(r.policy); ok {
		in.Deadline = &d.At
	}
	if err := workflow.ExecuteLocalActivity(withSaveOptions(ctx), a.SaveNeed, in).Get(ctx, nil); err != nil {
		return err
	}
	r.saved = max(r.saved, in.Need.Version)
	return nil
}

// withSaveOptions sets how read-model writes run: as local activities (no
// extra round trip to the server), retried for up to a year, because the
// read model must catch up however long the database is away. A write the
// database refuses for good fails at once (non-retryable, see SaveNeed).
func withSaveOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout:    15 * time.Second,
		ScheduleToCloseTimeout: 365 * 24 * time.Hour, // it defaults to StartToClose, which would end the retries
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 100 * time.Millisecond, BackoffCoefficient: 2,
			MaximumInterval: 30 * time.Second},
	})
}
