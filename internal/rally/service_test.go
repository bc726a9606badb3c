package rally_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"essor/internal/app"
	"essor/internal/domain"
	"essor/internal/rally"
	"essor/internal/testdb"
	"essor/internal/testenv"
)

// TestRoundMovesOnAcrossAWorkerRestart stops the only worker while a round
// waits for its next phase, lets the phase's start pass with no worker at
// all, and starts a new worker: the durable timer fires and the read model
// records the new phase, once.
func TestRoundMovesOnAcrossAWorkerRestart(t *testing.T) {
	db, _ := testdb.Fresh(t)
	tc, err := client.Dial(client.Options{HostPort: testenv.Temporal(t).Address(), Namespace: "default"})
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	queue := "rally-restart-" + time.Now().Format("150405.000000")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	w1 := app.NewWorker(tc, queue, db, log, nil)
	if err := w1.Start(); err != nil {
		t.Fatal(err)
	}
	svc := &rally.Service{DB: db, Temporal: tc, TaskQueue: queue}
	now := time.Now().UTC()
	organisationStarts := now.Add(4 * time.Second)
	ts := func(t time.Time) string { return t.Format(time.RFC3339Nano) }
	setup := domain.RoundSetup{Title: "Rally'nov du redémarrage", Categories: []string{"Emploi"},
		Criteria: []domain.Criterion{{Key: "utility", Label: "Utilité sociale", Weight: 1}},
		Phases: []domain.PhaseDates{
			{Phase: domain.PhaseCharacterisation, StartsAt: ts(now.Add(-time.Hour)), EndsAt: ts(now.Add(time.Second))},
			{Phase: domain.PhaseOrganisation, StartsAt: ts(organisationStarts), EndsAt: ts(now.Add(time.Hour))},
			{Phase: domain.PhaseLaunch, StartsAt: ts(now.Add(48 * time.Hour)), EndsAt: ts(now.Add(49 * time.Hour))},
			{Phase: domain.PhaseIdentification, StartsAt: ts(now.Add(48 * time.Hour)), EndsAt: ts(now.Add(90 * time.Hour))},
			{Phase: domain.PhaseStages, StartsAt: ts(now.Add(100 * time.Hour)), EndsAt: ts(now.Add(200 * time.Hour))},
			{Phase: domain.PhaseClosing, StartsAt: ts(now.Add(300 * time.Hour)), EndsAt: ts(now.Add(301 * time.Hour))},
		}}
	organiser := domain.Caller{UserID: "00000000-0000-4000-8000-0000000000a1", Name: "Fanny", Roles: []domain.Role{domain.RoleOrganiser}}
	ctx := context.Background()
	row, err := svc.Create(ctx, organiser, setup, "")
	if err != nil {
		t.Fatal(err)
	}
	// Its first phase's start has passed: the timer records it at once.
	testenv.WaitFor(t, func() bool {
		r, err := db.Round(ctx, row.ID)
		return err == nil && r.Phase == domain.PhaseCharacterisation
	})
	w1.Stop()

	for time.Now().Before(organisationStarts.Add(time.Second)) {
		time.Sleep(200 * time.Millisecond)
	}
	if r, _ := db.Round(ctx, row.ID); r.Phase != domain.PhaseCharacterisation {
		t.Fatalf("the phase moved with no worker: %s", r.Phase)
	}
	w2 := app.NewWorker(tc, queue, db, log, nil)
	if err := w2.Start(); err != nil {
		t.Fatal(err)
	}
	defer w2.Stop()
	testenv.WaitFor(t, func() bool {
		r, err := db.Round(ctx, row.ID)
		return err == nil && r.Phase == domain.PhaseOrganisation
	})
	events, err := db.Events(ctx, row.ID)
	if err != nil {
		t.Fatal(err)
	}
	var started []string
	for _, e := range events {
		if e.Action == string(domain.RallyPhaseStarted) {
			started = append(started, e.ToStage)
		}
	}
	if len(started) != 2 || started[0] != "characterisation" || started[1] != "organisation" {
		t.Fatalf("phase events: %v", started)
	}
	// The workflow still answers: the organiser moves it on.
	moved, err := svc.Act(ctx, organiser, row.ID, domain.RallyCommand{Action: domain.RallyAdvance}, "")
	if err != nil || moved.Phase != domain.PhaseLaunch {
		t.Fatalf("advance after the restart: %v %s", err, moved.Phase)
	}
}

// waitFor polls until ok, failing after a generous minute (no timing is asserted).
