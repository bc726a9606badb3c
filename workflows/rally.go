package workflows

import (
	"go.temporal.io/sdk/workflow"

	"essor/activities"
	"essor/internal/domain"
	"essor/internal/storage"
)

// Names of the Rally'nov round workflow and its messages.
const (
	RoundWorkflowName = "RallyRound"
	// UpdateRoundCreate is sent with the workflow's start; it completes
	// once the round is in the read model.
	UpdateRoundCreate = "create"
	// UpdateRoundAct carries one domain.RallyCommand.
	UpdateRoundAct = "act"
	// QueryRound returns the round's state.
	QueryRound = "state"
)

// RoundWorkflowID names the workflow of a round.
func RoundWorkflowID(roundID string) string { return "rally-round-" + roundID }

// RoundInput starts (or continues as new) a round's workflow.
type RoundInput struct {
	State domain.RoundState `json:"state"`
	First *domain.Event     `json:"first,omitempty"` // the creation, to record on the first run
}

// RoundResult is what a round's update returns.
type RoundResult struct {
	Phase   domain.Phase `json:"phase"`
	Version int64        `json:"version"`
}

// roundRun is one run of a round's workflow.
//
// A round lives a year or more and takes many entries and score sheets.
// Each entry's text travels once, in its update, to the read model; the
// state keeps only what the rules need (domain.RoundBook: ids, organisation
// keys, one number per sheet), bounded by domain.MaxRoundStateBytes, so the
// input of a continue-as-new stays small. The history, which grows with
// every update, is cut by continuing as new whenever Temporal suggests it,
// once no handler is running (a test drives a round through it).
type roundRun struct {
	lifecycle
	st *domain.RoundState
}

// RallyRound runs one Rally'nov round: its phases start by themselves on
// their dates (durable timers, through the one deadline mechanism) or
// earlier when the organiser advances it; entries, sheets, the selection,
// stages and trophies are updates validated against the current state.
func RallyRound(ctx workflow.Context, in RoundInput) error {
	r := &roundRun{st: &in.State}
	if err := r.register(ctx); err != nil {
		return err
	}
	save := func(events []domain.Event) error { return r.save(ctx, events, nil, nil) }
	if err := r.begin(ctx, in.First, r.st.Round.Version, save, "round", r.st.Round.ID); err != nil {
		return err
	}
	ended, err := live(ctx, func() []domain.Deadline { return r.st.Round.PendingDeadlines() }, func() bool { return r.st.Round.Archived },
		func(d domain.Deadline) { r.fire(ctx, d) })
	if err != nil || ended {
		return err
	}
	return workflow.NewContinueAsNewError(ctx, RoundWorkflowName, RoundInput{State: *r.st})
}

func (r *roundRun) register(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryRound, func() (domain.RoundState, error) { return *r.st, nil }); err != nil {
		return err
	}
	if err := registerCreation(ctx, &r.lifecycle, UpdateRoundCreate, func() RoundResult {
		return RoundResult{Phase: r.st.Round.Phase, Version: r.st.Round.Version}
	}); err != nil {
		return err
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, UpdateRoundAct, r.act, workflow.UpdateHandlerOptions{
		Validator: func(ctx workflow.Context, cmd domain.RallyCommand) error {
			if err := r.check(ctx, &cmd); err != nil {
				return err
			}
			// Room measures the state as JSON (plain structs, sorted map
			// keys): deterministic; validators are not replayed anyway.
			return businessError(r.st.Room(cmd)) //workflowcheck:ignore
		},
	})
}

// check accepts or refuses a command without changing anything.
func (r *roundRun) check(ctx workflow.Context, cmd *domain.RallyCommand) error {
	if err := r.st.Authorize(*cmd, workflow.Now(ctx)); err != nil {
		return businessError(err)
	}
	return businessError(r.st.Validate(cmd))
}

