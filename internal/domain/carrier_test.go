package domain

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

var (
	mobil   = Caller{UserID: "00000000-0000-0000-0000-0000000000e1", Name: "Émile", Organisation: "Mobil Jura", Roles: []Role{RoleActor}}
	mobil2  = Caller{UserID: "00000000-0000-0000-0000-0000000000e2", Name: "Ève", Organisation: "mobil  JURA", Roles: []Role{RoleActor}}
	other   = Caller{UserID: "00000000-0000-0000-0000-0000000000e3", Name: "Fanny", Organisation: "Régie de quartier", Roles: []Role{RoleActor}}
	officer = Caller{UserID: "00000000-0000-0000-0000-0000000000e4", Name: "Gaston", Roles: []Role{RoleOfficer}}
)

func carrierSearch() *Need {
	n := needIn(StageCarrierSearch)
	n.Carriers = nil
	return n
}

// act authorises, validates and applies a command as the workflow does.
func act(n *Need, cmd NeedCommand, at time.Time) ([]Event, error) {
	if err := n.Authorize(cmd); err != nil {
		return nil, err
	}
	if err := n.Validate(&cmd, at, allRef{}); err != nil {
		return nil, err
	}
	return n.Apply(cmd, at, DefaultPolicy.StudyDefault), nil
}

func propose(by Caller, organisation string) NeedCommand {
	return NeedCommand{Caller: by, NeedInput: NeedInput{Action: ActionProposeCarrier, Organisation: organisation,
		Contact: "contact@example.fr", Motivation: "Nous faisons déjà ce travail sur le territoire."}}
}

// TestDeclineCarrierStageRole: only officers decline, only during the carrier search.
func TestDeclineCarrierStageRole(t *testing.T) {
	for _, s := range Stages {
		for _, r := range Roles {
			t.Run(fmt.Sprintf("%s/%s", s, r), func(t *testing.T) {
				n := needIn(s)
				caller := Caller{UserID: "00000000-0000-0000-0000-0000000000b2", Name: "Bob", Roles: []Role{r}}
				cmd := NeedCommand{NeedInput: validInput(ActionDeclineCarrier), Caller: caller}
				err := n.Authorize(cmd)
				switch {
				case r != RoleOfficer:
					if !IsCode(err, CodeForbidden) {
						t.Fatalf("want 403, got %v", err)
					}
				case s != StageCarrierSearch:
					if !IsCode(err, CodeStage) {
						t.Fatalf("want 409, got %v", err)
					}
				case err != nil:
					t.Fatalf("want allowed, got %v", err)
				}
			})
		}
	}
}

