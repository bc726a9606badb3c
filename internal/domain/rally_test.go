package domain

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// seedPhases is the seed's first round: launch in November falls inside
// identification (November to March); gaps between the others.
func seedPhases() []PhaseDates {
	return []PhaseDates{
		{PhaseCharacterisation, "2026-02-01", "2026-04-30"},
		{PhaseOrganisation, "2026-05-01", "2026-09-30"},
		{PhaseLaunch, "2026-11-10", "2026-11-12"},
		{PhaseIdentification, "2026-11-10", "2027-03-31"},
		{PhaseStages, "2027-04-01", "2027-06-30"},
		{PhaseClosing, "2027-11-15", "2027-11-16"},
	}
}

func seedSetup() RoundSetup {
	return RoundSetup{Title: "Rally'nov 2026-2027", Phases: seedPhases(),
		Categories: []string{"Emploi", "Habitat"},
		Criteria:   []Criterion{{"utility", "Utilité sociale", 3}, {"innovation", "Caractère innovant", 2}, {"viability", "Viabilité", 1}}}
}

func seedRound(t *testing.T) *RoundState {
	t.Helper()
	s := seedSetup()
	spans, err := s.Validate()
	if err != nil {
		t.Fatal(err)
	}
	r, _ := NewRound("11111111-1111-4111-8111-111111111111", s, spans, Caller{UserID: "org", Name: "Orga", Roles: []Role{RoleOrganiser}},
		time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC))
	return &RoundState{Round: *r}
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, Paris)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func TestRoundSetupPhases(t *testing.T) {
	with := func(change func([]PhaseDates) []PhaseDates) RoundSetup {
		s := seedSetup()
		s.Phases = change(seedPhases())
		return s
	}
	cases := []struct {
		name  string
		setup RoundSetup
		key   string // the message on "phases", "" when valid
	}{
		{"the seed's round: overlaps and gaps", seedSetup(), ""},
		{"RFC 3339 times", with(func(p []PhaseDates) []PhaseDates {
			p[2] = PhaseDates{PhaseLaunch, "2026-11-09T18:00:00+01:00", "2026-11-09T22:00:00+01:00"}
			return p
		}), ""},
		{"any order in the body", with(func(p []PhaseDates) []PhaseDates { slices.Reverse(p); return p }), ""},
		{"same start as the one before", with(func(p []PhaseDates) []PhaseDates { p[1].StartsAt = p[0].StartsAt; return p }), ""},
		{"a phase missing", with(func(p []PhaseDates) []PhaseDates { return p[:5] }), "field.phase_missing"},
		{"a phase twice", with(func(p []PhaseDates) []PhaseDates { return append(p, p[0]) }), "field.phase_twice"},
		{"an unknown phase", with(func(p []PhaseDates) []PhaseDates { p[0].Phase = "party"; return p }), "field.phase_unknown"},
		{"a bad date", with(func(p []PhaseDates) []PhaseDates { p[3].EndsAt = "mars"; return p }), "field.phase_dates"},
		{"ends before it starts", with(func(p []PhaseDates) []PhaseDates { p[4].EndsAt = "2027-03-01"; return p }), "field.phase_end"},
		{"ends when it starts", with(func(p []PhaseDates) []PhaseDates {
			p[4] = PhaseDates{PhaseStages, "2027-04-01T10:00:00Z", "2027-04-01T10:00:00Z"}
			return p
		}), "field.phase_end"},
		{"starts before the one before", with(func(p []PhaseDates) []PhaseDates { p[3].StartsAt = "2026-11-09"; return p }), "field.phase_order"},
		{"out of range", with(func(p []PhaseDates) []PhaseDates { p[5].EndsAt = "9999-12-31"; return p }), "field.phase_range"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			spans, err := c.setup.Validate()
			if c.key == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				for i, sp := range spans {
					if sp.Phase != Phases[i] {
						t.Fatalf("span %d is %s", i, sp.Phase)
					}
				}
				return
			}
			de, ok := As(err)
			if !ok || de.Fields["phases"].Key != c.key {
				t.Fatalf("got %v (%+v), want %s on phases", err, de, c.key)
			}
		})
	}
	// A day is taken in Paris: an end day ends at the next midnight there.
	setup := seedSetup()
	spans, _ := setup.Validate()
	if got := spans[3].EndsAt; !got.Equal(at("2027-04-01 00:00")) {
		t.Fatalf("identification ends at %v", got)
	}
}

