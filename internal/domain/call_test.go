package domain

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// expectedCall is the call for projects as api.md describes it, written out
// apart from CallTable.
var expectedCall = map[Action]struct {
	roles []Role
	from  []Stage
}{
	ActionApply:             {[]Role{RoleActor}, []Stage{StageOpen}},
	ActionPropose:           {[]Role{RoleOfficer}, []Stage{StageClosed}},
	ActionVote:              {[]Role{RoleCommittee}, []Stage{StageDeciding}},
	ActionCloseUnsuccessful: {[]Role{RoleOfficer}, []Stage{StageClosed}},
}

var (
	callOfficer = Caller{UserID: "00000000-0000-0000-0000-0000000000c2", Name: "Odile", Roles: []Role{RoleOfficer}}
	mairie      = Caller{UserID: "00000000-0000-0000-0000-0000000000a2", Name: "Paul", Organisation: "Mairie de Dole", Roles: []Role{RoleActor}}
)

func callDraft() CallDraft {
	return CallDraft{Title: "Territoires pilotes de l'épicerie solidaire",
		Description: "Nous cherchons des territoires pour expérimenter une épicerie solidaire itinérante.",
		OpensAt:     "2026-12-01", ClosesAt: "2027-01-31T18:00:00+01:00"}
}

// callIn builds a call standing in stage st, with what the stage implies.
func callIn(t *testing.T, st Stage) *Call {
	t.Helper()
	d := callDraft()
	if err := d.Validate(t0); err != nil {
		t.Fatal(err)
	}
	c, _ := NewCall("55555555-5555-5555-5555-555555555555", d, callOfficer, t0)
	c.Stage, c.StageEnteredAt = st, t0
	if st != StageScheduled {
		c.Applications = []CallApplication{{TerritoryCode: "39", Organisation: "Mairie de Dole", OrganisationKey: "mairie de dole",
			ByID: mairie.UserID, ByName: "Paul", At: t0}}
	}
	if st == StageDeciding {
		c.Ballots = []Ballot{{Round: 1, OpenedAt: t0, Quorum: 1, Rule: RuleMajority}}
		c.Proposal = &CallProposal{TerritoryCodes: []string{"39"}, Round: 1}
	}
	return c
}

func callInput(a Action) CallInput {
	in := CallInput{Action: a}
	switch a {
	case ActionApply:
		in.TerritoryCode, in.Motivation = "25", "Le Doubs a déjà un réseau d'épiceries prêt à s'engager."
	case ActionPropose:
		in.TerritoryCodes, in.Comment = []string{"39"}, "Le Jura est le mieux préparé."
	case ActionVote:
		in.Decision = DecisionApprove
	case ActionCloseUnsuccessful:
		in.Reason = "Aucun territoire n'est prêt cette année."
	}
	return in
}

// Every action × stage × role: allowed exactly where the table says, with a
// 403 for a role and a 409 for a stage.
func TestCallRules(t *testing.T) {
	if len(expectedCall) != len(CallTable) {
		t.Fatalf("rules table has %d actions, expected %d", len(CallTable), len(expectedCall))
	}
	now := time.Date(2026, 12, 10, 9, 0, 0, 0, time.UTC) // while the call is open
	for a, want := range expectedCall {
		for _, st := range CallStages {
			for _, role := range Roles {
				c := callIn(t, st)
				caller := callerFor(role)
				if role == RoleActor {
					caller = host // not an applicant
				}
				cmd := CallCommand{CallInput: callInput(a), Caller: caller, Quorum: 1}
				err := c.Authorize(cmd, now)
				switch {
				case !slices.Contains(want.roles, role):
					if !IsCode(err, CodeForbidden) {
						t.Errorf("%s by %s in %s: want 403, got %v", a, role, st, err)
					}
				case !slices.Contains(want.from, st):
					if !IsCode(err, CodeStage) {
						t.Errorf("%s by %s in %s: want 409, got %v", a, role, st, err)
					}
				default:
					if err != nil {
						t.Errorf("%s by %s in %s: want allowed, got %v", a, role, st, err)
						continue
					}
					if err := c.Validate(&cmd, AnyReference{}); err != nil {
						t.Errorf("%s in %s: valid input refused: %v", a, st, err)
						continue
					}
					if events := c.Apply(cmd, now); len(events) == 0 || events[0].Action != a {
						t.Errorf("%s in %s: no event", a, st)
					}
				}
			}
		}
	}
}

