// Package committee is the one steering committee of every programme: who
// counts toward a decision's quorum, and the decisions awaiting votes. The
// rule of a ballot itself lives in internal/domain/committee.go, where each
// programme's workflow applies it.
package committee

import (
	"context"

	"essor/internal/domain"
	"essor/internal/storage"
)

// Committee reads the committee's members and pending decisions.
type Committee struct {
	DB *storage.DB
	// Fixed sets the number of votes every decision needs
	// (ESSOR_COMMITTEE_QUORUM); 0 is more than half of the members who have
	// no stake in the subject.
	Fixed int
}

// Voice is what voterID's vote on a subject with this stake speaks for
// (their institution and its other members; none for a decision's opener)
// and the quorum in institutions' voices.
func (c *Committee) Voice(ctx context.Context, voterID string, stake domain.Stake) (domain.Voice, error) {
	members, err := c.DB.ActiveMembers(ctx, domain.RoleCommittee)
	if err != nil {
		return domain.Voice{}, err
	}
	v := domain.VoiceOf(voterID, members)
	if v.Institution != "" {
		if v.InstitutionName, err = c.DB.InstitutionName(ctx, v.Institution); err != nil {
			return v, err
		}
	}
	v.QuorumVoices = domain.QuorumOfVoices(stake, members, c.Fixed)
	return v, nil
}

// Quorum is the number of votes a decision on a subject with this stake
// needs: members with a stake do not count. all counts every member, for
// ballots opened before stakes were taken into account.
func (c *Committee) Quorum(ctx context.Context, stake domain.Stake) (eligible, all int, err error) {
	members, err := c.DB.ActiveMembers(ctx, domain.RoleCommittee)
	if err != nil {
		return 0, 0, err
	}
	return domain.Quorum(stake.Eligible(members), c.Fixed), domain.Quorum(len(members), c.Fixed), nil
}

// Pending lists every open decision of every programme, with the member's vote.
func (c *Committee) Pending(ctx context.Context, voterID string) ([]storage.PendingBallot, error) {
	return c.DB.PendingBallots(ctx, voterID)
}