func TestRoundSetupFields(t *testing.T) {
	s := RoundSetup{Title: "Ra", Phases: seedPhases(), Categories: []string{"Emploi", "emploi"},
		Criteria: []Criterion{{"Utility", "U", 0}, {"ok_key", "Bon libellé", 1}, {"ok_key", "Encore", 1}}}
	_, err := s.Validate()
	de, _ := As(err)
	want := map[string]string{"title": "field.min_len", "categories": "field.item.duplicate", "criteria": "field.row.slug_format"}
	for f, k := range want {
		if de == nil || de.Fields[f].Key != k {
			t.Errorf("%s: got %+v, want %s", f, de, k)
		}
	}
	s = seedSetup()
	s.Criteria[1].Weight = 0
	_, err = s.Validate()
	if de, _ := As(err); de == nil || de.Fields["criteria"].Key != "field.row.above" || de.Fields["criteria"].Args[1] != "2" {
		t.Fatalf("weight 0: %+v", de.Fields)
	}
	s = seedSetup()
	s.Criteria = nil
	s.Categories = nil
	_, err = s.Validate()
	if de, _ := As(err); de == nil || de.Fields["criteria"].Key != "field.required" || de.Fields["categories"].Key != "field.required" {
		t.Fatalf("empty lists: %+v", de)
	}
}

func TestCurrentPhase(t *testing.T) {
	st := seedRound(t)
	r := &st.Round
	cases := []struct {
		now  string
		want Phase
	}{
		{"2026-01-31 23:59", ""},
		{"2026-02-01 00:00", PhaseCharacterisation},
		{"2026-10-15 12:00", PhaseOrganisation}, // a gap after its end: still organisation
		{"2026-11-10 00:00", PhaseIdentification},
		{"2026-11-11 12:00", PhaseIdentification}, // launch runs inside identification
		{"2027-03-31 23:59", PhaseIdentification},
		{"2027-04-01 00:00", PhaseStages},
		{"2027-09-01 00:00", PhaseStages},
		{"2027-11-15 08:00", PhaseClosing},
		{"2030-01-01 00:00", PhaseClosing},
	}
	for _, c := range cases {
		if got := r.CurrentPhase(at(c.now)); got != c.want {
			t.Errorf("%s: %q, want %q", c.now, got, c.want)
		}
	}
	// Advancing early moves it before the dates do, never back.
	now := at("2026-03-01 10:00")
	r.Apply(RallyCommand{Action: RallyAdvance}, now)
	if got := r.CurrentPhase(now); got != PhaseOrganisation {
		t.Fatalf("advanced: %q", got)
	}
	if got := r.CurrentPhase(at("2027-04-02 00:00")); got != PhaseStages {
		t.Fatalf("dates still move it: %q", got)
	}
	if ds := r.PendingDeadlines(); ds[0].Key != "phase:launch" {
		t.Fatalf("pending after advance: %+v", ds)
	}
}

// Apply on the round itself (advance), for the test above.
func (r *Round) Apply(cmd RallyCommand, now time.Time) []Event {
	st := &RoundState{Round: *r}
	evs := st.Apply(cmd, now)
	*r = st.Round
	return evs
}

var (
	organiser = Caller{UserID: "o1", Name: "Orga", Organisation: "FACT", Roles: []Role{RoleOrganiser}}
	company   = Caller{UserID: "a1", Name: "Ana", Organisation: "Coop Bois", Roles: []Role{RoleActor}}
	juror     = func(id, org string) Caller {
		return Caller{UserID: id, Name: id, Organisation: org, Roles: []Role{RoleJury}}
	}
)

func entry(title, cat string) *EntryInput {
	return &EntryInput{Organisation: "Coop Bois", Kind: "ess", Title: title, Description: "Une innovation sociale décrite en détail.", Category: cat}
}

func code(err error) string {
	if err == nil {
		return "ok"
	}
	de, ok := As(err)
	if !ok {
		return err.Error()
	}
	if len(de.Fields) > 0 {
		for f, m := range de.Fields {
			return f + ":" + m.Key
		}
	}
	return string(de.Code) + ":" + de.Message.Key
}

