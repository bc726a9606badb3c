package domain

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// expected is the pipeline as domain.md and api.md describe it, written out
// independently of NeedTable: who may do what, from where, to where.
var expected = map[Action]struct {
	roles []Role
	from  []Stage
	to    Stage // "" keeps the stage
}{
	ActionRequestInfo:    {[]Role{RoleOfficer}, []Stage{StageCaptured}, StageAwaitingInfo},
	ActionProvideInfo:    {[]Role{RoleActor, RoleOfficer}, []Stage{StageAwaitingInfo}, StageCaptured},
	ActionQualify:        {[]Role{RoleOfficer}, []Stage{StageCaptured}, StageQualified},
	ActionReject:         {[]Role{RoleOfficer}, []Stage{StageCaptured, StageAwaitingInfo, StageQualified, StageFeasibility}, StageRejected},
	ActionMerge:          {[]Role{RoleOfficer}, []Stage{StageCaptured, StageAwaitingInfo, StageQualified}, StageMerged},
	ActionStartStudy:     {[]Role{RoleOfficer}, []Stage{StageQualified}, StageFeasibility},
	ActionSubmitStudy:    {[]Role{RoleOfficer}, []Stage{StageFeasibility}, StageCommittee},
	ActionVote:           {[]Role{RoleCommittee}, []Stage{StageCommittee}, ""},
	ActionProposeCarrier: {[]Role{RoleActor, RoleOfficer}, []Stage{StageCarrierSearch}, ""},
	ActionDeclineCarrier: {[]Role{RoleOfficer}, []Stage{StageCarrierSearch}, ""},
	ActionInviteCarrier:  {[]Role{RoleOfficer}, []Stage{StageCarrierSearch}, ""},
	ActionStartPilot:     {[]Role{RoleOfficer}, []Stage{StageCarrierSearch}, StagePilot},
	ActionDeploy:         {[]Role{RoleOfficer}, []Stage{StagePilot}, StageDeployment},
	ActionComplete:       {[]Role{RoleOfficer}, []Stage{StageDeployment}, StageDeployed},
	ActionAbandon: {[]Role{RoleOfficer}, []Stage{StageCaptured, StageAwaitingInfo, StageQualified, StageFeasibility,
		StageCommittee, StageCarrierSearch, StagePilot, StageDeployment}, StageAbandoned},
	ActionAssign: {[]Role{RoleOfficer, RoleAdmin}, []Stage{StageCaptured, StageAwaitingInfo, StageQualified, StageFeasibility,
		StageCommittee, StageCarrierSearch, StagePilot, StageDeployment}, ""},
	ActionSupport: {[]Role{RoleActor}, []Stage{StageCaptured, StageAwaitingInfo, StageQualified, StageFeasibility,
		StageCommittee, StageCarrierSearch, StagePilot, StageDeployment}, ""},
	ActionRecordIndicator: {[]Role{RoleOfficer}, []Stage{StagePilot}, ""},
}

var submitter = Caller{UserID: "00000000-0000-0000-0000-0000000000a1", Name: "Alice", Organisation: "Mairie de Dole", Roles: []Role{RoleActor}}

// needIn builds a need standing in stage s, with what that stage implies.
func needIn(s Stage) *Need {
	n, _ := NewNeed("11111111-1111-1111-1111-111111111111", NeedSubmission{Title: "Garde d'enfants", Description: "Pas de garde la nuit pour les parents.", Theme: "early_childhood", TerritoryCode: "39"}, submitter, t0)
	n.Stage, n.StageEnteredAt = s, t0
	n.Study = &Study{DueDate: "2027-03-01", StartedAt: t0}
	n.Carriers = []Carrier{{ID: "22222222-2222-2222-2222-222222222222", Organisation: "Asso", ProposedBy: submitter, ProposedAt: t0}}
	n.Pilot = &Pilot{CarrierID: n.Carriers[0].ID, Territories: []string{"39"}, StartDate: "2027-01-01", EndDate: "2027-12-31", BudgetEUR: 1000,
		Indicators: []Indicator{{Key: "families", Label: "Familles accueillies"}}}
	if s == StageCommittee {
		n.Ballots = []Ballot{{Round: 1, OpenedAt: t0, Quorum: 2}}
	}
	return n
}

