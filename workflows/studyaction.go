package workflows

import (
	"go.temporal.io/sdk/workflow"

	"essor/activities"
	"essor/internal/domain"
)

// Names of the study-action workflow; its updates and query share the
// need workflow's names (submit, action, state).
const StudyActionWorkflowName = "StudyAction"

// StudyActionWorkflowID names the workflow of a study-action.
func StudyActionWorkflowID(id string) string { return "study-action-" + id }

// StudyActionInput starts (or continues as new) a study-action's workflow.
type StudyActionInput struct {
	StudyAction domain.StudyAction       `json:"study_action"`
	First       *domain.Event            `json:"first,omitempty"` // the application, to record on the first run
	Policy      domain.StudyActionPolicy `json:"policy"`
}

type studyActionRun struct {
	lifecycle
	s      *domain.StudyAction
	policy domain.StudyActionPolicy
}

// StudyAction runs one Fonds de confiance study-action from its application
// to its conclusion: decisions are validated updates, its deadlines (the
// recruitment, each month's report, the warning before the end, the end)
// wait in the one deadline mechanism, and every change reaches the read
// model before the update that caused it returns.
func StudyAction(ctx workflow.Context, in StudyActionInput) error {
	r := &studyActionRun{s: &in.StudyAction, policy: in.Policy}
	if err := r.register(ctx); err != nil {
		return err
	}
	save := func(events []domain.Event) error { return r.save(ctx, events) }
	drainDecisions := sessionDecisions(ctx, r.decideInSession)
	if err := r.begin(ctx, in.First, r.s.Version, save, "study-action", r.s.ID); err != nil {
		return err
	}
	ended, err := live(ctx, func() []domain.Deadline { return r.s.PendingDeadlines(r.policy) },
		func() bool { return domain.StudyActionTerminal(r.s.Stage) }, func(d domain.Deadline) { r.fire(ctx, d) })
	drainDecisions()
	if err != nil || ended || domain.StudyActionTerminal(r.s.Stage) {
		return err
	}
	return workflow.NewContinueAsNewError(ctx, StudyActionWorkflowName, StudyActionInput{StudyAction: *r.s, Policy: r.policy})
}

func (r *studyActionRun) register(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (domain.StudyAction, error) { return *r.s, nil }); err != nil {
		return err
	}
	if err := registerCreation(ctx, &r.lifecycle, UpdateSubmit, func() ActionResult {
		return ActionResult{Stage: r.s.Stage, Version: r.s.Version}
	}); err != nil {
		return err
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, UpdateAction, r.act, workflow.UpdateHandlerOptions{
		Validator: func(ctx workflow.Context, cmd domain.StudyActionCommand) error {
			if err := r.check(ctx, &cmd); err != nil {
				return err
			}
			// Bounds measures the state as JSON (plain structs, sorted map keys): deterministic.
			return businessError(r.s.Bounds(cmd)) //workflowcheck:ignore
		},
	})
}

func (r *studyActionRun) check(ctx workflow.Context, cmd *domain.StudyActionCommand) error {
	if err := r.s.Authorize(*cmd); err != nil {
		return businessError(err)
	}
	return businessError(r.s.Validate(cmd, workflow.Now(ctx)))
}

func (r *studyActionRun) act(ctx workflow.Context, cmd domain.StudyActionCommand) (ActionResult, error) {
	if err := r.check(ctx, &cmd); err != nil {
		return ActionResult{}, err
	}
	if cmd.Action == domain.ActionAppraise || cmd.Action == domain.ActionReviseFinancing {
		// Ballots opened from this version on count one voice per institution.
		if workflow.GetVersion(ctx, "ballot-institutions", workflow.DefaultVersion, 1) == 1 {
			cmd.BallotRule = domain.RuleInstitutions
		}
	}
	from, before := r.s.Stage, r.s.Clone()
	events := r.s.Apply(cmd, workflow.Now(ctx))
	res := ActionResult{Stage: r.s.Stage, Version: r.s.Version}
	workflow.GetLogger(ctx).Info("study-action action", "study_action", r.s.ID, "action", cmd.Action,
		"by", cmd.Caller.UserID, "from", from, "to", r.s.Stage, "version", r.s.Version)
	if err := r.save(ctx, events); err != nil {
		*r.s = before
		workflow.GetLogger(ctx).Error("study-action action undone: the read model refused it", "study_action", r.s.ID,
			"action", cmd.Action, "error", err)
		return ActionResult{}, businessError(domain.E(domain.CodeInternal, "error.save_refused"))
	}
	return res, nil
}

// decideInSession takes a committee session's decision as the ballot's.
func (r *studyActionRun) decideInSession(ctx workflow.Context, d domain.SessionDecision) {
	before := r.s.Clone()
	events := r.s.DecideInSession(d, workflow.Now(ctx))
	if len(events) == 0 {
		workflow.GetLogger(ctx).Warn("a session's decision came when none was open", "study_action", r.s.ID, "session", d.SessionID)
		return
	}
	if err := r.save(ctx, events); err != nil {
		*r.s = before
		workflow.GetLogger(ctx).Error("a session's decision refused by the read model", "study_action", r.s.ID, "error", err)
	}
}

func (r *studyActionRun) fire(ctx workflow.Context, d domain.Deadline) {
	before := r.s.Clone()
	ev := r.s.Fire(d, workflow.Now(ctx))
	workflow.GetLogger(ctx).Info("study-action deadline passed", "study_action", r.s.ID, "kind", d.Kind, "stage", r.s.Stage)
	if err := r.save(ctx, []domain.Event{ev}); err != nil {
		before.Reminded = append(before.Reminded, d.Key)
		*r.s = before
		workflow.GetLogger(ctx).Error("study-action reminder refused by the read model", "study_action", r.s.ID, "kind", d.Kind, "error", err)
	}
}

func (r *studyActionRun) save(ctx workflow.Context, events []domain.Event) error {
	in := activities.SaveStudyActionInput{StudyAction: *r.s, Events: events, Deadlines: r.s.Deadlines(r.policy)}
	if err := workflow.ExecuteLocalActivity(withSaveOptions(ctx), a.SaveStudyAction, in).Get(ctx, nil); err != nil {
		return err
	}
	r.saved = max(r.saved, in.StudyAction.Version)
	return nil
}