// do checks and applies a command as the workflow does.
func do(t *testing.T, st *RoundState, cmd RallyCommand, now time.Time) error {
	t.Helper()
	if err := st.Authorize(cmd, now); err != nil {
		return err
	}
	if err := st.Validate(&cmd); err != nil {
		return err
	}
	st.Apply(cmd, now)
	return nil
}

func TestEntriesWindow(t *testing.T) {
	cases := []struct {
		now     string
		advance int
		want    string
	}{
		{"2026-06-01 10:00", 0, "stage_conflict:error.rally_entries_closed"},
		{"2026-11-09 23:59", 0, "stage_conflict:error.rally_entries_closed"},
		{"2026-11-10 00:00", 0, "ok"},
		{"2026-11-11 10:00", 0, "ok"}, // during the launch too
		{"2027-03-31 23:59", 0, "ok"},
		{"2027-04-01 00:00", 0, "stage_conflict:error.rally_entries_closed"},
		{"2026-06-01 10:00", 2, "ok"}, // advanced into identification early
		{"2026-12-01 10:00", 1, "stage_conflict:error.rally_entries_closed"},
	}
	for _, c := range cases {
		st := seedRound(t)
		now := at(c.now)
		for i := 0; i < c.advance; i++ {
			if err := do(t, st, RallyCommand{Action: RallyAdvance, Caller: organiser}, now); err != nil {
				t.Fatal(err)
			}
		}
		err := do(t, st, RallyCommand{Action: RallyEnter, Caller: company, EntryID: "e1", Entry: entry("Ressourcerie", "Emploi")}, now)
		if got := code(err); got != c.want {
			t.Errorf("%s (+%d): %s, want %s", c.now, c.advance, got, c.want)
		}
	}
	// The refusal names identification's dates.
	st := seedRound(t)
	de, _ := As(st.Authorize(RallyCommand{Action: RallyEnter, Caller: company}, at("2026-06-01 10:00")))
	if got := strings.Join(de.Message.Args, "|"); got != "10/11/2026|31/03/2027|@rally.phase.organisation" {
		t.Fatalf("args %s", got)
	}
	// Fields, role.
	st = seedRound(t)
	now := at("2026-12-01 10:00")
	bad := &EntryInput{Organisation: "C", Kind: "startup", Title: "Bo", Description: "court", Category: "Santé"}
	err := do(t, st, RallyCommand{Action: RallyEnter, Caller: company, EntryID: "e1", Entry: bad}, now)
	de, _ = As(err)
	for _, f := range []string{"organisation", "kind", "title", "description", "category"} {
		if _, ok := de.Fields[f]; !ok {
			t.Errorf("no message on %s: %+v", f, de.Fields)
		}
	}
	if got := code(do(t, st, RallyCommand{Action: RallyEnter, Caller: organiser, Entry: entry("Ressourcerie", "Emploi")}, now)); got != "forbidden:error.forbidden" {
		t.Errorf("organiser enters: %s", got)
	}
	// The category is matched in any spelling.
	if err := do(t, st, RallyCommand{Action: RallyEnter, Caller: company, EntryID: "e1", Entry: entry("Ressourcerie", "habitat")}, now); err != nil {
		t.Fatal(err)
	}
	if st.Book.Entries[0].Category != 1 {
		t.Fatalf("category %d", st.Book.Entries[0].Category)
	}
}

func scores(u, i, v float64) map[string]*float64 {
	return map[string]*float64{"utility": &u, "innovation": &i, "viability": &v}
}