// validInput is a complete, valid body for each action.
func validInput(a Action) NeedInput {
	budget := 45000.0
	in := NeedInput{Action: a, Comment: "Un commentaire utile"}
	switch a {
	case ActionReject, ActionAbandon:
		in.Reason = "Déjà couvert par le CCAS"
	case ActionMerge:
		in.Into = "33333333-3333-3333-3333-333333333333"
	case ActionStartStudy:
		in.DueDate = "2027-02-15"
	case ActionSubmitStudy:
		in.Recommendation, in.Summary, in.BudgetEUR = "go", "Le modèle économique tient avec la commune.", &budget
	case ActionVote:
		in.Decision = DecisionApprove
	case ActionProposeCarrier:
		in.Organisation, in.Contact, in.Motivation = "Mobil Jura", "contact@mobil.fr", "Nous faisons déjà du transport."
	case ActionAssign:
		in.OfficerID = "00000000-0000-0000-0000-0000000000c3"
	case ActionDeclineCarrier:
		in.CarrierID, in.Reason = "22222222-2222-2222-2222-222222222222", "Pas de salarié disponible"
	case ActionInviteCarrier:
		in.OrganisationID = "33333333-3333-3333-3333-333333333333"
	case ActionStartPilot:
		in.CarrierID, in.Territories, in.StartDate, in.EndDate, in.BudgetEUR = "22222222-2222-2222-2222-222222222222", []string{"39"}, "2027-01-01", "2027-12-31", &budget
		in.Indicators = []Indicator{{Key: "families", Label: "Familles accueillies", Target: &budget}}
	}
	completeFollowUp(&in)
	return in
}

type allRef struct{}

func (allRef) ThemeExists(string) bool     { return true }
func (allRef) TerritoryExists(string) bool { return true }

// TestEveryActionStageRole checks each action, from each stage, by each role.
func TestEveryActionStageRole(t *testing.T) {
	for _, a := range RequestedActions() {
		want, ok := expected[a]
		if !ok {
			t.Fatalf("action %s has no expectation", a)
		}
		for _, s := range Stages {
			for _, r := range Roles {
				t.Run(fmt.Sprintf("%s/%s/%s", a, s, r), func(t *testing.T) {
					n := needIn(s)
					caller := Caller{UserID: "00000000-0000-0000-0000-0000000000b2", Name: "Bob", Organisation: "Autre", Roles: []Role{r}}
					if r == RoleActor {
						caller = submitter // the submitter may answer requests for information
						if a == ActionSupport {
							caller.Organisation = "Autre association"
						}
					}
					cmd := NeedCommand{NeedInput: validInput(a), Caller: caller, Quorum: 2}
					err := n.Authorize(cmd)
					roleOK := slices.Contains(want.roles, r)
					stageOK := slices.Contains(want.from, s)
					switch {
					case !roleOK:
						if !IsCode(err, CodeForbidden) {
							t.Fatalf("want 403, got %v", err)
						}
						return
					case !stageOK:
						if !IsCode(err, CodeStage) {
							t.Fatalf("want 409, got %v", err)
						}
						return
					case err != nil:
						t.Fatalf("want allowed, got %v", err)
					}
					if err := n.Validate(&cmd, t0, allRef{}); err != nil {
						t.Fatalf("valid input refused: %v", err)
					}
					version := n.Version
					events := n.Apply(cmd, t0.Add(time.Hour), DefaultPolicy.StudyDefault)
					if len(events) == 0 || events[0].Action != a || events[0].FromStage != s {
						t.Fatalf("events %+v", events)
					}
					to := want.to
					if to == "" {
						to = s
					}
					if n.Stage != to {
						t.Fatalf("stage %s, want %s", n.Stage, to)
					}
					if n.Version <= version || n.Seq != events[len(events)-1].Seq {
						t.Fatalf("version %d→%d, seq %d", version, n.Version, n.Seq)
					}
				})
			}
		}
	}
}

func TestUnknownActionIsAFieldError(t *testing.T) {
	err := needIn(StageCaptured).Authorize(NeedCommand{NeedInput: NeedInput{Action: "fly"}, Caller: submitter})
	de, ok := As(err)
	if !ok || de.Code != CodeInvalid || de.Fields["action"].Key != "field.unknown_action" {
		t.Fatalf("got %v", err)
	}
}

