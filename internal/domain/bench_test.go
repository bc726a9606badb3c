package domain

import (
	"testing"
	"time"
)

// BenchmarkVote is the hot path of a committee vote inside the workflow:
// authorise, validate and apply (tally included).
func BenchmarkVote(b *testing.B) {
	voters := []Caller{
		{UserID: "00000000-0000-0000-0000-0000000000c1", Name: "c1", Roles: []Role{RoleCommittee}},
		{UserID: "00000000-0000-0000-0000-0000000000c2", Name: "c2", Roles: []Role{RoleCommittee}},
	}
	for b.Loop() {
		n := needIn(StageCommittee)
		for _, v := range voters {
			cmd := NeedCommand{NeedInput: NeedInput{Action: ActionVote, Decision: DecisionApprove}, Caller: v, Quorum: 3}
			if err := n.Authorize(cmd); err != nil {
				b.Fatal(err)
			}
			if err := n.Validate(&cmd, t0, allRef{}); err != nil {
				b.Fatal(err)
			}
			n.Apply(cmd, t0, time.Hour)
		}
	}
}

// BenchmarkSubmissionValidate is what every submission pays before Temporal.
func BenchmarkSubmissionValidate(b *testing.B) {
	ref := refOf{themes: []string{"health"}, territories: []string{"25"}}
	for b.Loop() {
		s := NeedSubmission{Title: "Épicerie solidaire", Description: "Pas de commerce à moins de 20 km du village.", Theme: "health", TerritoryCode: "25"}
		if err := s.Validate(ref); err != nil {
			b.Fatal(err)
		}
	}
}