func TestDeclineCarrier(t *testing.T) {
	n := carrierSearch()
	ev, err := act(n, propose(mobil, "Mobil Jura"), t0)
	if err != nil {
		t.Fatal(err)
	}
	id := ev[0].Data["carrier_id"]
	long := strings.Repeat("é", 2001)
	for _, c := range []struct {
		carrier, reason, field, key string
	}{
		{"", "Pas de salarié disponible", "carrier_id", "field.required"},
		{"pas-un-uuid", "Pas de salarié disponible", "carrier_id", "field.uuid"},
		{"33333333-3333-3333-3333-333333333333", "Pas de salarié disponible", "carrier_id", "field.live_carrier"},
		{id, "", "reason", "field.required"},
		{id, "Non", "reason", "field.min_len"},
		{id, long, "reason", "field.max_len"},
	} {
		cmd := NeedCommand{Caller: officer, NeedInput: NeedInput{Action: ActionDeclineCarrier, CarrierID: c.carrier, Reason: c.reason}}
		de, ok := As(n.Validate(&cmd, t0, allRef{}))
		if !ok || de.Fields[c.field].Key != c.key {
			t.Errorf("%q %q: want %s on %s, got %v", c.carrier, c.reason, c.key, c.field, de)
		}
	}
	// Upper case is read as the canonical form; the reason is trimmed.
	cmd := NeedCommand{Caller: officer, NeedInput: NeedInput{Action: ActionDeclineCarrier, CarrierID: " " + strings.ToUpper(id) + " ",
		Reason: "  Pas de salarié disponible  "}}
	events, err := act(n, cmd, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	c := n.Carriers[0]
	if !c.Declined || c.DeclinedReason != "Pas de salarié disponible" || c.Chosen {
		t.Fatalf("carrier %+v", c)
	}
	if e := events[0]; e.Action != ActionDeclineCarrier || e.ToStage != StageCarrierSearch || e.Data["carrier_id"] != id ||
		e.Data["organisation"] != "Mobil Jura" || !strings.Contains(e.Comment, "Pas de salarié disponible") {
		t.Fatalf("event %+v", e)
	}
	// Declined once is enough.
	if _, err := act(n, cmd, t0.Add(2*time.Hour)); err == nil {
		t.Fatal("declined twice")
	} else if de, _ := As(err); de.Fields["carrier_id"].Key != "field.live_carrier" {
		t.Fatalf("declined twice: %v", err)
	}
	// A declined carrier cannot be chosen.
	pilot := NeedCommand{Caller: officer, NeedInput: validInput(ActionStartPilot)}
	pilot.CarrierID = id
	if de, ok := As(n.Validate(&pilot, t0, allRef{})); !ok || de.Code != CodeInvalid || de.Fields["carrier_id"].Key != "field.carrier_declined" {
		t.Fatalf("start_pilot with a declined carrier: %v", de)
	}
	// Another one can.
	ev, err = act(n, propose(other, "Régie de quartier"), t0.Add(3*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	pilot.CarrierID = ev[0].Data["carrier_id"]
	if de, _ := As(n.Validate(&pilot, t0, allRef{})); de != nil && de.Fields["carrier_id"].Key != "" {
		t.Fatalf("start_pilot with a live carrier: %v", de)
	}
}

func TestOneLiveProposalPerOrganisation(t *testing.T) {
	n := carrierSearch()
	if _, err := act(n, propose(mobil, "Mobil Jura"), t0); err != nil {
		t.Fatal(err)
	}
	// A colleague of the same organisation (spelt otherwise), whatever name they type.
	if _, err := act(n, propose(mobil2, "Mobil Jura, antenne de Dole"), t0); !IsCode(err, CodeConflict) {
		t.Fatalf("second proposal of the same organisation: %v", err)
	}
	// An officer proposing on behalf of that organisation.
	if _, err := act(n, propose(officer, " MOBIL jura "), t0); !IsCode(err, CodeConflict) {
		t.Fatalf("officer proposing the same organisation: %v", err)
	}
	// An officer proposes another organisation; then the same one again is refused.
	if _, err := act(n, propose(officer, "Régie de quartier"), t0); err != nil {
		t.Fatal(err)
	}
	if _, err := act(n, propose(other, "Régie de quartier"), t0); !IsCode(err, CodeConflict) {
		t.Fatalf("the organisation an officer proposed volunteers too: %v", err)
	}
	// Once declined, the organisation may propose itself again.
	decline := NeedCommand{Caller: officer, NeedInput: NeedInput{Action: ActionDeclineCarrier, CarrierID: n.Carriers[0].ID, Reason: "Motivation trop vague"}}
	if _, err := act(n, decline, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := act(n, propose(mobil2, "Mobil Jura"), t0); err != nil {
		t.Fatalf("a new proposal after a declined one: %v", err)
	}
	if len(n.Carriers) != 3 || n.Carriers[2].Key != "mobil jura" {
		t.Fatalf("carriers %+v", n.Carriers)
	}

	// Needs created before the rule (Rules 0) keep accepting several.
	old := carrierSearch()
	old.Rules = 0
	for range 2 {
		if _, err := act(old, propose(mobil, "Mobil Jura"), t0); err != nil {
			t.Fatalf("old need: %v", err)
		}
	}
	if old.Carriers[0].Key != "" {
		t.Fatalf("old need records a key: %+v", old.Carriers[0])
	}
}

func TestNoSupportOfOwnNeed(t *testing.T) {
	support := func(c Caller) NeedCommand { return NeedCommand{Caller: c, NeedInput: NeedInput{Action: ActionSupport}} }
	colleague := Caller{UserID: "00000000-0000-0000-0000-0000000000f1", Organisation: "MAIRIE de Dôle", Roles: []Role{RoleActor}}
	for name, c := range map[string]Caller{"submitter": submitter, "colleague": colleague} {
		n := needIn(StageQualified)
		if err := n.Authorize(support(c)); !IsCode(err, CodeConflict) {
			t.Errorf("%s: want 409, got %v", name, err)
		} else if de, _ := As(err); de.Message.Key != "error.support_own_need" {
			t.Errorf("%s: %v", name, de)
		}
	}
	// A need submitted on behalf of another organisation: neither supports it.
	n := needIn(StageQualified)
	n.Organisation = "CCAS de Dole"
	ccas := Caller{UserID: "00000000-0000-0000-0000-0000000000f2", Organisation: "ccas de dole", Roles: []Role{RoleActor}}
	for _, c := range []Caller{ccas, colleague} {
		if err := n.Authorize(support(c)); !IsCode(err, CodeConflict) {
			t.Errorf("%s: want 409, got %v", c.Organisation, err)
		}
	}
	// A person without an organisation who submitted it.
	alone := Caller{UserID: "00000000-0000-0000-0000-0000000000f3", Name: "Denise", Roles: []Role{RoleActor}}
	mine, _ := NewNeed("44444444-4444-4444-4444-444444444444", n.NeedSubmission, alone, t0)
	mine.Organisation = ""
	if err := mine.Authorize(support(alone)); !IsCode(err, CodeConflict) {
		t.Errorf("an individual's own need: %v", err)
	}
	if err := mine.Authorize(support(other)); err != nil {
		t.Errorf("another organisation: %v", err)
	}
	// Needs created before the rule keep accepting it.
	old := needIn(StageQualified)
	old.Rules = 0
	if err := old.Authorize(support(submitter)); err != nil {
		t.Errorf("old need: %v", err)
	}
}

func TestAbsorbCarriesSupporters(t *testing.T) {
	from := needIn(StageQualified)
	from.ID, from.Organisation = "55555555-5555-5555-5555-555555555555", "CCAS de Dole"
	for _, c := range []Caller{mobil, other, submitter} { // the target's own organisation supported the merged need
		from.Rules = 0 // (an old need: its submitter's organisation could support it)
		if _, err := act(from, NeedCommand{Caller: c, NeedInput: NeedInput{Action: ActionSupport}}, t0); err != nil {
			t.Fatal(err)
		}
	}
	carried := from.MergeSupporters()
	if want := []string{"mairie de dole", "mobil jura", "regie de quartier", "ccas de dole"}; !slices.Equal(carried, want) {
		t.Fatalf("carried %v, want %v", carried, want)
	}

	to := needIn(StageQualified) // submitted by the Mairie de Dole
	if _, err := act(to, NeedCommand{Caller: mobil2, NeedInput: NeedInput{Action: ActionSupport}}, t0); err != nil {
		t.Fatal(err)
	}
	ev := to.Absorb(from.ID, from.Title, append(carried, "mobil jura", ""), officer, t0.Add(time.Hour))
	if want := []string{"ccas de dole", "mobil jura", "regie de quartier"}; !slices.Equal(to.Supporters, want) {
		t.Fatalf("supporters %v, want %v", to.Supporters, want)
	}
	if ev.Action != ActionAbsorb || ev.Data["need_id"] != from.ID || ev.Data["supporters"] != "regie de quartier\nccas de dole" ||
		ev.Data["supports_carried"] != "2" || ev.ActorID != officer.UserID {
		t.Fatalf("event %+v", ev)
	}
	// A second signal carries nothing new.
	if ev := to.Absorb(from.ID, from.Title, carried, officer, t0.Add(2*time.Hour)); ev.Data["supporters"] != "" || len(to.Supporters) != 3 {
		t.Fatalf("again: %+v, %v", ev, to.Supporters)
	}
	// An old signal (no supporters) changes nothing but the trail.
	if ev := to.Absorb(from.ID, from.Title, nil, officer, t0.Add(3*time.Hour)); len(ev.Data) != 2 || len(to.Supporters) != 3 {
		t.Fatalf("old signal: %+v", ev)
	}
	// Never more than MaxSupporters.
	full := needIn(StageQualified)
	for i := range MaxSupporters - 1 {
		full.Supporters = append(full.Supporters, fmt.Sprintf("org %04d", i))
	}
	full.Absorb(from.ID, from.Title, []string{"zz 1", "zz 2"}, officer, t0)
	if len(full.Supporters) != MaxSupporters {
		t.Fatalf("%d supporters", len(full.Supporters))
	}
	// An individual submitter is carried as themselves.
	alone := Caller{UserID: "00000000-0000-0000-0000-0000000000f3", Name: "Denise", Roles: []Role{RoleActor}}
	mine, _ := NewNeed("44444444-4444-4444-4444-444444444444", from.NeedSubmission, alone, t0)
	mine.Organisation = ""
	if got := mine.MergeSupporters(); !slices.Equal(got, []string{"user:" + alone.UserID}) {
		t.Fatalf("individual: %v", got)
	}
}

func TestCarrierSearchDeadline(t *testing.T) {
	n := needIn(StageCarrierSearch)
	n.StageSeq = 7
	n.Officer = &OfficerRef{ID: officer.UserID, Name: officer.Name}
	// Workflows started before the deadline existed have no CarrierWithin: no timer.
	old := DefaultPolicy
	old.CarrierWithin = 0
	if d, ok := n.Deadline(old); ok {
		t.Fatalf("deadline without CarrierWithin: %+v", d)
	}
	p := DefaultPolicy
	p.CarrierWithin = 10 * 24 * time.Hour
	d, ok := n.NextDeadline(p)
	if !ok || d.Key != "carrier:7" || d.Kind != "carrier_search_overdue" || d.Action != ActionRemind || !d.At.Equal(t0.Add(10*24*time.Hour)) {
		t.Fatalf("deadline %+v %v", d, ok)
	}
	ev := n.Fire(d, d.At)
	if ev.Action != ActionRemind || ev.Data["kind"] != "carrier_search_overdue" || ev.Data["officer_id"] != officer.UserID ||
		ev.Data["officer_name"] != officer.Name || ev.ToStage != StageCarrierSearch {
		t.Fatalf("reminder %+v", ev)
	}
	if _, again := n.NextDeadline(p); again {
		t.Fatal("fires twice")
	}
	// Proposals and declines leave the deadline alone.
	if _, err := act(n, propose(mobil, "Mobil Jura"), t0); err != nil {
		t.Fatal(err)
	}
	if d2, _ := n.Deadline(p); d2.Key != d.Key || !d2.At.Equal(d.At) {
		t.Fatalf("moved to %+v", d2)
	}
}