func TestProvideInfoOnlyBySubmitterOrOfficer(t *testing.T) {
	n := needIn(StageAwaitingInfo)
	stranger := Caller{UserID: "00000000-0000-0000-0000-0000000000c3", Organisation: "Ailleurs", Roles: []Role{RoleActor}}
	if err := n.Authorize(NeedCommand{NeedInput: validInput(ActionProvideInfo), Caller: stranger}); !IsCode(err, CodeForbidden) {
		t.Fatalf("stranger: %v", err)
	}
	// A colleague answers when both accounts belong to the same directory
	// record; the names typed on the need or the accounts give no right.
	n.SubmittedBy.OrganisationID = "77777777-7777-7777-7777-777777777777"
	colleague := Caller{UserID: "00000000-0000-0000-0000-0000000000c4", Organisation: "Autre libellé",
		OrganisationID: n.SubmittedBy.OrganisationID, Roles: []Role{RoleActor}}
	if err := n.Authorize(NeedCommand{NeedInput: validInput(ActionProvideInfo), Caller: colleague}); err != nil {
		t.Fatalf("colleague of the same organisation: %v", err)
	}
	n.Organisation = "CCAS de Dole"
	ccas := Caller{UserID: "00000000-0000-0000-0000-0000000000c5", Organisation: "CCAS de Dole", Roles: []Role{RoleActor}}
	if err := n.Authorize(NeedCommand{NeedInput: validInput(ActionProvideInfo), Caller: ccas}); !IsCode(err, CodeForbidden) {
		t.Fatalf("the organisation typed on the need: %v", err)
	}
	if err := n.Authorize(NeedCommand{NeedInput: validInput(ActionProvideInfo), Caller: submitter}); err != nil {
		t.Fatalf("the author: %v", err)
	}
}

func TestOneSupportPerOrganisation(t *testing.T) {
	n := needIn(StageQualified)
	a := Caller{UserID: "00000000-0000-0000-0000-0000000000d1", Organisation: "CCAS de Vesoul", Roles: []Role{RoleActor}}
	b := Caller{UserID: "00000000-0000-0000-0000-0000000000d2", Organisation: "ccas de vésoul", Roles: []Role{RoleActor}}
	cmd := NeedCommand{NeedInput: NeedInput{Action: ActionSupport}, Caller: a}
	if err := n.Authorize(cmd); err != nil {
		t.Fatal(err)
	}
	n.Apply(cmd, t0, 0)
	if err := n.Authorize(NeedCommand{NeedInput: NeedInput{Action: ActionSupport}, Caller: b}); !IsCode(err, CodeConflict) {
		t.Fatalf("second support of the same organisation: %v", err)
	}
	if len(n.Supporters) != 1 {
		t.Fatalf("supporters %v", n.Supporters)
	}
	alone := Caller{UserID: "00000000-0000-0000-0000-0000000000d3", Name: "Denise", Roles: []Role{RoleActor}}
	ev := n.Apply(NeedCommand{NeedInput: NeedInput{Action: ActionSupport}, Caller: alone}, t0, 0)
	if ev[0].Data["organisation"] != "Denise" || ev[0].Data["key"] != "user:"+alone.UserID {
		t.Fatalf("a person without organisation supports as themselves: %v", ev[0].Data)
	}
}

func TestValidateNamesEveryFailingField(t *testing.T) {
	n := needIn(StageCarrierSearch)
	neg := -5.0
	cmd := NeedCommand{NeedInput: NeedInput{Action: ActionStartPilot, CarrierID: "nope", StartDate: "2027-05-01",
		EndDate: "2027-01-01", BudgetEUR: &neg}}
	err := n.Validate(&cmd, t0, allRef{})
	de, ok := As(err)
	if !ok || de.Code != CodeInvalid {
		t.Fatalf("got %v", err)
	}
	for _, f := range []string{"carrier_id", "territories", "end_date", "budget_eur"} {
		if de.Fields[f].Key == "" {
			t.Errorf("no message for %s: %+v", f, de.Fields)
		}
		if len(de.Fields[f].Args) == 0 || de.Fields[f].Args[0] != "@field."+f {
			t.Errorf("message for %s does not name the field: %+v", f, de.Fields[f])
		}
	}

	cases := []struct {
		in    NeedInput
		field string
		key   string
	}{
		{NeedInput{Action: ActionReject}, "reason", "field.required"},
		{NeedInput{Action: ActionReject, Reason: "non"}, "reason", "field.min_len"},
		{NeedInput{Action: ActionMerge, Into: "x"}, "into", "field.uuid"},
		{NeedInput{Action: ActionMerge, Into: "11111111-1111-1111-1111-111111111111"}, "into", "field.merge_self"},
		{NeedInput{Action: ActionStartStudy, DueDate: "demain"}, "due_date", "field.date"},
		{NeedInput{Action: ActionStartStudy, DueDate: "2020-01-01"}, "due_date", "field.date_past"},
		{NeedInput{Action: ActionSubmitStudy, Recommendation: "maybe", Summary: "Une synthèse suffisamment longue."}, "recommendation", "field.oneof"},
		{NeedInput{Action: ActionVote, Decision: "abstain"}, "decision", "field.oneof"},
		{NeedInput{Action: ActionProposeCarrier, Organisation: "A"}, "organisation", "field.min_len"},
		{NeedInput{Action: ActionRequestInfo}, "comment", "field.required"},
	}
	for _, c := range cases {
		cmd := NeedCommand{NeedInput: c.in}
		de, _ := As(needIn(StageCaptured).Validate(&cmd, t0, allRef{}))
		if de == nil || de.Fields[c.field].Key != c.key {
			t.Errorf("%s: want %s on %s, got %+v", c.in.Action, c.key, c.field, de)
		}
	}
}

