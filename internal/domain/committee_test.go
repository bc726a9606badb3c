package domain_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"essor/internal/domain"
)

func ballotOf(rule int, decisions ...domain.Decision) *domain.Ballot {
	b := &domain.Ballot{Round: 1, Rule: rule}
	for i, d := range decisions {
		b.Cast(domain.Vote{VoterID: fmt.Sprintf("m%02d", i), Decision: d})
	}
	return b
}

// The committee rule: a decision once a quorum has voted and one option has
// more than half of the votes cast; otherwise the ballot stays open.
func TestBallotRule(t *testing.T) {
	const A, R, B = domain.DecisionApprove, domain.DecisionReject, domain.DecisionBackToStudy
	for _, tc := range []struct {
		name    string
		rule    int
		quorum  int
		votes   []domain.Decision
		want    domain.Decision
		decided bool
	}{
		{"no quorum yet", domain.RuleMajority, 3, []domain.Decision{A, A}, "", false},
		{"quorum and a majority", domain.RuleMajority, 2, []domain.Decision{A, A}, A, true},
		{"a tie waits", domain.RuleMajority, 2, []domain.Decision{A, R}, "", false},
		{"a plurality is not a majority", domain.RuleMajority, 3, []domain.Decision{A, A, R, B}, "", false},
		{"more than half of the votes cast", domain.RuleMajority, 3, []domain.Decision{A, A, A, R, B}, A, true},
		{"reject by majority", domain.RuleMajority, 3, []domain.Decision{R, R, A}, R, true},
		{"back to study by majority", domain.RuleMajority, 1, []domain.Decision{B}, B, true},
		{"older ballots keep the plurality rule", domain.RulePlurality, 3, []domain.Decision{A, A, R, B}, A, true},
		{"older ballots: a tie waits", domain.RulePlurality, 2, []domain.Decision{A, R}, "", false},
	} {
		got, ok := ballotOf(tc.rule, tc.votes...).Tally(tc.quorum)
		if got != tc.want || ok != tc.decided {
			t.Errorf("%s: Tally = %q, %v; want %q, %v", tc.name, got, ok, tc.want, tc.decided)
		}
	}
	// A member who changes their vote can tip the ballot.
	b := ballotOf(domain.RuleMajority, A, R)
	if _, ok := b.Tally(2); ok {
		t.Fatal("a tie decided")
	}
	if replaced := b.Cast(domain.Vote{VoterID: "m01", Decision: A}); !replaced {
		t.Fatal("the changed vote was not a replacement")
	}
	if d, ok := b.Tally(2); !ok || d != A {
		t.Fatalf("after the change: %q, %v", d, ok)
	}
}

func TestStakes(t *testing.T) {
	n := &domain.Need{NeedSubmission: domain.NeedSubmission{Organisation: "Mairie de Dole"},
		SubmittedBy: domain.Caller{UserID: "actor", Organisation: "Commune de Dole"},
		Study:       &domain.Study{LedBy: "officer-1"}}
	st := n.Stake()
	for _, tc := range []struct{ id, org, want string }{
		{"m1", "mairie de  DÔLE", ""}, // typed on the need by the applicant: a label, never a stake
		{"m2", "commune de  DÔLE", "error.stake_organisation"},
		{"officer-1", "FCA", "error.stake_study"},
		{"m3", "Région", ""},
	} {
		if key, _ := st.Of(domain.Member{ID: tc.id, Organisation: tc.org}); key != tc.want {
			t.Errorf("Of(%s, %s) = %q, want %q", tc.id, tc.org, key, tc.want)
		}
	}
	members := []domain.Member{{ID: "m1", Organisation: "Commune de Dole"}, {ID: "officer-1", Organisation: "FCA"}, {ID: "m3", Organisation: "Région"}, {ID: "m4", Organisation: "État"}, {ID: "m5", Organisation: "CDC"}}
	if got := st.Eligible(members); got != 3 {
		t.Fatalf("eligible %d, want 3", got)
	}
	if q := domain.Quorum(st.Eligible(members), 0); q != 2 {
		t.Fatalf("quorum %d, want 2 (more than half of the 3 without a stake)", q)
	}
}

