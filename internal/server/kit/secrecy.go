package kit

import (
	"strconv"

	"essor/internal/domain"
	"essor/internal/storage"
)

// Ballots are secret while open: until the committee decides, nobody sees
// another member's vote (its decision, its comment, who cast it and when),
// through the API or the pages; a member always sees their own. How many have
// voted is public.

// openRounds are the rounds of a subject's ballots still awaiting a decision.
func openRounds(ballots []storage.BallotRow) map[string]bool {
	open := map[string]bool{}
	for _, b := range ballots {
		if b.Outcome == "" {
			open[strconv.Itoa(b.Round)] = true
		}
	}
	return open
}

// visibleTrail is what viewer may read of a subject's audit trail. The votes
// of open rounds are left out, voter and time included, except the viewer's
// own: until the decision the ballot shows only how many have voted. A call's
// applications (organisation, territory, applicant) are shown to whoever may
// list them: officers and committee members, and the applicant's
// organisation.
func visibleTrail(events []storage.EventRow, ballots []storage.BallotRow, viewer storage.User) []storage.EventRow {
	open := openRounds(ballots)
	caller := viewer.Caller()
	own := func(e storage.EventRow) bool { return viewer.ID != "" && e.ActorID != nil && *e.ActorID == viewer.ID }
	out := events[:0:0]
	for _, e := range events {
		switch {
		case own(e):
		case e.Action == string(domain.ActionVote) && open[e.Data["round"]]:
			continue
		case e.Action == string(domain.ActionApply) && !mayReadApplication(caller, e):
			continue
		}
		out = append(out, e)
	}
	return out
}

// mayReadApplication mirrors who may list a call's applications.
func mayReadApplication(c domain.Caller, e storage.EventRow) bool {
	if c.Has(domain.RoleOfficer, domain.RoleCommittee) {
		return true
	}
	return c.UserID != "" && c.Organisation != "" && c.Has(domain.RoleActor) &&
		domain.NormaliseKey(e.Data["organisation"]) == c.OrganisationKey()
}

// visibleVotes is what a viewer may see of a ballot's votes.
func visibleVotes(b storage.BallotRow, viewerID string) []storage.VoteRow {
	if b.Outcome != "" {
		return b.Votes
	}
	var mine []storage.VoteRow
	for _, v := range b.Votes {
		if viewerID != "" && v.VoterID == viewerID {
			mine = append(mine, v)
		}
	}
	return mine
}