func TestCallDraftValidation(t *testing.T) {
	d := callDraft()
	if err := d.Validate(t0); err != nil {
		t.Fatalf("valid draft refused: %v", err)
	}
	if d.OpensAt != "2026-11-30T23:00:00Z" || d.ClosesAt != "2027-01-31T17:00:00Z" {
		t.Errorf("dates not normalised: %s %s", d.OpensAt, d.ClosesAt)
	}
	cases := []struct {
		name  string
		edit  func(*CallDraft)
		field string
		key   string
	}{
		{"short title", func(d *CallDraft) { d.Title = "abc" }, "title", "field.min_len"},
		{"no description", func(d *CallDraft) { d.Description = "  " }, "description", "field.required"},
		{"bad opening", func(d *CallDraft) { d.OpensAt = "demain" }, "opens_at", "field.datetime"},
		{"no closing", func(d *CallDraft) { d.ClosesAt = "" }, "closes_at", "field.required"},
		{"closes before it opens", func(d *CallDraft) { d.ClosesAt = "2026-11-30" }, "closes_at", "field.closes_after_opens"},
		{"closed already", func(d *CallDraft) { d.OpensAt, d.ClosesAt = "2026-10-01", "2026-10-31" }, "closes_at", "field.future"},
		{"far future", func(d *CallDraft) { d.ClosesAt = "9999-12-31" }, "closes_at", "field.date_range"},
		{"bad need", func(d *CallDraft) { d.NeedIDs = []string{"x"} }, "need_ids", "field.uuid"},
		{"too many needs", func(d *CallDraft) {
			for i := range MaxCallNeeds + 1 {
				d.NeedIDs = append(d.NeedIDs, fmt.Sprintf("00000000-0000-0000-0000-%012d", i))
			}
		}, "need_ids", "field.max_items"},
	}
	for _, tc := range cases {
		d := callDraft()
		tc.edit(&d)
		err := d.Validate(t0)
		e, ok := As(err)
		if !ok || e.Code != CodeInvalid || e.Fields[tc.field].Key != tc.key {
			t.Errorf("%s: want %s on %s, got %v", tc.name, tc.key, tc.field, err)
		}
	}
	d = callDraft()
	d.NeedIDs = []string{"AAAAAAAA-0000-0000-0000-000000000001", "aaaaaaaa-0000-0000-0000-000000000001"}
	if err := d.Validate(t0); err != nil || len(d.NeedIDs) != 1 || d.NeedIDs[0] != "aaaaaaaa-0000-0000-0000-000000000001" {
		t.Errorf("need ids not canonical and unique: %v %v", d.NeedIDs, err)
	}
}

