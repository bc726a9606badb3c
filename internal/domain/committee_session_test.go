package domain

import (
	"testing"
	"time"
)

// TestSessionQuorumAndAttendance: the quorum counts institutions; a member
// represented by another counts for their institution; the attendance
// names committee members only, each once, and a proxy among them.
func TestSessionQuorumAndAttendance(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s, _, err := NewSession("s", SessionDraft{Title: "Comité", StartsAt: "2026-12-10T14:00:00Z", Place: "Besançon"}, officer, now)
	if err != nil {
		t.Fatal(err)
	}
	s.Stage = StageConvened
	members := []Member{{ID: "a", Institution: "region"}, {ID: "b", Institution: "region"}, {ID: "c", Institution: "state"},
		{ID: "d", Institution: "fca"}, {ID: "e", Institution: "cress"}, {ID: "x"}}
	open := func(att ...Attendee) error {
		return s.Validate(&SessionCommand{SessionInput: SessionInput{Action: ActionOpenSession, Attendance: att}, Caller: officer, Members: members})
	}
	cases := []struct {
		name string
		att  []Attendee
		want string
	}{
		{"three Région accounts are one institution: 1 of 5, quorum 3", []Attendee{{UserID: "a", Status: "present"}, {UserID: "b", Status: "present"}}, "stage_conflict:error.session_no_quorum"},
		{"three institutions of five", []Attendee{{UserID: "a", Status: "present"}, {UserID: "c", Status: "present"}, {UserID: "x", Status: "present"}}, ""},
		{"a represented member counts", []Attendee{{UserID: "a", Status: "present"}, {UserID: "c", Status: "present"}, {UserID: "d", Status: "represented", ProxyID: "a"}}, ""},
		{"excused members do not", []Attendee{{UserID: "a", Status: "present"}, {UserID: "c", Status: "excused"}, {UserID: "d", Status: "excused"}}, "stage_conflict:error.session_no_quorum"},
		{"a stranger", []Attendee{{UserID: "z", Status: "present"}}, "attendance:field.attendance_member"},
		{"twice", []Attendee{{UserID: "a", Status: "present"}, {UserID: "a", Status: "excused"}}, "attendance:field.attendance_member"},
		{"a proxy outside the committee", []Attendee{{UserID: "a", Status: "represented", ProxyID: "z"}}, "attendance:field.attendance_proxy"},
		{"an unknown status", []Attendee{{UserID: "a", Status: "là"}}, "attendance:field.oneof"},
		{"nobody", nil, "attendance:field.required"},
	}
	for _, c := range cases {
		if got := code(open(c.att...)); got != c.want && !(c.want == "" && got == "ok") {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

// TestSessionItemDecisions: what a decision in session must say.
func TestSessionItemDecisions(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s, _, _ := NewSession("s", SessionDraft{Title: "Comité", StartsAt: "2026-12-10T14:00:00Z", Place: "Besançon"}, officer, now)
	s.Stage = StageOpen
	s.Agenda = []AgendaItem{{N: 1, Subject: SubjectNeed, SubjectID: "n1"}, {N: 2, Subject: SubjectCall, SubjectID: "c1", Decision: &ItemDecision{Decision: "approve"}}}
	s.Attendance = []Attendee{{UserID: "a", Status: "present"}}
	one, zero, minus := 1, 0, -1
	votes := &VoteCount{For: &one, Against: &zero, Abstain: &zero}
	budget, negative := 30000.0, -5.0
	decide := func(in SessionInput) string {
		in.Action = ActionDecideItem
		return code(s.Validate(&SessionCommand{SessionInput: in, Caller: officer}))
	}
	cases := []struct {
		name string
		in   SessionInput
		want string
	}{
		{"an approval with a budget and conditions", SessionInput{N: 1, Decision: "approve", Votes: votes, BudgetEUR: &budget, Conditions: "Un point d'étape."}, "ok"},
		{"an adjournment needs no votes", SessionInput{N: 1, Decision: "adjourn"}, "ok"},
		{"no such item", SessionInput{N: 3, Decision: "approve", Votes: votes}, "n:field.agenda_item"},
		{"an item decided", SessionInput{N: 2, Decision: "reject", Votes: votes, Reason: "Trop tard pour changer"}, "n:field.item_decided"},
		{"no votes", SessionInput{N: 1, Decision: "approve"}, "votes:field.session_votes"},
		{"negative votes", SessionInput{N: 1, Decision: "approve", Votes: &VoteCount{For: &minus, Against: &zero, Abstain: &zero}}, "votes:field.session_votes"},
		{"a rejection needs its reason", SessionInput{N: 1, Decision: "reject", Votes: votes}, "reason:field.required"},
		{"a budget goes with an approval", SessionInput{N: 1, Decision: "back_to_study", Votes: votes, BudgetEUR: &budget}, "budget_eur:field.session_budget"},
		{"a negative budget", SessionInput{N: 1, Decision: "approve", Votes: votes, BudgetEUR: &negative}, "budget_eur:field.session_budget"},
		{"conditions go with an approval", SessionInput{N: 1, Decision: "adjourn", Conditions: "Des conditions ?"}, "conditions:field.session_conditions"},
		{"a conflict of someone absent", SessionInput{N: 1, Decision: "approve", Votes: votes, Conflicts: []string{"z"}}, "conflicts:field.attendance_member"},
		{"an unknown decision", SessionInput{N: 1, Decision: "maybe", Votes: votes}, "decision:field.oneof"},
	}
	for _, c := range cases {
		if got := decide(c.in); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

// TestEveryProgrammeDecidesInSession: a session's decision closes the
// subject's ballot as a vote would, carries the session, and is ignored
// when no decision is open any more.
func TestEveryProgrammeDecidesInSession(t *testing.T) {
	now := time.Date(2026, 12, 10, 15, 0, 0, 0, time.UTC)
	d := SessionDecision{SessionID: "s1", N: 2, Decision: DecisionApprove, Conditions: "Un bilan à six mois."}

	c := callIn(t, StageDeciding)
	evs := c.DecideInSession(d, now)
	if len(evs) != 1 || c.Stage != StagePublished || c.Conditions != "Un bilan à six mois." || evs[0].Data["session_id"] != "s1" || !c.Ballots[len(c.Ballots)-1].Decided() {
		t.Fatalf("call: %v %+v", c.Stage, evs)
	}
	if again := c.DecideInSession(d, now); again != nil {
		t.Fatalf("a decided call took a second decision: %+v", again)
	}

	s := studyIn(StageCommittee)
	reject := SessionDecision{SessionID: "s1", N: 3, Decision: DecisionReject, Reason: "Le plan de financement ne tient pas."}
	evs = s.DecideInSession(reject, now)
	if len(evs) != 1 || s.Stage != StageRejected || evs[0].Comment != reject.Reason {
		t.Fatalf("study-action: %v %+v", s.Stage, evs)
	}

	n := needIn(StageCommittee)
	n.Ballots = []Ballot{{Round: 1, OpenedAt: now, Quorum: 1, Rule: RuleInstitutions}}
	budget := 12345.678
	evs = n.DecideInSession(SessionDecision{SessionID: "s1", N: 1, Decision: DecisionApprove, BudgetEUR: &budget, Conditions: "Un point d'étape."}, now, time.Hour)
	if len(evs) != 1 || n.Stage != StageCarrierSearch || n.ApprovedBudgetEUR == nil || *n.ApprovedBudgetEUR != 12345.68 || n.Conditions != "Un point d'étape." {
		t.Fatalf("need: %v %v %+v", n.Stage, n.ApprovedBudgetEUR, evs)
	}
	if again := needIn(StageQualified).DecideInSession(d, now, time.Hour); again != nil {
		t.Fatalf("a need out of committee took a decision: %+v", again)
	}
}

// TestSessionDateBounds: a session is planned in the future, within the
// horizon every date of Essor keeps (year 9999 is refused, not a timer of
// centuries).
func TestSessionDateBounds(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for starts, want := range map[string]string{"9999-12-31T10:00:00Z": "starts_at:field.date_range",
		"2026-11-30T10:00:00Z": "starts_at:field.date_past", "demain": "starts_at:field.datetime", "2027-01-15T14:00:00Z": "ok"} {
		_, _, err := NewSession("s", SessionDraft{Title: "Comité", StartsAt: starts, Place: "Besançon"}, officer, now)
		if got := code(err); got != want {
			t.Errorf("%s: %s, want %s", starts, got, want)
		}
	}
}