func TestScoring(t *testing.T) {
	st := seedRound(t)
	now := at("2026-12-01 10:00")
	if err := do(t, st, RallyCommand{Action: RallyEnter, Caller: company, EntryID: "e1", Entry: entry("Ressourcerie", "Emploi")}, now); err != nil {
		t.Fatal(err)
	}
	j1 := juror("j1", "Région")
	cases := []struct {
		name string
		cmd  RallyCommand
		want string
	}{
		{"a juror scores", RallyCommand{Action: RallyScore, Caller: j1, EntryID: "e1", Scores: scores(8, 6, 4)}, "ok"},
		{"and replaces the sheet", RallyCommand{Action: RallyScore, Caller: j1, EntryID: "e1", Scores: scores(10, 10, 10)}, "ok"},
		{"own organisation", RallyCommand{Action: RallyScore, Caller: juror("j2", "coop  BOIS"), EntryID: "e1", Scores: scores(8, 6, 4)}, "forbidden:error.rally_own_entry"},
		{"unknown entry", RallyCommand{Action: RallyScore, Caller: j1, EntryID: "e9", Scores: scores(8, 6, 4)}, "not_found:error.not_found"},
		{"not a juror", RallyCommand{Action: RallyScore, Caller: organiser, EntryID: "e1", Scores: scores(8, 6, 4)}, "forbidden:error.forbidden"},
		{"missing criterion", RallyCommand{Action: RallyScore, Caller: j1, EntryID: "e1", Scores: map[string]*float64{"utility": new(float64)}}, "scores:field.score_missing"},
		{"out of range", RallyCommand{Action: RallyScore, Caller: j1, EntryID: "e1", Scores: scores(11, 6, 4)}, "scores:field.score_range"},
		{"unknown criterion", RallyCommand{Action: RallyScore, Caller: j1, EntryID: "e1", Scores: func() map[string]*float64 {
			m := scores(1, 2, 3)
			m["beauty"] = new(float64)
			return m
		}()}, "scores:field.score_unknown"},
	}
	for _, c := range cases {
		if got := code(do(t, st, c.cmd, now)); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	if sh := st.Book.Entries[0].Sheets; len(sh) != 1 || sh[0].Score != 10 {
		t.Fatalf("sheets %+v", sh)
	}
	// (8*3 + 6*2 + 4*1) / 6
	if got := st.Round.WeightedScore(scores(8, 6, 4)); got != 6.666667 {
		t.Fatalf("weighted %v", got)
	}
	// The selection closes scoring.
	n := 1
	if err := do(t, st, RallyCommand{Action: RallySelect, Caller: organiser, Count: &n, Jury: []string{"region"}}, now); err != nil {
		t.Fatal(err)
	}
	if got := code(do(t, st, RallyCommand{Action: RallyScore, Caller: j1, EntryID: "e1", Scores: scores(1, 1, 1)}, now)); got != "stage_conflict:error.rally_scoring_closed" {
		t.Fatalf("after selection: %s", got)
	}
	// During identification the organiser may redo it (a history recorded
	// before redo existed keeps refusing it), never once a stage is scheduled.
	st.SelectOnce = true
	if got := code(do(t, st, RallyCommand{Action: RallySelect, Caller: organiser, Count: &n}, now)); got != "conflict:error.rally_already_selected" {
		t.Fatalf("second selection, old rule: %s", got)
	}
	st.SelectOnce = false
	two := 2
	if err := do(t, st, RallyCommand{Action: RallySelect, Caller: organiser, Count: &two, Jury: []string{"region"}}, now); err != nil {
		t.Fatalf("redone selection: %v", err)
	}
	if st.Round.Selection.Count != 2 {
		t.Fatalf("redone selection %+v", st.Round.Selection)
	}
	st.Round.Stops = []Stop{{ID: "s1", Place: "Dole", EntryIDs: []string{"e1"}}}
	if got := code(do(t, st, RallyCommand{Action: RallySelect, Caller: organiser, Count: &n}, now)); got != "stage_conflict:error.rally_selection_final" {
		t.Fatalf("selection after a stage: %s", got)
	}
	st.Round.Stops = nil
	if got := code(do(t, st, RallyCommand{Action: RallyNameJury, Caller: organiser, Jurors: []Juror{{ID: "j1", Key: "region"}}}, now)); got != "stage_conflict:error.rally_jury_after_selection" {
		t.Fatalf("jury after selection: %s", got)
	}
	if got := code(do(t, st, RallyCommand{Action: RallyEnter, Caller: company, EntryID: "e2", Entry: entry("Autre", "Emploi")}, now)); got != "stage_conflict:error.rally_entries_closed" {
		t.Fatalf("entry after selection: %s", got)
	}
}

func TestRank(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	mark := func(id string, min int, org string, ss ...float64) EntryMark {
		e := EntryMark{ID: id, Keys: []string{org}, At: t0.Add(time.Duration(min) * time.Minute)}
		for j, s := range ss {
			e.Sheets = append(e.Sheets, SheetMark{J: j, Score: s})
		}
		return e
	}
	jury4 := []string{"region", "etat", "cress", "fca"}
	ids := func(rs []Ranked) string {
		var out []string
		for _, r := range rs {
			out = append(out, fmt.Sprintf("%s#%d", r.EntryID, r.Rank))
		}
		return strings.Join(out, " ")
	}
	cases := []struct {
		name          string
		entries       []EntryMark
		jury          []string
		count         int
		selected      string
		apart         string
		apartNeedsTwo bool
	}{
		{"by weighted mean", []EntryMark{mark("a", 1, "x", 5, 5), mark("b", 2, "y", 9, 7), mark("c", 3, "z", 6, 8)}, jury4, 2, "b#1 c#2", "", false},
		{"ties by earliest submission", []EntryMark{mark("late", 5, "x", 8, 6), mark("early", 1, "y", 7, 7), mark("mid", 3, "z", 6, 8)}, jury4, 3, "early#1 mid#2 late#3", "", false},
		{"same time: by id", []EntryMark{mark("b", 1, "x", 7, 7), mark("a", 1, "y", 7, 7)}, jury4, 2, "a#1 b#2", "", false},
		{"fewer sheets than half the jury: apart, even with a top score", []EntryMark{mark("one", 1, "x", 10), mark("two", 2, "y", 5, 5)}, jury4, 2, "two#1", "one#0", true},
		{"no sheets: apart", []EntryMark{mark("none", 1, "x"), mark("two", 2, "y", 5, 5)}, jury4, 5, "two#1", "none#0", false},
		{"half counts the jurors who may score it", []EntryMark{mark("fca", 1, "fca", 9), mark("two", 2, "y", 5, 5)}, []string{"fca", "fca", "fca", "region"}, 2, "fca#1 two#2", "", false},
		{"count beyond the ranked", []EntryMark{mark("a", 1, "x", 5, 5)}, jury4, 10, "a#1", "", false},
		{"no entries", nil, jury4, 3, "", "", false},
	}
	for _, c := range cases {
		sel, apart := Rank(c.entries, c.jury, c.count)
		if got := ids(sel); got != c.selected {
			t.Errorf("%s: selected %q, want %q", c.name, got, c.selected)
		}
		if got := ids(apart); got != c.apart {
			t.Errorf("%s: apart %q, want %q", c.name, got, c.apart)
		}
		if c.apartNeedsTwo && apart[0].Needed != 2 {
			t.Errorf("%s: needed %d", c.name, apart[0].Needed)
		}
	}
}

func TestStagesAndTrophies(t *testing.T) {
	st := seedRound(t)
	now := at("2026-12-01 10:00")
	for i, cat := range []string{"Emploi", "Habitat", "Emploi"} {
		c := company
		c.Organisation = fmt.Sprintf("Coop %d", i)
		e := entry(fmt.Sprintf("Innovation %d", i), cat)
		e.Organisation = c.Organisation
		if err := do(t, st, RallyCommand{Action: RallyEnter, Caller: c, EntryID: fmt.Sprintf("0000000%d-0000-4000-8000-000000000000", i), Entry: e}, now); err != nil {
			t.Fatal(err)
		}
	}
	id := func(i int) string { return fmt.Sprintf("0000000%d-0000-4000-8000-000000000000", i) }
	for _, j := range []string{"j1", "j2"} {
		for i, s := range []float64{9, 8, 2} {
			if err := do(t, st, RallyCommand{Action: RallyScore, Caller: juror(j, "Jury "+j), EntryID: id(i), Scores: scores(s, s, s)}, now); err != nil {
				t.Fatal(err)
			}
		}
	}
	stage := func(date string, entries ...string) RallyCommand {
		return RallyCommand{Action: RallySchedule, Caller: organiser, Stop: &StopInput{Place: "Besançon", Day: date, EntryIDs: entries}}
	}
	if got := code(do(t, st, stage("2027-04-10", id(0)), now)); got != "stage_conflict:error.rally_no_selection" {
		t.Fatalf("stage before selection: %s", got)
	}
	n := 2
	if err := do(t, st, RallyCommand{Action: RallySelect, Caller: organiser, Count: &n, Jury: []string{"jury j1", "jury j2"}}, now); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		cmd  RallyCommand
		want string
	}{
		{stage("2027-03-31", id(0)), "day:field.stage_date"},
		{stage("2027-07-01", id(0)), "day:field.stage_date"},
		{stage("2027-04-10", id(2)), "entry_ids:field.entry_not_selected"},
		{stage("2027-04-10", id(0), strings.ToUpper(id(0))), "entry_ids:field.entry_twice"},
		{stage("2027-04-10", id(0), id(1)), "ok"},
		{stage("2027-06-30", id(1)), "ok"},
		{RallyCommand{Action: RallyAward, Caller: organiser, Category: "Emploi", EntryID: id(0)}, "stage_conflict:error.rally_phase"},
	} {
		if got := code(do(t, st, c.cmd, now)); got != c.want {
			t.Errorf("%+v: %s, want %s", c.cmd.Stop, got, c.want)
		}
	}
	closing := at("2027-11-15 10:00")
	award := func(cat, e string) RallyCommand {
		return RallyCommand{Action: RallyAward, Caller: organiser, Category: cat, EntryID: e}
	}
	for _, c := range []struct {
		cmd  RallyCommand
		want string
	}{
		{award("Emploi", id(2)), "entry_id:field.entry_not_selected"},
		{award("Emploi", id(1)), "entry_id:field.entry_category"},
		{award("Culture", id(0)), "category:field.oneof"},
		{award("emploi", id(0)), "ok"},
		{award("Emploi", id(0)), "conflict:error.rally_trophy_awarded"},
		{award("Habitat", id(1)), "ok"},
	} {
		if got := code(do(t, st, c.cmd, closing)); got != c.want {
			t.Errorf("award %s %s: %s, want %s", c.cmd.Category, c.cmd.EntryID, got, c.want)
		}
	}
	if len(st.Round.Trophies) != 2 || st.Round.Trophies[0].Category != "Emploi" {
		t.Fatalf("trophies %+v", st.Round.Trophies)
	}
	if len(st.Round.Stops) != 2 || st.Round.Stops[0].Date != "2027-04-10" {
		t.Fatalf("stages %+v", st.Round.Stops)
	}
}

