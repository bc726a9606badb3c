package domain

import (
	"fmt"
	"testing"
	"time"
)

var (
	officerA = Caller{UserID: "00000000-0000-0000-0000-0000000000d1", Name: "Odile", Roles: []Role{RoleOfficer}}
	officerB = OfficerRef{ID: "00000000-0000-0000-0000-0000000000d2", Name: "Bastien"}
)

// TestAssignEveryStageRole: assign is taken by officers and admins from
// every active stage, keeps the stage, and records the officer.
func TestAssignEveryStageRole(t *testing.T) {
	for _, s := range Stages {
		for _, r := range Roles {
			t.Run(fmt.Sprintf("%s/%s", s, r), func(t *testing.T) {
				n := needIn(s)
				caller := Caller{UserID: "00000000-0000-0000-0000-0000000000b2", Name: "Bob", Roles: []Role{r}}
				cmd := NeedCommand{NeedInput: NeedInput{Action: ActionAssign, OfficerID: officerB.ID}, Caller: caller, OfficerName: officerB.Name}
				err := n.Authorize(cmd)
				switch {
				case r != RoleOfficer && r != RoleAdmin:
					if !IsCode(err, CodeForbidden) {
						t.Fatalf("want 403, got %v", err)
					}
					return
				case s.Terminal():
					if !IsCode(err, CodeStage) {
						t.Fatalf("want 409, got %v", err)
					}
					return
				case err != nil:
					t.Fatalf("want allowed, got %v", err)
				}
				if err := n.Validate(&cmd, t0, allRef{}); err != nil {
					t.Fatal(err)
				}
				events := n.Apply(cmd, t0.Add(time.Hour), DefaultPolicy.StudyDefault)
				if len(events) != 1 || events[0].ToStage != s || n.Stage != s {
					t.Fatalf("events %+v, stage %s", events, n.Stage)
				}
				if n.Officer == nil || *n.Officer != officerB {
					t.Fatalf("officer %+v", n.Officer)
				}
				if d := events[0].Data; d["officer_id"] != officerB.ID || d["officer_name"] != officerB.Name {
					t.Fatalf("data %v", d)
				}
			})
		}
	}
}

func TestAssignValidation(t *testing.T) {
	n := needIn(StageQualified)
	for in, want := range map[string]string{
		"":                                       "field.required",
		"pas-un-uuid":                            "field.uuid",
		"00000000-0000-0000-0000-0000000000zz":   "field.uuid",
		"{00000000-0000-0000-0000-0000000000d2}": "field.uuid",
	} {
		cmd := NeedCommand{NeedInput: NeedInput{Action: ActionAssign, OfficerID: in}, Caller: officerA}
		de, ok := As(n.Validate(&cmd, t0, allRef{}))
		if !ok || de.Fields["officer_id"].Key != want {
			t.Errorf("%q: want %s, got %v", in, want, de)
		}
	}
	// Upper case and spaces are read as the canonical form.
	cmd := NeedCommand{NeedInput: NeedInput{Action: ActionAssign, OfficerID: " 00000000-0000-0000-0000-0000000000D2 "}, Caller: officerA}
	if err := n.Validate(&cmd, t0, allRef{}); err != nil || cmd.OfficerID != officerB.ID {
		t.Fatalf("%v, %q", err, cmd.OfficerID)
	}
	// The officer already in charge: nothing to change.
	n.Officer = &OfficerRef{ID: officerB.ID, Name: officerB.Name}
	cmd = NeedCommand{NeedInput: NeedInput{Action: ActionAssign, OfficerID: officerB.ID}, Caller: officerA}
	if de, ok := As(n.Validate(&cmd, t0, allRef{})); !ok || de.Fields["officer_id"].Key != "field.officer_unchanged" {
		t.Fatalf("same officer: %v", de)
	}
}

// TestQualifyAssignsTheOfficer: the officer who qualifies a file nobody is
// in charge of takes it; one already in charge stays.
func TestQualifyAssignsTheOfficer(t *testing.T) {
	n := needIn(StageCaptured)
	ev := n.Apply(NeedCommand{NeedInput: NeedInput{Action: ActionQualify}, Caller: officerA}, t0, DefaultPolicy.StudyDefault)
	if n.Officer == nil || n.Officer.ID != officerA.UserID || n.Officer.Name != officerA.Name {
		t.Fatalf("officer %+v", n.Officer)
	}
	if ev[0].Data["officer_id"] != officerA.UserID || ev[0].Data["officer_name"] != "Odile" {
		t.Fatalf("qualify data %v", ev[0].Data)
	}

	n = needIn(StageCaptured)
	n.Officer = &OfficerRef{ID: officerB.ID, Name: officerB.Name}
	ev = n.Apply(NeedCommand{NeedInput: NeedInput{Action: ActionQualify}, Caller: officerA}, t0, DefaultPolicy.StudyDefault)
	if *n.Officer != officerB || ev[0].Data != nil {
		t.Fatalf("officer %+v, data %v", n.Officer, ev[0].Data)
	}
}

// TestReminderNamesTheOfficer: a deadline's event names who is in charge.
func TestReminderNamesTheOfficer(t *testing.T) {
	n := needIn(StageCaptured)
	d, ok := n.NextDeadline(DefaultPolicy)
	if !ok {
		t.Fatal("no deadline")
	}
	if ev := n.Fire(d, d.At); ev.Data["officer_id"] != "" {
		t.Fatalf("nobody in charge, data %v", ev.Data)
	}
	n = needIn(StageFeasibility)
	n.Officer = &OfficerRef{ID: officerB.ID, Name: officerB.Name}
	d, _ = n.NextDeadline(DefaultPolicy)
	ev := n.Fire(d, d.At)
	if ev.Data["officer_id"] != officerB.ID || ev.Data["officer_name"] != "Bastien" || ev.Data["kind"] != "study_overdue" {
		t.Fatalf("data %v", ev.Data)
	}
}

func TestCloneCopiesTheOfficer(t *testing.T) {
	n := needIn(StageQualified)
	n.Officer = &OfficerRef{ID: officerB.ID, Name: officerB.Name}
	c := n.Clone()
	c.Officer.Name = "autre"
	if n.Officer.Name != "Bastien" {
		t.Fatal("Clone shares the officer")
	}
}
