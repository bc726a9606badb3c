package storage_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"essor/internal/domain"
	"essor/internal/storage"
	"essor/internal/testdb"
)

// A call's saves are idempotent and never go back; an application is
// written once with its motivation, listed for everyone or for its
// organisation only; the committee's ballot is listed as a call's.
func TestCallReadModel(t *testing.T) {
	db, _ := testdb.Fresh(t)
	officer := mustUser(t, db, "FCA", domain.RoleOfficer)
	dole := mustUser(t, db, "Mairie de Dole", domain.RoleActor)
	jura := mustUser(t, db, "Communauté du Jura", domain.RoleActor)
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	d := domain.CallDraft{Title: "Épiceries itinérantes", Description: "Des territoires pour une épicerie itinérante.",
		OpensAt: "2026-11-30", ClosesAt: "2026-12-31"}
	if err := d.Validate(now); err != nil {
		t.Fatal(err)
	}
	c, first := domain.NewCall(uuid.NewString(), d, officer.Caller(), now)
	policy := domain.DefaultCallPolicy
	save := func(events []domain.Event, applied *domain.CallApplication) {
		t.Helper()
		for range 3 { // a retried activity
			if err := db.SaveCall(ctx, c, events, c.Deadlines(policy), applied); err != nil {
				t.Fatal(err)
			}
		}
	}
	save([]domain.Event{first}, nil)
	step := func(by domain.Caller, in domain.CallInput) {
		t.Helper()
		cmd := domain.CallCommand{CallInput: in, Caller: by, Quorum: 1}
		if err := c.Authorize(cmd, now); err != nil {
			t.Fatal(err)
		}
		if err := c.Validate(&cmd, nil); err != nil {
			t.Fatal(err)
		}
		events := c.Apply(cmd, now)
		var applied *domain.CallApplication
		if in.Action == domain.ActionApply {
			a := c.Applications[len(c.Applications)-1]
			a.Motivation = in.Motivation
			applied = &a
		}
		save(events, applied)
	}
	motivation := "Nous avons un local et des bénévoles prêts."
	step(dole.Caller(), domain.CallInput{Action: domain.ActionApply, TerritoryCode: "39", Motivation: motivation})
	step(jura.Caller(), domain.CallInput{Action: domain.ActionApply, TerritoryCode: "39", Motivation: motivation})
	step(jura.Caller(), domain.CallInput{Action: domain.ActionApply, TerritoryCode: "25", Motivation: motivation})
	older := c.Clone()

	row, err := db.Call(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if row.Stage != domain.StageOpen || row.ApplicationsCount != 3 || len(row.Selected) != 0 || row.NextDeadline == nil ||
		!row.NextDeadline.Equal(c.ClosesAt) || row.Title != d.Title {
		t.Fatalf("call row: %+v", row)
	}
	all, next, err := db.CallApplications(ctx, c.ID, storage.CallApplicationFilter{Limit: 2})
	if err != nil || len(all) != 2 || next == "" || all[0].Motivation != motivation {
		t.Fatalf("applications page 1: %v %q %v", all, next, err)
	}
	rest, next, err := db.CallApplications(ctx, c.ID, storage.CallApplicationFilter{Limit: 2, Cursor: next})
	if err != nil || len(rest) != 1 || next != "" {
		t.Fatalf("applications page 2: %v %q %v", rest, next, err)
	}
	mine, _, err := db.CallApplications(ctx, c.ID, storage.CallApplicationFilter{OrganisationKey: dole.Caller().OrganisationKey()})
	if err != nil || len(mine) != 1 || mine[0].TerritoryCode != "39" || mine[0].Organisation != "Mairie de Dole" {
		t.Fatalf("an organisation's applications: %v %v", mine, err)
	}

	closing := c.PendingDeadlines(policy)[0]
	save([]domain.Event{c.Fire(closing, closing.At)}, nil)
	step(officer.Caller(), domain.CallInput{Action: domain.ActionPropose, TerritoryCodes: []string{"39"}})
	pending, err := db.PendingBallots(ctx, uuid.NewString())
	if err != nil || len(pending) != 1 || pending[0].Subject != string(domain.SubjectCall) || pending[0].Title != d.Title ||
		pending[0].Deadline == nil {
		t.Fatalf("pending ballots: %+v %v", pending, err)
	}
	if kind, err := db.BallotSubjectOf(ctx, c.ID); err != nil || kind != domain.SubjectCall {
		t.Fatalf("ballot subject: %s %v", kind, err)
	}
	member := domain.Caller{UserID: uuid.NewString(), Name: "Membre", Roles: []domain.Role{domain.RoleCommittee}}
	step(member, domain.CallInput{Action: domain.ActionVote, Decision: domain.DecisionApprove})
	if err := db.SaveCall(ctx, &older, nil, older.Deadlines(policy), nil); err != nil { // a late, older write
		t.Fatal(err)
	}
	row, err = db.Call(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if row.Stage != domain.StagePublished || len(row.Selected) != 1 || row.Selected[0] != "39" || row.Proposal == nil ||
		row.Proposal.Outcome != domain.DecisionApprove || row.NextDeadline != nil {
		t.Fatalf("published: %+v", row)
	}
	if pending, _ := db.PendingBallots(ctx, member.UserID); len(pending) != 0 {
		t.Fatalf("a decided ballot still pending: %+v", pending)
	}
	events, err := db.Events(ctx, c.ID)
	if err != nil || len(events) != int(c.Seq) {
		t.Fatalf("events: %d for %d, %v", len(events), c.Seq, err)
	}
	list, _, err := db.Calls(ctx, storage.CallFilter{Stages: []domain.Stage{domain.StagePublished}})
	if err != nil || len(list) != 1 {
		t.Fatalf("calls by stage: %v %v", list, err)
	}
	if open, err := db.OpenCalls(ctx, 10); err != nil || len(open) != 0 {
		t.Fatalf("open calls: %v %v", open, err)
	}
	if _, err := db.Call(ctx, "nope"); err != storage.ErrNotFound {
		t.Fatalf("bad id: %v", err)
	}
}