// A round filled to its bounds stays far below Temporal's payload limit:
// a thousand entries with long organisation names, each scored by twenty jurors.
func TestRoundStateSize(t *testing.T) {
	st := seedRound(t)
	now := at("2026-12-01 10:00")
	for i := 0; i < MaxRallyEntries; i++ {
		c := company
		c.UserID = fmt.Sprintf("%08d-0000-4000-8000-000000000000", i)
		c.Organisation = strings.Repeat("o", 150) + fmt.Sprint(i)
		e := entry("Innovation", "Emploi")
		e.Organisation = c.Organisation
		if err := do(t, st, RallyCommand{Action: RallyEnter, Caller: c, EntryID: fmt.Sprintf("%08d-1111-4000-8000-000000000000", i), Entry: e}, now); err != nil {
			t.Fatal(i, err)
		}
	}
	if got := code(st.Authorize(RallyCommand{Action: RallyEnter, Caller: company}, now)); got != "conflict:error.rally_too_many_entries" {
		t.Fatalf("entry beyond the bound: %s", got)
	}
	for j := 0; j < 20; j++ {
		for _, e := range st.Book.Entries {
			cmd := RallyCommand{Action: RallyScore, Caller: juror(fmt.Sprintf("%08d-2222-4000-8000-000000000000", j), "Jury"), EntryID: e.ID, Scores: scores(7, 7, 7)}
			st.Apply(cmd, now)
		}
		if err := st.Room(RallyCommand{Action: RallyScore, Caller: juror("j", "Jury")}); err != nil {
			t.Fatalf("full after %d jurors: %v", j+1, err)
		}
	}
	b, _ := json.Marshal(st)
	if len(b) > MaxRoundStateBytes {
		t.Fatalf("state %d bytes", len(b))
	}
	t.Logf("state with %d entries and %d sheets: %d KiB", len(st.Book.Entries), 20*len(st.Book.Entries), len(b)>>10)
}

