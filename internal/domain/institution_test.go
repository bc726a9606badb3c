package domain

import (
	"testing"
	"time"
)

// TestVoicesOfInstitutions: under RuleInstitutions each institution is one
// voice: its members' shared vote, or an abstention when they disagree; the
// quorum counts voices; a member of no institution is a voice of their own.
func TestVoicesOfInstitutions(t *testing.T) {
	vote := func(id, inst string, d Decision) Vote {
		return Vote{VoterID: id, Institution: inst, Decision: d, At: time.Unix(0, 0)}
	}
	cases := []struct {
		name   string
		votes  []Vote
		quorum int
		want   Decision
	}{
		{"three Région accounts are one voice: no quorum of 2", []Vote{
			vote("a", "region", DecisionApprove), vote("b", "region", DecisionApprove), vote("c", "region", DecisionApprove)}, 2, ""},
		{"two institutions agree", []Vote{vote("a", "region", DecisionApprove), vote("d", "state", DecisionApprove)}, 2, DecisionApprove},
		{"three Région accounts do not outvote two institutions", []Vote{
			vote("a", "region", DecisionApprove), vote("b", "region", DecisionApprove), vote("c", "region", DecisionApprove),
			vote("d", "state", DecisionReject), vote("e", "fca", DecisionReject)}, 3, DecisionReject},
		{"a divided institution abstains", []Vote{
			vote("a", "region", DecisionApprove), vote("b", "region", DecisionReject),
			vote("d", "state", DecisionReject), vote("e", "fca", DecisionApprove)}, 3, ""},
		{"an abstention counts toward the quorum, not the majority", []Vote{
			vote("a", "region", DecisionApprove), vote("b", "region", DecisionReject),
			vote("d", "state", DecisionReject), vote("e", "fca", DecisionReject)}, 3, DecisionReject},
		{"a member of no institution is a voice", []Vote{vote("x", "", DecisionApprove), vote("d", "state", DecisionApprove)}, 2, DecisionApprove},
		{"everyone abstains", []Vote{vote("a", "region", DecisionApprove), vote("b", "region", DecisionReject)}, 1, ""},
	}
	for _, c := range cases {
		b := Ballot{Rule: RuleInstitutions}
		for _, v := range c.votes {
			b.Cast(v)
		}
		if got, _ := b.Tally(c.quorum); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	// Before the rule, accounts count.
	old := Ballot{Rule: RuleMajority}
	for _, v := range []Vote{vote("a", "region", DecisionApprove), vote("b", "region", DecisionApprove)} {
		old.Cast(v)
	}
	if got, ok := old.Tally(2); !ok || got != DecisionApprove {
		t.Errorf("an older ballot counts accounts: %q", got)
	}
}

// TestInstitutionStakeAndQuorum: an institution one of whose members has a
// stake does not vote and is not counted; a configured quorum never exceeds
// the voices able to vote.
func TestInstitutionStakeAndQuorum(t *testing.T) {
	members := []Member{
		{ID: "a", Institution: "region", OrganisationID: "org-region"}, {ID: "b", Institution: "region"},
		{ID: "d", Institution: "state"}, {ID: "e", Institution: "fca"}, {ID: "f", Institution: "cress", OrganisationID: "org-cress"},
		{ID: "x"},
	}
	stake := Stake{Organisations: []string{"id:org-cress"}}
	cases := []struct {
		name  string
		fixed int
		want  int
	}{
		{"more than half of the four voices able (region, state, fca, x)", 0, 3},
		{"a configured quorum within the voices", 2, 2},
		{"a configured quorum above them is capped", 9, 4},
	}
	for _, c := range cases {
		if got := QuorumOfVoices(stake, members, c.fixed); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
	// b has no stake of her own, but her colleague a's organisation submitted.
	s := Stake{Organisations: []string{"id:org-region"}}
	voice := Voice{Institution: "region", InstitutionName: "Région", Colleagues: []Member{members[0]}}
	if key, arg := s.VoiceStake(members[1], voice, RuleInstitutions); key != "error.stake_institution" || arg != "Région" {
		t.Errorf("a colleague's stake: %q %q", key, arg)
	}
	if key, _ := s.VoiceStake(members[1], voice, RuleMajority); key != "" {
		t.Errorf("an older ballot knows no institutions: %q", key)
	}
	if key, _ := s.VoiceStake(members[2], Voice{Institution: "state"}, RuleInstitutions); key != "" {
		t.Errorf("another institution: %q", key)
	}
	if got := Quorum(1, 3); got != 1 {
		t.Errorf("an accounts' quorum above the members is capped: %d", got)
	}
}
