package workflows

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"essor/activities"
	"essor/internal/domain"
)

// roundStore records what a round's workflow saved.
type roundStore struct {
	mu      sync.Mutex
	events  []domain.Event
	entries int
	sheets  int
	last    domain.Round
}

func (s *roundStore) save(_ context.Context, in activities.SaveRoundInput) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, in.Events...)
	if in.Entry != nil {
		s.entries++
	}
	if in.Sheet != nil {
		s.sheets++
	}
	if in.Round.Version > s.last.Version {
		s.last = in.Round
	}
	return nil
}

// phases returns "action:to@time" for every phase change, in order.
func (s *roundStore) phases() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, e := range s.events {
		if e.Action == domain.Action(domain.RallyPhaseStarted) || e.Action == domain.Action(domain.RallyAdvance) || e.Action == domain.Action(domain.RallyArchive) {
			out = append(out, fmt.Sprintf("%s:%s@%s", e.Action, e.ToStage, e.At.In(domain.Paris).Format("2006-01-02 15:04")))
		}
	}
	return out
}

var (
	rallyOrganiser = domain.Caller{UserID: "00000000-0000-0000-0000-0000000000a1", Name: "Fanny", Organisation: "FACT", Roles: []domain.Role{domain.RoleOrganiser}}
	rallyCompany   = domain.Caller{UserID: "00000000-0000-0000-0000-0000000000b1", Name: "Bruno", Organisation: "Coop Bois", Roles: []domain.Role{domain.RoleActor}}
	rallyJuror     = domain.Caller{UserID: "00000000-0000-0000-0000-0000000000c1", Name: "Jeanne", Organisation: "Région", Roles: []domain.Role{domain.RoleJury}}
)

func newRoundEnv(t *testing.T, start time.Time) (*testsuite.TestWorkflowEnvironment, *roundStore) {
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestWorkflowEnvironment()
	Register(env)
	st := &roundStore{}
	env.RegisterActivity(&activities.Activities{})
	env.OnActivity(a.SaveRound, mock.Anything, mock.Anything).Return(st.save)
	env.SetStartTime(start)
	return env, st
}

// seedRoundInput is the seed's first round: gaps between the first phases,
// the launch starting with identification, a gap before the closing.
func seedRoundInput(t *testing.T, now time.Time, phases []domain.PhaseDates) RoundInput {
	s := domain.RoundSetup{Title: "Rally'nov 2026-2027", Phases: phases, Categories: []string{"Emploi", "Habitat"},
		Criteria: []domain.Criterion{{Key: "utility", Label: "Utilité sociale", Weight: 2}, {Key: "innovation", Label: "Innovation", Weight: 1}}}
	spans, err := s.Validate()
	if err != nil {
		t.Fatal(err)
	}
	r, first := domain.NewRound("22222222-2222-4222-8222-222222222222", s, spans, rallyOrganiser, now)
	return RoundInput{State: domain.RoundState{Round: *r}, First: &first}
}

var seedPhaseDates = []domain.PhaseDates{
	{Phase: domain.PhaseCharacterisation, StartsAt: "2026-02-01", EndsAt: "2026-04-30"},
	{Phase: domain.PhaseOrganisation, StartsAt: "2026-05-01", EndsAt: "2026-09-30"},
	{Phase: domain.PhaseLaunch, StartsAt: "2026-11-10", EndsAt: "2026-11-12"},
	{Phase: domain.PhaseIdentification, StartsAt: "2026-11-10", EndsAt: "2027-03-31"},
	{Phase: domain.PhaseStages, StartsAt: "2027-04-01", EndsAt: "2027-06-30"},
	{Phase: domain.PhaseClosing, StartsAt: "2027-11-15", EndsAt: "2027-11-16"},
}

type updateOutcome struct {
	err  error
	done bool
}

// send an update at a moment (Paris time) of the round.
func sendAt(env *testsuite.TestWorkflowEnvironment, start time.Time, when string, cmd domain.RallyCommand) *updateOutcome {
	at, err := time.ParseInLocation("2006-01-02 15:04", when, domain.Paris)
	if err != nil {
		panic(err)
	}
	o := &updateOutcome{}
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(UpdateRoundAct, "", &testsuite.TestUpdateCallback{
			OnReject:   func(err error) { o.err, o.done = err, true },
			OnAccept:   func() {},
			OnComplete: func(_ any, err error) { o.err, o.done = err, true },
		}, cmd)
	}, at.Sub(start))
	return o
}

func codeOf(err error) string {
	if err == nil {
		return "ok"
	}
	var de *domain.Error
	if d, ok := DomainError(err); ok {
		de = d
	} else {
		return err.Error()
	}
	for f, m := range de.Fields {
		return f + ":" + m.Key
	}
	return de.Message.Key
}

