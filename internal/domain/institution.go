package domain

import (
	"slices"
	"strings"
	"time"
)

// The steering committee's members are institutions (the seed's Région,
// État, FCA, CRESS, Caisse des dépôts), each with its accounts: from
// RuleInstitutions on, a ballot counts one voice per institution.

// RuleInstitutions decides as RuleMajority, counting institutions: the
// quorum and the majority are institutions' voices; an institution's voice
// is its members' vote, and members who disagree make it abstain; an
// institution one of whose members has a stake may not vote. A member who
// belongs to no institution is a voice of their own.
const RuleInstitutions = 2

// Institution is one of the committee's member bodies.
type Institution struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// Voice is what a vote carries beyond the voter, filled by the service (the
// workflow cannot look it up): the institution the voter speaks for, its
// other members (whose stakes are its own) and the quorum in voices.
// Ballots opened before RuleInstitutions ignore it.
type Voice struct {
	Institution     string   `json:"institution,omitempty"`
	InstitutionName string   `json:"institution_name,omitempty"`
	Colleagues      []Member `json:"colleagues,omitempty"`
	QuorumVoices    int      `json:"quorum_voices,omitempty"`
}

// VoiceOf is the voice of voterID among the committee's members: their
// institution and its other members (none for a member of no institution,
// nor for "", a decision's opener).
func VoiceOf(voterID string, members []Member) Voice {
	var v Voice
	for _, m := range members {
		if m.ID == voterID {
			v.Institution = m.Institution
		}
	}
	if v.Institution == "" {
		return v
	}
	for _, m := range members {
		if m.Institution == v.Institution && m.ID != voterID {
			v.Colleagues = append(v.Colleagues, m)
		}
	}
	return v
}

// voiceOf is the key a vote counts under: its institution, or the voter.
func voiceOf(v Vote) string {
	if v.Institution != "" {
		return "institution:" + v.Institution
	}
	return "user:" + v.VoterID
}

// Voices are the ballot's voices, in the order of their first vote: each
// institution's decision, or "" when its members disagree (it abstains).
func (b *Ballot) Voices() (keys []string, decisions map[string]Decision) {
	decisions = map[string]Decision{}
	for _, v := range b.Votes {
		k := voiceOf(v)
		d, seen := decisions[k]
		switch {
		case !seen:
			keys = append(keys, k)
			decisions[k] = v.Decision
		case d != v.Decision:
			decisions[k] = ""
		}
	}
	return keys, decisions
}

// tallyVoices decides once quorum voices have spoken (abstentions count
// toward the quorum) and one decision holds more than half of the voices
// that did not abstain.
func (b *Ballot) tallyVoices(quorum int) (Decision, bool) {
	keys, decisions := b.Voices()
	if len(keys) < max(quorum, 1) {
		return "", false
	}
	count, cast := map[Decision]int{}, 0
	for _, k := range keys {
		if d := decisions[k]; d != "" {
			count[d]++
			cast++
		}
	}
	for _, k := range keys { // in a stable order; at most one can hold a majority
		if d := decisions[k]; d != "" && 2*count[d] > cast {
			return d, true
		}
	}
	return "", false
}

// NewBallot opens round under rule: its quorum counts voices under
// RuleInstitutions, accounts before.
func NewBallot(round int, now time.Time, quorum int, voice Voice, rule int) Ballot {
	if rule >= RuleInstitutions {
		quorum = max(voice.QuorumVoices, 1)
	}
	return Ballot{Round: round, OpenedAt: now, Quorum: quorum, Rule: rule}
}

// CastVoice records a vote with what it speaks for: under RuleInstitutions
// the voter's institution and the quorum in voices, else as before.
func (b *Ballot) CastVoice(v Vote, voice Voice, quorum int) bool {
	b.Quorum = max(quorum, 1)
	if b.Rule >= RuleInstitutions {
		v.Institution = voice.Institution
		b.Quorum = max(voice.QuorumVoices, 1)
	}
	return b.Cast(v)
}

// VoiceStake is why a member may not vote on a subject ("" when they may):
// their own stake, or, under RuleInstitutions, one of their institution's
// members' (the institution has a stake).
func (s Stake) VoiceStake(m Member, voice Voice, rule int) (key, arg string) {
	if key, arg := s.Of(m); key != "" {
		return key, arg
	}
	if rule < RuleInstitutions {
		return "", ""
	}
	for _, c := range voice.Colleagues {
		if key, _ := s.Of(c); key != "" {
			return "error.stake_institution", voice.InstitutionName
		}
	}
	return "", ""
}

// QuorumOfVoices is the quorum of a ballot counting institutions: the
// voices able to vote (institutions none of whose members has a stake, and
// members of no institution without one), and more than half of them; a
// configured quorum is never above the voices able to vote.
func QuorumOfVoices(s Stake, members []Member, fixed int) int {
	staked, voices := map[string]bool{}, []string{}
	for _, m := range members {
		k := "user:" + m.ID
		if m.Institution != "" {
			k = "institution:" + m.Institution
		}
		if key, _ := s.Of(m); key != "" {
			staked[k] = true
		}
		if !slices.Contains(voices, k) {
			voices = append(voices, k)
		}
	}
	able := 0
	for _, k := range voices {
		if !staked[k] {
			able++
		}
	}
	if fixed > 0 {
		return max(min(fixed, able), 1)
	}
	return Quorum(able, 0)
}

// Validate trims the institution and names every failing field.
func (i *Institution) Validate() error {
	fe := FieldErrors{}
	i.Slug = strings.TrimSpace(i.Slug)
	if i.Slug == "" {
		fe.Add("slug", "field.required")
	} else if !slugPattern.MatchString(i.Slug) {
		fe.Add("slug", "field.slug_format")
	}
	checkLabel(fe, "name", &i.Name)
	return fe.Err()
}

// MaxInstitutionMembers bounds an institution's accounts.
const MaxInstitutionMembers = 50
