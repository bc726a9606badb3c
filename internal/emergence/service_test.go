package emergence_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"

	"essor/internal/committee"
	"essor/internal/domain"
	"essor/internal/emergence"
	"essor/internal/storage"
	"essor/internal/testenv"
	"essor/workflows"
)

// TestLifecycle goes through the needs' service on the real PostgreSQL and
// Temporal: a retried submission or action with the same key is carried
// out once, a refusal costs no update and is counted, and an action on a
// need whose workflow has ended is the stage's 409, not an error.
func TestLifecycle(t *testing.T) {
	env := testenv.New(t)
	db, tc := env.DB, env.Temporal
	var mu sync.Mutex
	outcomes := map[string]int{}
	svc := &emergence.Service{DB: db, Ref: storage.NewReference(db, time.Minute), Temporal: tc, TaskQueue: env.Config.TaskQueue,
		Policy: domain.DefaultPolicy, Committee: &committee.Committee{DB: db},
		Observe: func(a domain.Action, outcome string) { mu.Lock(); outcomes[string(a)+":"+outcome]++; mu.Unlock() }}
	ctx := context.Background()
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor).Caller()
	officer := env.Account(t, "FCA", domain.RoleOfficer).Caller()

	sub := domain.NeedSubmission{Title: "Transport des aînés", Description: "Les aînés isolés ne peuvent plus aller chez le médecin.",
		Theme: "mobility", TerritoryCode: "39"}
	first, err := svc.Submit(ctx, actor, sub, "clé-1")
	if err != nil {
		t.Fatal(err)
	}
	again, err := svc.Submit(ctx, actor, sub, "clé-1")
	if err != nil || again.ID != first.ID {
		t.Fatalf("a retried submission: %v, %s then %s", err, first.ID, again.ID)
	}
	other, err := svc.Submit(ctx, env.Account(t, "Centre social de Lure", domain.RoleActor).Caller(), sub, "clé-1") // another account's key names another need
	if err != nil || other.ID == first.ID {
		t.Fatalf("another account's submission: %v %s", err, other.ID)
	}
	if _, err := svc.Submit(ctx, actor, domain.NeedSubmission{Title: "Trop"}, ""); !domain.IsCode(err, domain.CodeInvalid) {
		t.Fatalf("a short submission: %v", err)
	}

	info := domain.NeedInput{Action: domain.ActionRequestInfo, Comment: "Combien de personnes sont concernées ?"}
	if _, err := svc.Act(ctx, actor, first.ID, info, "k"); !domain.IsCode(err, domain.CodeForbidden) {
		t.Fatalf("an actor asking for information: %v", err)
	}
	row, err := svc.Act(ctx, officer, first.ID, info, "demande-1")
	if err != nil || row.Stage != domain.StageAwaitingInfo {
		t.Fatalf("request info: %v %s", err, row.Stage)
	}
	// A retry once the stored stage has moved is refused before any update.
	if _, err := svc.Act(ctx, officer, first.ID, info, "demande-1"); !domain.IsCode(err, domain.CodeStage) {
		t.Fatalf("a retried request for information: %v", err)
	}
	events, err := db.Events(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	asked := 0
	for _, e := range events {
		if e.Action == string(domain.ActionRequestInfo) {
			asked++
		}
	}
	if asked != 1 {
		t.Fatalf("a retried action recorded %d times", asked)
	}

	reject := domain.NeedInput{Action: domain.ActionReject, Reason: "Déjà couvert par le transport à la demande."}
	if _, err := svc.Act(ctx, officer, first.ID, reject, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Act(ctx, officer, first.ID, reject, ""); !domain.IsCode(err, domain.CodeStage) {
		t.Fatalf("acting on a rejected need: %v", err)
	}
	// The read model behind (a save not yet seen): the workflow has ended, and says so.
	testenv.WaitFor(t, func() bool {
		d, err := tc.DescribeWorkflowExecution(ctx, workflows.NeedWorkflowID(first.ID), "")
		return err == nil && d.WorkflowExecutionInfo.Status != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING
	})
	if _, err := db.Pool.Exec(ctx, "UPDATE needs SET stage = 'captured' WHERE id = $1", first.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Act(ctx, officer, first.ID, reject, ""); !domain.IsCode(err, domain.CodeStage) {
		t.Fatalf("acting on an ended workflow: %v", err)
	}
	if _, err := svc.Act(ctx, officer, uuid.NewString(), info, ""); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("an unknown need: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if outcomes["submit:ok"] != 3 || outcomes["reject:stage_conflict"] != 2 || outcomes["request_info:stage_conflict"] != 1 || outcomes["submit:validation_failed"] != 1 || outcomes["request_info:forbidden"] != 1 || outcomes["reject:ok"] != 1 {
		t.Fatalf("outcomes: %v", outcomes)
	}
}