func TestRoundRunsThroughItsSixPhases(t *testing.T) {
	start := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	env, st := newRoundEnv(t, start)
	in := seedRoundInput(t, start, seedPhaseDates)
	v := func(x float64) *float64 { return &x }
	one := 1
	entryID := "33333333-3333-4333-8333-333333333333"
	entry := &domain.EntryInput{Organisation: "Coop Bois", Kind: "ess", Title: "Ressourcerie du bois", Description: "Réemploi des chutes de bois par des personnes en insertion.", Category: "Emploi"}
	steps := []struct {
		o    *updateOutcome
		want string
	}{
		{sendAt(env, start, "2026-06-01 10:00", domain.RallyCommand{Action: domain.RallyEnter, Caller: rallyCompany, EntryID: entryID, Entry: entry}), "error.rally_entries_closed"},
		{sendAt(env, start, "2026-11-20 10:00", domain.RallyCommand{Action: domain.RallyEnter, Caller: rallyCompany, EntryID: entryID, Entry: entry}), "ok"},
		{sendAt(env, start, "2026-12-01 10:00", domain.RallyCommand{Action: domain.RallyScore, Caller: rallyJuror, EntryID: entryID,
			Scores: map[string]*float64{"utility": v(8), "innovation": v(5)}}), "ok"},
		{sendAt(env, start, "2027-03-01 10:00", domain.RallyCommand{Action: domain.RallySelect, Caller: rallyOrganiser, Count: &one, Jury: []string{"region"}}), "ok"},
		{sendAt(env, start, "2027-03-02 10:00", domain.RallyCommand{Action: domain.RallySchedule, Caller: rallyOrganiser,
			Stop: &domain.StopInput{Place: "Dole", Day: "2027-05-12", EntryIDs: []string{entryID}}}), "ok"},
		{sendAt(env, start, "2027-06-01 10:00", domain.RallyCommand{Action: domain.RallyAward, Caller: rallyOrganiser, Category: "Emploi", EntryID: entryID}), "error.rally_phase"},
		{sendAt(env, start, "2027-11-15 18:00", domain.RallyCommand{Action: domain.RallyAward, Caller: rallyOrganiser, Category: "Emploi", EntryID: entryID}), "ok"},
	}
	env.ExecuteWorkflow(RoundWorkflowName, in)
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	for i, s := range steps {
		if !s.o.done || codeOf(s.o.err) != s.want {
			t.Errorf("step %d: %v (done %v), want %s", i, codeOf(s.o.err), s.o.done, s.want)
		}
	}
	want := []string{
		"phase_started:characterisation@2026-02-01 00:00",
		"phase_started:organisation@2026-05-01 00:00",
		"phase_started:launch@2026-11-10 00:00", // launch and identification start together
		"phase_started:identification@2026-11-10 00:00",
		"phase_started:stages@2027-04-01 00:00",
		"phase_started:closing@2027-11-15 00:00",
		"archived:closing@2028-02-15 00:00",
	}
	if got := st.phases(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("phases:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if st.entries != 1 || st.sheets != 1 || len(st.last.Trophies) != 1 || !st.last.Archived || len(st.last.Stops) != 1 {
		t.Fatalf("saved: %d entries, %d sheets, last %+v", st.entries, st.sheets, st.last)
	}
}

// The organiser moves the round on early; the dates that have been
// overtaken never fire again, and later dates still move it.
func TestRoundAdvancesEarly(t *testing.T) {
	start := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	env, st := newRoundEnv(t, start)
	in := seedRoundInput(t, start, seedPhaseDates)
	adv := domain.RallyCommand{Action: domain.RallyAdvance, Caller: rallyOrganiser}
	outcomes := []*updateOutcome{
		sendAt(env, start, "2026-01-12 10:00", adv), // → characterisation, before its date
		sendAt(env, start, "2026-03-01 10:00", adv), // → organisation
		sendAt(env, start, "2026-03-01 11:00", adv), // → launch
		sendAt(env, start, "2026-03-01 12:00", domain.RallyCommand{Action: domain.RallyAdvance, Caller: rallyCompany}),
	}
	env.RegisterDelayedCallback(func() { env.CancelWorkflow() }, 330*24*time.Hour)
	env.ExecuteWorkflow(RoundWorkflowName, in)
	for i, o := range outcomes[:3] {
		if !o.done || o.err != nil {
			t.Fatalf("advance %d: %v", i, o.err)
		}
	}
	if got := codeOf(outcomes[3].err); got != "error.forbidden" {
		t.Fatalf("a company advances: %s", got)
	}
	want := []string{
		"advance:characterisation@2026-01-12 10:00",
		"advance:organisation@2026-03-01 10:00",
		"advance:launch@2026-03-01 11:00",
		"phase_started:identification@2026-11-10 00:00",
	}
	if got := st.phases(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("phases:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Many entries: when Temporal suggests it, the workflow continues as new
// with a small state (no entry's text), and the next run carries on: its
// entries can be scored, the passed phases do not fire again.
func TestRoundContinuesAsNewWithManyEntries(t *testing.T) {
	start := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	env, st := newRoundEnv(t, start)
	in := seedRoundInput(t, start, seedPhaseDates)
	const n = 300
	long := strings.Repeat("Une description longue de l'innovation sociale. ", 150) // ~7 kB each
	for i := 0; i < n; i++ {
		c := rallyCompany
		c.Organisation = fmt.Sprintf("Entreprise %d", i)
		e := &domain.EntryInput{Organisation: c.Organisation, Kind: "classical", Title: fmt.Sprintf("Innovation %d", i), Description: long, Category: "Habitat"}
		id := fmt.Sprintf("%08d-4444-4444-8444-444444444444", i)
		i := i
		env.RegisterDelayedCallback(func() {
			env.UpdateWorkflow(UpdateRoundAct, "", &testsuite.TestUpdateCallback{OnReject: func(err error) { t.Errorf("entry %d: %v", i, err) },
				OnAccept: func() {}, OnComplete: func(any, error) {}}, domain.RallyCommand{Action: domain.RallyEnter, Caller: c, EntryID: id, Entry: e})
		}, time.Duration(i+1)*time.Minute)
	}
	scored := sendAt(env, start, start.Add((n+2)*time.Minute).In(domain.Paris).Format("2006-01-02 15:04"), domain.RallyCommand{Action: domain.RallyScore,
		Caller: rallyJuror, EntryID: "00000000-4444-4444-8444-444444444444", Scores: map[string]*float64{"utility": new(float64), "innovation": new(float64)}})
	env.RegisterDelayedCallback(func() {
		env.SetContinueAsNewSuggested(true)
		// any message wakes the workflow to see the suggestion (this one is refused)
		env.UpdateWorkflow(UpdateRoundAct, "", &testsuite.TestUpdateCallback{OnReject: func(error) {}, OnAccept: func() {}, OnComplete: func(any, error) {}},
			domain.RallyCommand{Action: domain.RallyAdvance, Caller: rallyCompany})
	}, (n+5)*time.Minute)
	env.ExecuteWorkflow(RoundWorkflowName, in)
	var can *workflow.ContinueAsNewError
	if !errors.As(env.GetWorkflowError(), &can) {
		t.Fatalf("want a continue-as-new, got %v", env.GetWorkflowError())
	}
	var next RoundInput
	if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &next); err != nil {
		t.Fatal(err)
	}
	size := 0
	for _, p := range can.Input.Payloads {
		size += len(p.Data)
		if strings.Contains(string(p.Data), "Une description longue") {
			t.Fatal("an entry's text travels in the state")
		}
	}
	if !scored.done || scored.err != nil {
		t.Fatalf("score: %v", scored.err)
	}
	if len(next.State.Book.Entries) != n || next.First != nil || st.entries != n || st.sheets != 1 {
		t.Fatalf("continued with %d entries (saved %d, %d sheets)", len(next.State.Book.Entries), st.entries, st.sheets)
	}
	t.Logf("continue-as-new input: %d bytes for %d entries (their texts: %d kB in the read model)", size, n, n*len(long)/1000)
	if size > 100<<10 {
		t.Fatalf("continue-as-new input of %d bytes", size)
	}

	env2, st2 := newRoundEnv(t, start.Add(n*time.Minute))
	v := 7.0
	o := sendAt(env2, start.Add(n*time.Minute), "2026-12-10 10:00", domain.RallyCommand{Action: domain.RallyScore, Caller: rallyJuror,
		EntryID: fmt.Sprintf("%08d-4444-4444-8444-444444444444", n-1), Scores: map[string]*float64{"utility": &v, "innovation": &v}})
	env2.RegisterDelayedCallback(func() { env2.CancelWorkflow() }, 200*24*time.Hour)
	env2.ExecuteWorkflow(RoundWorkflowName, next)
	if !o.done || o.err != nil {
		t.Fatalf("score after continuing: %v", o.err)
	}
	if got := st2.phases(); len(got) != 1 || !strings.HasPrefix(got[0], "phase_started:stages@") {
		t.Fatalf("phases after continuing: %v", got)
	}
}
