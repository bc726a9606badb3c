package domain

import (
	"slices"
	"sort"
	"time"
)

// Decision is a committee member's vote; each programme lists the ones it allows.
type Decision string

const (
	DecisionApprove     Decision = "approve"
	DecisionReject      Decision = "reject"
	DecisionBackToStudy Decision = "back_to_study"
)

// Vote is one member's current vote on one decision.
type Vote struct {
	VoterID   string    `json:"voter_id"`
	VoterName string    `json:"voter_name"`
	Decision  Decision  `json:"decision"`
	Comment   string    `json:"comment,omitempty"`
	At        time.Time `json:"at"`
	// Institution is the institution the voter spoke for (RuleInstitutions).
	Institution string `json:"institution,omitempty"`
}

// Subject is the kind of thing a committee decision is about.
type Subject string

const (
	SubjectNeed        Subject = "need"
	SubjectStudyAction Subject = "study_action"
	SubjectCall        Subject = "call"
)

// Ballot rules: ballots opened before the exact rule keep the rule they were
// opened under (running workflows replay as they ran).
const (
	// RulePlurality decides once a quorum has voted and one option has
	// strictly more votes than any other.
	RulePlurality = 0
	// RuleMajority decides once a quorum has voted and one option has more
	// than half of the votes cast; members with a stake may not vote.
	RuleMajority = 1
)

// Ballot is one decision of the steering committee: members vote (a new vote
// replaces the member's previous one) until the rule decides. Needs,
// study-actions, calls and any later programme decide through it.
type Ballot struct {
	Round     int       `json:"round"`
	OpenedAt  time.Time `json:"opened_at"`
	Quorum    int       `json:"quorum"`
	Votes     []Vote    `json:"votes"` // one per voter, sorted by voter id
	Outcome   Decision  `json:"outcome,omitempty"`
	DecidedAt time.Time `json:"decided_at,omitzero"`
	Rule      int       `json:"rule,omitempty"`
}

// Decided tells whether the ballot has an outcome.
func (b *Ballot) Decided() bool { return b.Outcome != "" }

// Cast records v, replacing the voter's previous vote, and reports whether it replaced one.
func (b *Ballot) Cast(v Vote) bool {
	i := sort.Search(len(b.Votes), func(i int) bool { return b.Votes[i].VoterID >= v.VoterID })
	if i < len(b.Votes) && b.Votes[i].VoterID == v.VoterID {
		b.Votes[i] = v
		return true
	}
	b.Votes = append(b.Votes, Vote{})
	copy(b.Votes[i+1:], b.Votes[i:])
	b.Votes[i] = v
	return false
}

// Count returns the number of votes for each decision.
func (b *Ballot) Count() map[Decision]int {
	c := map[Decision]int{}
	for _, v := range b.Votes {
		c[v.Decision]++
	}
	return c
}

// Tally returns the outcome once quorum members have voted and, under the
// ballot's rule, one decision has more than half of the votes cast (or, for
// ballots opened before that rule, strictly more votes than any other).
func (b *Ballot) Tally(quorum int) (Decision, bool) {
	if b.Rule >= RuleInstitutions {
		return b.tallyVoices(quorum)
	}
	if quorum < 1 {
		quorum = 1
	}
	if len(b.Votes) < quorum {
		return "", false
	}
	if b.Rule >= RuleMajority {
		for _, v := range b.Votes { // at most one decision can hold a majority
			n := 0
			for _, w := range b.Votes {
				if w.Decision == v.Decision {
					n++
				}
			}
			if 2*n > len(b.Votes) {
				return v.Decision, true
			}
		}
		return "", false
	}
	var best Decision
	bestN, tie := 0, false
	for _, v := range b.Votes { // a stable order: the first voter's decision is seen first
		n := 0
		for _, w := range b.Votes {
			if w.Decision == v.Decision {
				n++
			}
		}
		switch {
		case n > bestN:
			best, bestN, tie = v.Decision, n, false
		case n == bestN && v.Decision != best:
			tie = true
		}
	}
	if tie {
		return "", false
	}
	return best, true
}

// Member is a committee member as far as a decision's rules need to know.
type Member struct {
	ID             string
	Organisation   string
	OrganisationID string
	Institution    string // its slug, "" for none
}

// MemberOf is a caller as a committee member.
func MemberOf(c Caller) Member {
	return Member{ID: c.UserID, Organisation: c.Organisation, OrganisationID: c.OrganisationID}
}

// Stake is who has an interest in a subject: the organisations that
// submitted, host or applied for it, and the people who led its study. Its
// members may not vote on it and do not count toward its quorum.
type Stake struct {
	Organisations []string `json:"organisations,omitempty"` // organisation keys (NormaliseKey)
	People        []string `json:"people,omitempty"`        // user ids of those who led its study
	Submitters    []string `json:"submitters,omitempty"`    // user ids of those who submitted it
}

// Of returns why a member has a stake ("" when they have none): a message
// key and its argument, for the 403 that names the reason.
func (s Stake) Of(m Member) (key, arg string) {
	if slices.Contains(s.Submitters, m.ID) {
		return "error.stake_submitter", ""
	}
	if slices.Contains(s.People, m.ID) {
		return "error.stake_study", ""
	}
	for _, k := range (Caller{Organisation: m.Organisation, OrganisationID: m.OrganisationID}).OrganisationKeys() {
		if slices.Contains(s.Organisations, k) {
			return "error.stake_organisation", m.Organisation
		}
	}
	return "", ""
}

// Eligible counts the members with no stake in the subject.
func (s Stake) Eligible(members []Member) int {
	n := 0
	for _, m := range members {
		if k, _ := s.Of(m); k == "" {
			n++
		}
	}
	return n
}

// Quorum is the number of votes a decision needs: fixed when configured
// (never more than the members able to vote, so a ballot cannot jam),
// else more than half of the committee's members (at least one).
func Quorum(members, fixed int) int {
	if fixed > 0 {
		return max(min(fixed, members), 1)
	}
	q := members/2 + 1
	if q < 1 {
		q = 1
	}
	return q
}

// cloneBallots is a deep copy of a subject's ballots (its Clone's part).
func cloneBallots(b []Ballot) []Ballot {
	c := slices.Clone(b)
	for i := range c {
		c[i].Votes = slices.Clone(b[i].Votes)
	}
	return c
}