func TestNewCallOpensAtOnceWhenItsDateHasCome(t *testing.T) {
	d := callDraft()
	d.OpensAt = "2026-10-01"
	if err := d.Validate(t0); err != nil {
		t.Fatal(err)
	}
	c, ev := NewCall("55555555-5555-5555-5555-555555555555", d, callOfficer, t0)
	if c.Stage != StageOpen || ev.ToStage != StageOpen || ev.Action != ActionCreateCall {
		t.Fatalf("a call opening in the past: stage %s, event %+v", c.Stage, ev)
	}
	if dl := c.PendingDeadlines(DefaultCallPolicy); len(dl) != 1 || dl[0].Kind != KindCallCloses || !dl[0].At.Equal(c.ClosesAt) {
		t.Fatalf("deadlines of an open call: %+v", dl)
	}
	c2, _ := NewCall("55555555-5555-5555-5555-555555555556", callDraft(), callOfficer, t0)
	d2 := callDraft()
	_ = d2.Validate(t0)
	c2, _ = NewCall(c2.ID, d2, callOfficer, t0)
	if c2.Stage != StageScheduled {
		t.Fatalf("a call opening later: %s", c2.Stage)
	}
	dl := c2.PendingDeadlines(DefaultCallPolicy)
	if len(dl) != 1 || dl[0].Kind != KindCallOpens || dl[0].Key != "open:2026-11-30T23:00:00Z" {
		t.Fatalf("deadlines of a scheduled call: %+v", dl)
	}
	ev = c2.Fire(dl[0], dl[0].At)
	if c2.Stage != StageOpen || ev.ActorID != "" || ev.Action != ActionOpenCall || len(c2.PendingDeadlines(DefaultCallPolicy)) != 1 {
		t.Fatalf("after the opening: %s %+v", c2.Stage, ev)
	}
}

// Applying: only while open (the 409 names the dates), once per
// organisation and territory, an existing territory.
func TestCallApplications(t *testing.T) {
	c := callIn(t, StageScheduled)
	cmd := CallCommand{CallInput: callInput(ActionApply), Caller: host}
	err := c.Authorize(cmd, t0)
	e, ok := As(err)
	if !ok || e.Code != CodeStage || e.Message.Key != "error.call_not_open" ||
		e.Message.Args[0] != TimeArg(c.OpensAt) || e.Message.Args[1] != TimeArg(c.ClosesAt) {
		t.Fatalf("applying before the opening: %#v", err)
	}
	c = callIn(t, StageOpen)
	if err := c.Authorize(cmd, c.ClosesAt); !IsCode(err, CodeStage) {
		t.Fatalf("applying at the closing instant: %v", err)
	}
	now := t0.Add(30 * 24 * time.Hour)
	if err := c.Authorize(cmd, now); err != nil {
		t.Fatal(err)
	}
	bad := cmd
	bad.TerritoryCode, bad.Motivation = "99", "court"
	err = c.Validate(&bad, refWith("25", "39"))
	if e, ok := As(err); !ok || e.Fields["territory_code"].Key != "field.unknown_territory" || e.Fields["motivation"].Key != "field.min_len" {
		t.Fatalf("bad application: %v", err)
	}
	if err := c.Validate(&cmd, refWith("25", "39")); err != nil {
		t.Fatal(err)
	}
	c.Apply(cmd, now)
	again := CallCommand{CallInput: callInput(ActionApply), Caller: Caller{UserID: "someone-else", Organisation: "menuiserie  DUPONT", Roles: []Role{RoleActor}}}
	if err := c.Validate(&again, nil); !IsCode(err, CodeConflict) {
		t.Fatalf("a second application of the organisation for the territory: %v", err)
	}
	again.TerritoryCode = "39"
	if err := c.Validate(&again, nil); err != nil {
		t.Fatalf("the same organisation for another territory: %v", err)
	}
	if got := c.Territories(); !slices.Equal(got, []string{"39", "25"}) {
		t.Errorf("territories: %v", got)
	}
	for len(c.Applications) < MaxCallApplications {
		c.Applications = append(c.Applications, CallApplication{TerritoryCode: "25", OrganisationKey: fmt.Sprint(len(c.Applications))})
	}
	if err := c.Authorize(cmd, now); !IsCode(err, CodeConflict) {
		t.Fatalf("past the bound: %v", err)
	}
	b, _ := json.Marshal(c)
	if len(b) > MaxStateBytes/2 {
		t.Errorf("a full call's state is %d bytes", len(b))
	}
}

type setRef map[string]bool

func (setRef) ThemeExists(string) bool            { return true }
func (r setRef) TerritoryExists(code string) bool { return r[code] }

func refWith(codes ...string) Reference {
	r := setRef{}
	for _, c := range codes {
		r[c] = true
	}
	return r
}