// act carries out a validated command and returns once it is saved.
func (r *roundRun) act(ctx workflow.Context, cmd domain.RallyCommand) (RoundResult, error) {
	if cmd.Action == domain.RallySelect {
		// Histories recorded before a selection could be redone refused a second one.
		r.st.SelectOnce = workflow.GetVersion(ctx, "rally-selection-redo", workflow.DefaultVersion, 1) == workflow.DefaultVersion
		defer func() { r.st.SelectOnce = false }()
	}
	if err := r.check(ctx, &cmd); err != nil { // the state may have moved since validation
		return RoundResult{}, err
	}
	now := workflow.Now(ctx)
	before := r.st.Clone()
	events := r.st.Apply(cmd, now)
	var entry *storage.EntryRecord
	var sheet *storage.SheetRecord
	switch cmd.Action {
	case domain.RallyEnter:
		entry = &storage.EntryRecord{ID: cmd.EntryID, RoundID: r.st.Round.ID, Entry: *cmd.Entry,
			SubmittedBy: cmd.Caller.UserID, SubmittedByName: cmd.Caller.Name, SubmittedAt: now, OrganisationID: cmd.Caller.OrganisationID}
	case domain.RallyScore:
		scores := map[string]float64{}
		for _, c := range r.st.Round.Criteria {
			scores[c.Key] = *cmd.Scores[c.Key]
		}
		sheet = &storage.SheetRecord{EntryID: cmd.EntryID, RoundID: r.st.Round.ID, JurorID: cmd.Caller.UserID,
			JurorName: cmd.Caller.Name, Scores: scores, Total: r.st.Round.WeightedScore(cmd.Scores), Seq: events[0].Seq, At: now}
	}
	workflow.GetLogger(ctx).Info("round action", "round", r.st.Round.ID, "action", cmd.Action,
		"by", cmd.Caller.UserID, "phase", r.st.Round.Phase, "version", r.st.Round.Version)
	if err := r.save(ctx, events, entry, sheet); err != nil {
		*r.st = before
		workflow.GetLogger(ctx).Error("round action undone: the read model refused it", "round", r.st.Round.ID,
			"action", cmd.Action, "error", err)
		return RoundResult{}, businessError(domain.E(domain.CodeInternal, "error.save_refused"))
	}
	return RoundResult{Phase: r.st.Round.Phase, Version: r.st.Round.Version}, nil
}

// fire records that a deadline passed: a phase started, or the round ends.
func (r *roundRun) fire(ctx workflow.Context, d domain.Deadline) {
	before := r.st.Clone()
	ev := r.st.Round.Fire(d, workflow.Now(ctx))
	workflow.GetLogger(ctx).Info("round deadline passed", "round", r.st.Round.ID, "kind", d.Kind, "key", d.Key)
	if err := r.save(ctx, []domain.Event{ev}, nil, nil); err != nil {
		// Keep it fired, so that a refused record is not tried again at once.
		before.Round.Fired = append(before.Round.Fired, d.Key)
		before.Round.Archived = before.Round.Archived || r.st.Round.Archived
		*r.st = before
		workflow.GetLogger(ctx).Error("round deadline record refused by the read model", "round", r.st.Round.ID, "error", err)
	}
}

// save writes the round and what changed to the read model.
func (r *roundRun) save(ctx workflow.Context, events []domain.Event, entry *storage.EntryRecord, sheet *storage.SheetRecord) error {
	in := activities.SaveRoundInput{Round: r.st.Round, Entries: len(r.st.Book.Entries), Events: events, Entry: entry, Sheet: sheet}
	if ds := r.st.Round.PendingDeadlines(); len(ds) > 0 {
		in.Deadline = &ds[0].At
	}
	if err := workflow.ExecuteLocalActivity(withSaveOptions(ctx), a.SaveRound, in).Get(ctx, nil); err != nil {
		return err
	}
	r.saved = max(r.saved, in.Round.Version)
	return nil
}