func TestSubmissionValidation(t *testing.T) {
	ref := refOf{themes: []string{"health"}, territories: []string{"25"}}
	big := -1
	s := NeedSubmission{Title: "  abc ", Description: "trop court", Theme: "space", TerritoryCode: "99", Beneficiaries: &big}
	de, ok := As(s.Validate(ref))
	if !ok {
		t.Fatal("invalid submission accepted")
	}
	want := map[string]string{"title": "field.min_len", "description": "field.min_len", "theme": "field.unknown_theme",
		"territory_code": "field.unknown_territory", "beneficiaries": "field.min"}
	for f, key := range want {
		if de.Fields[f].Key != key {
			t.Errorf("%s: want %s, got %+v", f, key, de.Fields[f])
		}
	}
	ok2 := NeedSubmission{Title: "Épicerie solidaire", Description: "Pas de commerce à moins de 20 km du village.", Theme: "health", TerritoryCode: "25"}
	if err := ok2.Validate(ref); err != nil {
		t.Fatalf("valid submission refused: %v", err)
	}
	empty := NeedSubmission{}
	de, _ = As(empty.Validate(ref))
	for _, f := range []string{"title", "description", "theme", "territory_code"} {
		if de.Fields[f].Key != "field.required" {
			t.Errorf("%s: %+v", f, de.Fields[f])
		}
	}
}

type refOf struct{ themes, territories []string }

func (r refOf) ThemeExists(s string) bool     { return slices.Contains(r.themes, s) }
func (r refOf) TerritoryExists(s string) bool { return slices.Contains(r.territories, s) }

func vote(n *Need, voter string, d Decision, quorum int, at time.Time) []Event {
	cmd := NeedCommand{NeedInput: NeedInput{Action: ActionVote, Decision: d}, Caller: Caller{UserID: voter, Name: voter, Roles: []Role{RoleCommittee}}, Quorum: quorum}
	if err := n.Authorize(cmd); err != nil {
		panic(err)
	}
	return n.Apply(cmd, at, 30*24*time.Hour)
}

func TestCommitteeDecision(t *testing.T) {
	t.Run("quorum then majority", func(t *testing.T) {
		n := needIn(StageCommittee)
		if ev := vote(n, "m1", DecisionApprove, 3, t0); len(ev) != 1 || n.Stage != StageCommittee {
			t.Fatalf("decided too early: %+v", ev)
		}
		vote(n, "m2", DecisionReject, 3, t0)
		ev := vote(n, "m3", DecisionApprove, 3, t0)
		if len(ev) != 2 || ev[1].Action != ActionDecide || n.Stage != StageCarrierSearch {
			t.Fatalf("want decision to approve, stage %s events %+v", n.Stage, ev)
		}
		if ev[1].Data["approve"] != "2" || ev[1].Data["reject"] != "1" {
			t.Fatalf("counts %v", ev[1].Data)
		}
	})
	t.Run("a new vote replaces the old", func(t *testing.T) {
		n := needIn(StageCommittee)
		vote(n, "m1", DecisionApprove, 2, t0)
		ev := vote(n, "m1", DecisionReject, 2, t0)
		if ev[0].Data["replaced"] != "true" || len(n.Ballot().Votes) != 1 || n.Ballot().Votes[0].Decision != DecisionReject {
			t.Fatalf("votes %+v", n.Ballot().Votes)
		}
		vote(n, "m2", DecisionReject, 2, t0)
		if n.Stage != StageRejected {
			t.Fatalf("stage %s", n.Stage)
		}
	})
	t.Run("a tie waits", func(t *testing.T) {
		n := needIn(StageCommittee)
		vote(n, "m1", DecisionApprove, 2, t0)
		vote(n, "m2", DecisionReject, 2, t0)
		if n.Stage != StageCommittee {
			t.Fatalf("tie decided: %s", n.Stage)
		}
		vote(n, "m3", DecisionReject, 2, t0)
		if n.Stage != StageRejected {
			t.Fatalf("stage %s", n.Stage)
		}
	})
	t.Run("back to study sets a new due date", func(t *testing.T) {
		n := needIn(StageCommittee)
		vote(n, "m1", DecisionBackToStudy, 1, t0)
		if n.Stage != StageFeasibility || n.Study.DueDate != "2026-12-02" {
			t.Fatalf("stage %s study %+v", n.Stage, n.Study)
		}
		if n.Ballots[0].Outcome != DecisionBackToStudy || n.Ballot() != nil {
			t.Fatalf("ballot %+v", n.Ballots)
		}
	})
}