// The selection: proposed among the applicants' territories, decided by the
// committee (applicants do not vote), published on approval, sent back to
// the officer otherwise with the proposal kept.
func TestCallSelection(t *testing.T) {
	c := callIn(t, StageClosed)
	c.Applications = append(c.Applications, CallApplication{TerritoryCode: "25", OrganisationKey: "user:x", ByID: "x"})
	now := t0.Add(70 * 24 * time.Hour)
	p := CallCommand{CallInput: CallInput{Action: ActionPropose, TerritoryCodes: []string{"39", "70"}}, Caller: callOfficer, Quorum: 2}
	if err := c.Validate(&p, nil); err == nil || !strings.Contains(fmt.Sprint(err.(*Error).Fields["territory_codes"].Args), "70") {
		t.Fatalf("a territory that did not apply: %v", err)
	}
	p.TerritoryCodes = []string{" 39", "25", "39"}
	if err := c.Validate(&p, nil); err != nil || !slices.Equal(p.TerritoryCodes, []string{"39", "25"}) {
		t.Fatalf("proposal: %v %v", p.TerritoryCodes, err)
	}
	c.Apply(p, now)
	if c.Stage != StageDeciding || c.Ballot() == nil || c.Ballot().Quorum != 2 {
		t.Fatalf("after the proposal: %s %+v", c.Stage, c.Ballot())
	}
	applicant := Caller{UserID: "m1", Organisation: "Mairie de DÔLE", Roles: []Role{RoleCommittee}}
	vote := func(by Caller, d Decision) []Event {
		cmd := CallCommand{CallInput: CallInput{Action: ActionVote, Decision: d}, Caller: by, Quorum: 2}
		if err := c.Authorize(cmd, now); err != nil {
			t.Fatalf("vote by %s: %v", by.UserID, err)
		}
		return c.Apply(cmd, now)
	}
	if err := c.Authorize(CallCommand{CallInput: CallInput{Action: ActionVote, Decision: DecisionApprove}, Caller: applicant}, now); !IsCode(err, CodeForbidden) {
		t.Fatalf("an applicant's organisation votes: %v", err)
	}
	self := Caller{UserID: "x", Roles: []Role{RoleCommittee}}
	if err := c.Authorize(CallCommand{CallInput: CallInput{Action: ActionVote, Decision: DecisionApprove}, Caller: self}, now); !IsCode(err, CodeForbidden) {
		t.Fatalf("an applicant votes: %v", err)
	}
	vote(member, DecisionBackToStudy)
	evs := vote(Caller{UserID: "m2", Roles: []Role{RoleCommittee}}, DecisionBackToStudy)
	if c.Stage != StageClosed || len(evs) != 2 || evs[1].Action != ActionDecide || c.Proposal.Outcome != DecisionBackToStudy || len(c.Selected) != 0 {
		t.Fatalf("sent back: %s %+v %+v", c.Stage, evs, c.Proposal)
	}
	p2 := CallCommand{CallInput: CallInput{Action: ActionPropose, TerritoryCodes: []string{"25"}}, Caller: callOfficer, Quorum: 1}
	if err := c.Validate(&p2, nil); err != nil {
		t.Fatal(err)
	}
	c.Apply(p2, now)
	if c.Ballot().Round != 2 {
		t.Fatalf("a new ballot: %+v", c.Ballots)
	}
	dl := c.PendingDeadlines(DefaultCallPolicy)
	if len(dl) != 1 || dl[0].Kind != KindCommitteeOverdue {
		t.Fatalf("deciding deadlines: %+v", dl)
	}
	vote(member, DecisionApprove)
	before := c.Clone()
	vote(Caller{UserID: "m3", Roles: []Role{RoleCommittee}}, DecisionApprove)
	if c.Stage != StagePublished || !slices.Equal(c.Selected, []string{"25"}) || !CallTerminal(c.Stage) {
		t.Fatalf("approved: %s %v", c.Stage, c.Selected)
	}
	if before.Stage != StageDeciding || before.Ballots[1].Decided() || len(before.Ballots[1].Votes) != 1 || len(before.Selected) != 0 {
		t.Fatalf("clone shares state: %+v", before)
	}
	if len(c.PendingDeadlines(DefaultCallPolicy)) != 0 {
		t.Fatal("a published call has deadlines")
	}
}