// A round's own jury scores it and is what "half the jury" counts: twelve
// jurors ever created no longer set every entry apart when four score.
func TestRoundJuryAndSelectionPerCategory(t *testing.T) {
	st := seedRound(t)
	now := at("2026-12-01 10:00")
	cats := st.Round.Categories
	for i, c := range []string{cats[0], cats[0], cats[0], cats[1]} {
		id := fmt.Sprintf("e%d", i+1)
		if err := do(t, st, RallyCommand{Action: RallyEnter, Caller: company, EntryID: id, Entry: entry("Projet "+id, c)}, now); err != nil {
			t.Fatal(err)
		}
	}
	var jury []Juror
	for j := 1; j <= 4; j++ {
		jury = append(jury, Juror{ID: fmt.Sprintf("j%d", j), Key: fmt.Sprintf("org%d", j)})
	}
	if got := code(do(t, st, RallyCommand{Action: RallyNameJury, Caller: organiser}, now)); got != "user_ids:field.required" {
		t.Fatalf("empty jury: %s", got)
	}
	if got := code(do(t, st, RallyCommand{Action: RallyNameJury, Caller: juror("j1", "org1"), Jurors: jury}, now)); got != "forbidden:error.forbidden" {
		t.Fatalf("a juror names the jury: %s", got)
	}
	if err := do(t, st, RallyCommand{Action: RallyNameJury, Caller: organiser, Jurors: jury}, now); err != nil {
		t.Fatal(err)
	}
	if got := code(do(t, st, RallyCommand{Action: RallyScore, Caller: juror("j9", "org9"), EntryID: "e1", Scores: scores(5, 5, 5)}, now)); got != "forbidden:error.rally_not_round_juror" {
		t.Fatalf("a juror of another round: %s", got)
	}
	// Two of the four jurors score every entry: each has half the jury.
	for i := 1; i <= 4; i++ {
		for j := 1; j <= 2; j++ {
			v := float64(i + j)
			if err := do(t, st, RallyCommand{Action: RallyScore, Caller: juror(fmt.Sprintf("j%d", j), fmt.Sprintf("org%d", j)),
				EntryID: fmt.Sprintf("e%d", i), Scores: scores(v, v, v)}, now); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Twelve jurors somewhere, passed by an old service: the round's own jury wins.
	twelve := make([]string, 12)
	for i := range twelve {
		twelve[i] = fmt.Sprintf("other%d", i)
	}
	one := 1
	if got := code(do(t, st, RallyCommand{Action: RallySelect, Caller: organiser, Count: &one, CountPerCategory: &one}, now)); got != "count:field.selection_one_way" {
		t.Fatalf("two ways: %s", got)
	}
	if got := code(do(t, st, RallyCommand{Action: RallySelect, Caller: organiser, Counts: []CategoryCount{{Category: "Nulle part", Count: 1}}}, now)); got != "counts:field.oneof" {
		t.Fatalf("unknown category: %s", got)
	}
	huge := math.MaxInt/2 + 1 // times two categories, it would wrap below the bound
	if got := code(do(t, st, RallyCommand{Action: RallySelect, Caller: organiser, CountPerCategory: &huge}, now)); got != "count_per_category:field.max" {
		t.Fatalf("a huge count per category: %s", got)
	}
	if got := code(do(t, st, RallyCommand{Action: RallySelect, Caller: organiser, Counts: []CategoryCount{{Category: cats[0], Count: math.MaxInt},
		{Category: cats[1], Count: math.MaxInt}}}, now)); got != "counts:field.max" {
		t.Fatalf("huge counts: %s", got)
	}
	if err := do(t, st, RallyCommand{Action: RallySelect, Caller: organiser, CountPerCategory: &one, Jury: twelve}, now); err != nil {
		t.Fatal(err)
	}
	sel := st.Round.Selection
	if len(sel.Apart) != 0 || len(sel.Selected) != 2 || sel.Count != 2 {
		t.Fatalf("per category: %+v", sel)
	}
	// e3 is the best of the first category, e4 the only one of the second; both rank 1.
	if sel.Selected[0].EntryID != "e3" || sel.Selected[0].Rank != 1 || sel.Selected[1].EntryID != "e4" || sel.Selected[1].Rank != 1 {
		t.Fatalf("ranks per category: %+v", sel.Selected)
	}
	// Redone with a count for one category, in another spelling.
	if err := do(t, st, RallyCommand{Action: RallySelect, Caller: organiser, Counts: []CategoryCount{{Category: strings.ToUpper(cats[0]), Count: 2}}}, now); err != nil {
		t.Fatal(err)
	}
	if sel := st.Round.Selection; len(sel.Selected) != 2 || sel.Counts[cats[0]] != 2 || sel.Counts[cats[1]] != 0 || sel.Selected[1].EntryID != "e2" {
		t.Fatalf("redone with counts: %+v", sel)
	}
}
