package storage_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"essor/internal/domain"
	"essor/internal/storage"
	"essor/internal/testdb"
)

// A study-action's saves are idempotent and never go back; its reports are
// never doubled; an erased person's name does not come back from a later
// save of the workflow's state; the figures count what the period holds.
func TestStudyActionReadModel(t *testing.T) {
	db, _ := testdb.Fresh(t)
	host := mustUser(t, db, "Menuiserie Dupont", domain.RoleActor)
	officer := mustUser(t, db, "FCA", domain.RoleOfficer)
	amount := func(v float64) *float64 { return &v }
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	sa, first := domain.NewStudyAction(uuid.NewString(), domain.Application{HostCompany: "Menuiserie Dupont",
		ProjectTitle: "Recyclerie", Summary: "Une recyclerie de meubles dans le Jura.", Sponsor: "Réseau", DurationMonths: 6,
		Financing: []domain.Financing{{Funder: "Région", Kind: domain.FunderRegion, AmountEUR: amount(10000)},
			{Funder: "CDC", Kind: domain.FunderCDC, AmountEUR: amount(25000)}}}, host.Caller(), now)
	policy := domain.DefaultStudyActionPolicy
	save := func(s *domain.StudyAction, events []domain.Event) {
		t.Helper()
		if err := db.SaveStudyAction(ctx, s, events, s.Deadlines(policy)); err != nil {
			t.Fatal(err)
		}
	}
	save(sa, []domain.Event{first})
	var events []domain.Event
	step := func(by domain.Caller, in domain.StudyActionInput) {
		t.Helper()
		cmd := domain.StudyActionCommand{StudyActionInput: in, Caller: by, Quorum: 1}
		if err := sa.Authorize(cmd); err != nil {
			t.Fatal(err)
		}
		if err := sa.Validate(&cmd, now.Add(48*time.Hour)); err != nil {
			t.Fatal(err)
		}
		events = sa.Apply(cmd, now.Add(48*time.Hour))
		for range 3 { // a retried activity
			save(sa, events)
		}
	}
	member := domain.Caller{UserID: uuid.NewString(), Name: "Membre", Roles: []domain.Role{domain.RoleCommittee}}
	step(officer.Caller(), domain.StudyActionInput{Action: domain.ActionAppraise, Opinion: "Un avis motivé et favorable au projet."})
	step(member, domain.StudyActionInput{Action: domain.ActionVote, Decision: domain.DecisionApprove})
	step(officer.Caller(), domain.StudyActionInput{Action: domain.ActionRecruit, CarrierName: "Nora", StartDate: "2026-11-28"})
	older := sa.Clone()
	step(host.Caller(), domain.StudyActionInput{Action: domain.ActionReport, Month: 1, Text: "Un premier mois de travail utile."})
	save(&older, nil) // a late, older write

	row, err := db.StudyAction(ctx, sa.ID)
	if err != nil {
		t.Fatal(err)
	}
	if row.Stage != domain.StageStudy || row.Version != sa.Version || len(row.Reports) != 1 || *row.CarrierName != "Nora" ||
		domain.DayOf(*row.EndDate) != "2027-05-28" || row.ReportDue == nil {
		t.Fatalf("row %+v", row)
	}
	evs, err := db.Events(ctx, sa.ID)
	if err != nil || len(evs) != 6 {
		t.Fatalf("%d events (%v), want submit appraise vote decide recruit report", len(evs), err)
	}
	pending, err := db.PendingBallots(ctx, member.UserID)
	if err != nil || len(pending) != 0 {
		t.Fatalf("a decided ballot is still pending: %v %v", pending, err)
	}

	if _, err := db.EraseUser(ctx, host.ID, storage.Erasure{By: officer.Caller(), Reason: "Demande de la personne"}); err != nil {
		t.Fatal(err)
	}
	save(sa, nil) // the workflow saves its state again, with the name it holds
	row, _ = db.StudyAction(ctx, sa.ID)
	if row.ApplicantName != storage.ErasedName || row.Reports[0].ByName != storage.ErasedName {
		t.Fatalf("an erased name came back: %q %q", row.ApplicantName, row.Reports[0].ByName)
	}

	f, err := db.StudyActionFigures(ctx, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if f.ByStage[domain.StageStudy] != 1 || f.CommittedProjects != 1 || f.Committed.RegionEUR != 10000 || *f.Committed.Leverage() != 2.5 {
		t.Fatalf("figures %+v", f)
	}
	if f, _ := db.StudyActionFigures(ctx, time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)); f.CommittedProjects != 0 {
		t.Fatalf("an approval outside the period counted: %+v", f)
	}
	// A département's sheet counts its own study-actions only (this one answers no need: it has no territory).
	if f, _ := db.StudyActionFigures(ctx, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC), "39"); f.CommittedProjects != 0 || f.ByStage[domain.StageStudy] != 0 {
		t.Fatalf("a regional study-action counted in the Jura: %+v", f)
	}
}
