package storage_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"essor/internal/domain"
	"essor/internal/storage"
	"essor/internal/testdb"
)

// A round's saves are idempotent and never roll back: a replayed save keeps
// one event, an older state is ignored, an older sheet does not replace a
// newer one; entries come a page at a time with their sheets counted.
func TestSaveRound(t *testing.T) {
	db, _ := testdb.Fresh(t)
	org := mustUser(t, db, "FACT", domain.RoleOrganiser)
	company := mustUser(t, db, "Coop Bois", domain.RoleActor)
	setup := domain.RoundSetup{Title: "Rally'nov 2027", Categories: []string{"Emploi"},
		Criteria: []domain.Criterion{{Key: "utility", Label: "Utilité sociale", Weight: 1}}}
	for i, p := range domain.Phases {
		setup.Phases = append(setup.Phases, domain.PhaseDates{Phase: p, StartsAt: fmt.Sprintf("2027-0%d-01", i+1), EndsAt: fmt.Sprintf("2027-0%d-20", i+1)})
	}
	spans, err := setup.Validate()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	r, first := domain.NewRound(uuid.NewString(), setup, spans, org.Caller(), at)
	st := domain.RoundState{Round: *r}
	for range 2 { // a retried save
		if err := db.SaveRound(ctx, &st.Round, 0, []domain.Event{first}, nil, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	old := st.Clone()
	st.Apply(domain.RallyCommand{Action: domain.RallyAdvance, Caller: org.Caller()}, at)
	st.Apply(domain.RallyCommand{Action: domain.RallyAdvance, Caller: org.Caller()}, at)
	if err := db.SaveRound(ctx, &st.Round, 0, nil, nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveRound(ctx, &old.Round, 0, nil, nil, nil, nil); err != nil { // late, older
		t.Fatal(err)
	}
	row, err := db.Round(ctx, r.ID)
	if err != nil || row.Phase != domain.PhaseOrganisation || len(row.Phases) != 6 || row.Criteria[0].Key != "utility" {
		t.Fatalf("round %+v %v", row, err)
	}
	if _, err := db.Round(ctx, uuid.NewString()); err != storage.ErrNotFound {
		t.Fatalf("missing round: %v", err)
	}

	// 7 entries, one with two sheets (the later replaces the earlier, not the reverse).
	var ids []string
	for i := range 7 {
		id := uuid.NewString()
		ids = append(ids, id)
		e := &storage.EntryRecord{ID: id, RoundID: r.ID, Entry: domain.EntryInput{Organisation: "Coop Bois", Kind: "ess",
			Title: fmt.Sprintf("Innovation %d", i), Description: "Une description assez longue.", Category: "Emploi"},
			SubmittedBy: company.ID, SubmittedByName: company.Name, SubmittedAt: at.Add(time.Duration(i) * time.Minute)}
		st.Round.Version++ // each entry is a new version of the round
		for range 2 {
			if err := db.SaveRound(ctx, &st.Round, i+1, nil, e, nil, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	juror := uuid.NewString()
	sheet := func(seq int, total float64) *storage.SheetRecord {
		return &storage.SheetRecord{EntryID: ids[0], RoundID: r.ID, JurorID: juror, JurorName: "Jeanne",
			Scores: map[string]float64{"utility": total}, Total: total, Seq: seq, At: at}
	}
	for _, s := range []*storage.SheetRecord{sheet(10, 4), sheet(12, 9), sheet(11, 1)} {
		if err := db.SaveRound(ctx, &st.Round, 7, nil, nil, s, nil); err != nil {
			t.Fatal(err)
		}
	}
	var seen []string
	cursor := ""
	for pages := 0; ; pages++ {
		list, next, err := db.Entries(ctx, storage.EntryFilter{RoundID: r.ID, Juror: juror, Limit: 3, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range list {
			seen = append(seen, e.ID)
			if e.ID == ids[0] && (e.Sheets != 1 || *e.Mean != 9 || *e.MySheet != 9) {
				t.Fatalf("sheets %d mean %v mine %v", e.Sheets, *e.Mean, *e.MySheet)
			}
		}
		if next == "" {
			if pages != 2 {
				t.Fatalf("%d pages", pages+1)
			}
			break
		}
		cursor = next
	}
	if len(seen) != 7 || seen[0] != ids[6] || seen[6] != ids[0] {
		t.Fatalf("entries, newest first: %v", seen)
	}
	if scores, err := db.SheetScores(ctx, ids[0], juror); err != nil || scores["utility"] != 9 {
		t.Fatalf("sheet %v %v", scores, err)
	}
	if row, _ := db.Round(ctx, r.ID); row.Entries != 7 {
		t.Fatalf("count %d", row.Entries)
	}
}
