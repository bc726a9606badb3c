package storage_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"essor/internal/domain"
	"essor/internal/testdb"
)

// A published call tells those who applied; a Rally'nov entry tells the
// jurors its scores are awaited; a retried save queues nothing more.
func TestProgrammesQueueTheirMessages(t *testing.T) {
	db, _ := testdb.Fresh(t)
	applicant := mustUser(t, db, "Mairie de Dole", domain.RoleActor)
	juror := mustUser(t, db, "Jury", domain.RoleJury)
	officer := mustUser(t, db, "FCA", domain.RoleOfficer)
	now := time.Now().UTC().Truncate(time.Microsecond)
	c := &domain.Call{ID: uuid.NewString(), Title: "Appel mobilité", Description: "Un appel.", OpensAt: now, ClosesAt: now.Add(time.Hour), CreatedBy: officer.Caller(), Applications: []domain.CallApplication{{TerritoryCode: "39", Organisation: "Mairie", OrganisationKey: "mairie", ByID: applicant.ID, ByName: "A", At: now}}, Selected: []string{"39"}, Tracked: domain.Tracked{Stage: domain.StagePublished, StageEnteredAt: now, CreatedAt: now, UpdatedAt: now, Version: 5, Seq: 5}}
	decide := []domain.Event{{Seq: 5, At: now, ActorName: "system", Action: domain.ActionDecide, FromStage: domain.StageDeciding, ToStage: domain.StagePublished}}
	r := &domain.Round{ID: uuid.NewString(), Title: "Rally 2026", Phases: []domain.PhaseSpan{}, Categories: []string{}, Criteria: []domain.Criterion{}, CreatedBy: officer.Caller(), CreatedAt: now, UpdatedAt: now, Version: 2}
	enter := []domain.Event{{Seq: 2, At: now, ActorID: applicant.ID, ActorName: "A", Action: domain.Action(domain.RallyEnter)}}
	for range 2 { // a retried save
		if err := db.SaveCall(ctx, c, decide, nil, nil); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveRound(ctx, r, 1, enter, nil, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	var published, awaited int
	if err := db.Pool.QueryRow(ctx, `SELECT
			count(*) FILTER (WHERE kind = 'call_published' AND recipient_id = $1),
			count(*) FILTER (WHERE kind = 'scores_awaited' AND recipient_id = $2)
		FROM outbox`, applicant.ID, juror.ID).Scan(&published, &awaited); err != nil {
		t.Fatal(err)
	}
	if published != 1 || awaited != 1 {
		t.Fatalf("call_published %d, scores_awaited %d: want 1 each", published, awaited)
	}
}