// A call can end without a selection: closed with no application it ends
// by itself; once closed, its officer may end it with a reason; a closed
// call waiting for a proposal reminds its officer.
func TestCallEndsWithoutSelection(t *testing.T) {
	p := DefaultCallPolicy
	t.Run("no application", func(t *testing.T) {
		c := callIn(t, StageOpen)
		c.Applications = nil
		d := c.PendingDeadlines(p)[0]
		ev := c.Fire(d, d.At)
		if c.Stage != StageNoApplications || !CallTerminal(c.Stage) || ev.ToStage != StageNoApplications || ev.Data["applications"] != "0" {
			t.Fatalf("closed with no application: stage %s, event %+v", c.Stage, ev)
		}
		if len(c.PendingDeadlines(p)) != 0 {
			t.Fatalf("an ended call still waits: %v", c.PendingDeadlines(p))
		}
	})
	t.Run("applications", func(t *testing.T) {
		c := callIn(t, StageOpen)
		d := c.PendingDeadlines(p)[0]
		c.Fire(d, d.At)
		if c.Stage != StageClosed {
			t.Fatalf("closed with an application: %s", c.Stage)
		}
		rem := c.PendingDeadlines(p)
		if len(rem) != 1 || rem[0].Kind != KindProposalOverdue || !rem[0].At.Equal(c.StageEnteredAt.Add(p.CommitteeWithin)) {
			t.Fatalf("closed call's deadlines: %v", rem)
		}
		ev := c.Fire(rem[0], rem[0].At)
		if ev.Action != ActionRemind || ev.Data["officer_id"] != callOfficer.UserID || c.Stage != StageClosed {
			t.Fatalf("reminder: %+v, stage %s", ev, c.Stage)
		}
		if len(c.PendingDeadlines(p)) != 0 {
			t.Fatal("the reminder fires once")
		}
	})
	t.Run("calls created before keep their rule", func(t *testing.T) {
		c := callIn(t, StageOpen)
		c.Rule, c.Applications = CallRuleOriginal, nil
		d := c.PendingDeadlines(p)[0]
		c.Fire(d, d.At)
		if c.Stage != StageClosed || len(c.PendingDeadlines(p)) != 0 {
			t.Fatalf("an old call: stage %s, deadlines %v", c.Stage, c.PendingDeadlines(p))
		}
	})
	t.Run("close_unsuccessful", func(t *testing.T) {
		c := callIn(t, StageClosed)
		cmd := CallCommand{CallInput: CallInput{Action: ActionCloseUnsuccessful}, Caller: callOfficer}
		if err := c.Authorize(cmd, t0); err != nil {
			t.Fatal(err)
		}
		if de, ok := As(c.Validate(&cmd, nil)); !ok || de.Fields["reason"].Key != "field.required" {
			t.Fatalf("without a reason: %v", de)
		}
		cmd.Reason = "  Aucun territoire n'est prêt.  "
		if err := c.Validate(&cmd, nil); err != nil {
			t.Fatal(err)
		}
		evs := c.Apply(cmd, t0)
		if c.Stage != StageUnsuccessful || !CallTerminal(c.Stage) || c.Reason != "Aucun territoire n'est prêt." || evs[0].Data["reason"] != c.Reason {
			t.Fatalf("closed without result: stage %s, reason %q, %+v", c.Stage, c.Reason, evs)
		}
		if err := c.Authorize(cmd, t0); !IsCode(err, CodeStage) {
			t.Fatalf("twice: %v", err)
		}
	})
}