// A member with a stake is refused (403 naming why) on ballots opened under
// the exact rule; older ballots keep accepting them, as they did.
func TestStakeholderMayNotVote(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	for _, rule := range []int{domain.RulePlurality, domain.RuleMajority} {
		n := &domain.Need{ID: "n", NeedSubmission: domain.NeedSubmission{Organisation: "Mairie de Dole"}, SubmittedBy: domain.Caller{UserID: "actor", Organisation: "Mairie de Dole"}, Study: &domain.Study{LedBy: "officer-1"}, Ballots: []domain.Ballot{{Round: 1, OpenedAt: now, Quorum: 2, Rule: rule}}, Tracked: domain.Tracked{Stage: domain.StageCommittee}}
		member := domain.Caller{UserID: "m1", Name: "Maire", Organisation: "Mairie de Dole", Roles: []domain.Role{domain.RoleCommittee}}
		err := n.Authorize(domain.NeedCommand{Caller: member, NeedInput: domain.NeedInput{Action: domain.ActionVote, Decision: domain.DecisionApprove}})
		if rule == domain.RuleMajority {
			de, ok := domain.As(err)
			if !ok || de.Code != domain.CodeForbidden || de.Message.Key != "error.stake_organisation" || de.Message.Args[0] != "Mairie de Dole" {
				t.Fatalf("rule %d: %v", rule, err)
			}
		} else if err != nil {
			t.Fatalf("rule %d: an older ballot refused a vote it accepted before: %v", rule, err)
		}
	}
}

// A name an applicant types on a need or a study-action ("Région" as their
// organisation, "Région" as the host company) never removes a voter: only
// the accounts' organisations, which admins set, make a stake.
func TestTypedOrganisationNeverRemovesAVoter(t *testing.T) {
	region := domain.Caller{UserID: "m-region", Organisation: "Région", Roles: []domain.Role{domain.RoleCommittee}}
	applicant := domain.Caller{UserID: "actor", Organisation: "Centre social de Lure"}
	n := &domain.Need{NeedSubmission: domain.NeedSubmission{Organisation: "Région"}, SubmittedBy: applicant}
	if key, _ := n.Stake().Of(domain.MemberOf(region)); key != "" {
		t.Fatalf("need: a typed organisation removed the Region's member (%s)", key)
	}
	s := &domain.StudyAction{Application: domain.Application{HostCompany: "Région"}, Applicant: applicant}
	if key, _ := s.Stake().Of(domain.MemberOf(region)); key != "" {
		t.Fatalf("study-action: a typed host company removed the Region's member (%s)", key)
	}
	if got := n.Stake().Eligible([]domain.Member{{ID: region.UserID, Organisation: region.Organisation}}); got != 1 {
		t.Fatalf("eligible %d, want 1", got)
	}
}

// TestActionFieldsAreInputFields keeps the one table of action fields true:
// every action a person requests through a form has its fields listed, and
// each is a field of NeedInput (its JSON name).
func TestActionFieldsAreInputFields(t *testing.T) {
	names := map[string]bool{}
	typ := reflect.TypeOf(domain.NeedInput{})
	for i := 0; i < typ.NumField(); i++ {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		names[name] = true
	}
	for _, a := range domain.TransitionActions {
		fields, ok := domain.ActionFields[a]
		if !ok {
			t.Errorf("%s has no fields listed", a)
		}
		for _, f := range fields {
			if !names[f] {
				t.Errorf("%s lists %q, which NeedInput does not have", a, f)
			}
		}
	}
}

// An account's directory record makes a stake whatever the labels say: a
// member of the same organisation (same record) may not vote.
func TestStakeByOrganisationRecord(t *testing.T) {
	n := &domain.Need{SubmittedBy: domain.Caller{UserID: "actor", Organisation: "CC Jura Nord", OrganisationID: "org-1"}}
	if key, _ := n.Stake().Of(domain.Member{ID: "m1", Organisation: "Communauté de communes Jura Nord", OrganisationID: "org-1"}); key != "error.stake_organisation" {
		t.Fatalf("same record, another label: %q", key)
	}
	if key, _ := n.Stake().Of(domain.Member{ID: "m2", Organisation: "Région", OrganisationID: "org-2"}); key != "" {
		t.Fatalf("another record: %q", key)
	}
}