func TestQuorum(t *testing.T) {
	for _, c := range []struct{ members, fixed, want int }{{0, 0, 1}, {1, 0, 1}, {2, 0, 2}, {3, 0, 2}, {4, 0, 3}, {5, 0, 3}, {5, 4, 4}} {
		if got := Quorum(c.members, c.fixed); got != c.want {
			t.Errorf("Quorum(%d, %d) = %d, want %d", c.members, c.fixed, got, c.want)
		}
	}
}

func TestDeadlines(t *testing.T) {
	p := DefaultPolicy
	cases := []struct {
		stage Stage
		kind  string
		at    time.Time
	}{
		{StageCaptured, "qualification_overdue", t0.Add(14 * 24 * time.Hour)},
		{StageAwaitingInfo, "qualification_overdue", t0.Add(14 * 24 * time.Hour)},
		{StageFeasibility, "study_overdue", time.Date(2027, 3, 1, 23, 0, 0, 0, time.UTC)}, // midnight in Paris (UTC+1)
		{StageCommittee, "committee_overdue", t0.Add(30 * 24 * time.Hour)},
		{StageCarrierSearch, "carrier_search_overdue", t0.Add(60 * 24 * time.Hour)},
		{StagePilot, "pilot_overdue", time.Date(2027, 12, 31, 23, 0, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		n := needIn(c.stage)
		d, ok := n.NextDeadline(p)
		if !ok || d.Kind != c.kind || !d.At.Equal(c.at) {
			t.Errorf("%s: got %+v %v", c.stage, d, ok)
			continue
		}
		ev := n.Fire(d, d.At)
		if ev.ActorName != "system" || ev.Data["kind"] != c.kind || ev.FromStage != c.stage || ev.ToStage != c.stage {
			t.Errorf("%s: event %+v", c.stage, ev)
		}
		if _, again := n.NextDeadline(p); again {
			t.Errorf("%s: deadline fires twice", c.stage)
		}
		if still, ok := n.Deadline(p); !ok || still.Key != d.Key {
			t.Errorf("%s: the passed deadline is forgotten, so the project no longer shows overdue", c.stage)
		}
	}
	for _, s := range []Stage{StageQualified, StageDeployment, StageDeployed, StageRejected} {
		if d, ok := needIn(s).NextDeadline(p); ok {
			t.Errorf("%s has a deadline %+v", s, d)
		}
	}
}

func TestApplyIsDeterministic(t *testing.T) {
	a, b := needIn(StageCarrierSearch), needIn(StageCarrierSearch)
	cmd := NeedCommand{NeedInput: validInput(ActionProposeCarrier), Caller: submitter}
	ea, eb := a.Apply(cmd, t0, 0), b.Apply(cmd, t0, 0)
	if fmt.Sprint(ea) != fmt.Sprint(eb) || a.Carriers[1].ID != b.Carriers[1].ID {
		t.Fatal("same state and command gave different results")
	}
}

func TestDerivedIDIsAUUID(t *testing.T) {
	id := DerivedID("need", "user", "key")
	if !IsUUID(id) || id != DerivedID("need", "user", "key") || id == DerivedID("need", "user", "key2") {
		t.Fatalf("DerivedID %s", id)
	}
}

func TestNormaliseKey(t *testing.T) {
	if NormaliseKey("  Mairie de  DÔLE ") != "mairie de dole" {
		t.Fatal(NormaliseKey("  Mairie de  DÔLE "))
	}
}
