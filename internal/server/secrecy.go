package server

import (
	"strconv"

	"essor/internal/storage"
)

// Ballots are secret while open: until the committee decides, nobody sees
// another member's vote (its decision and its comment), through the API or
// the pages; a member always sees their own. How many have voted is public.

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

// hideOpenVotes blanks, in the audit trail, the decision and comment of the
// votes of open rounds, except the viewer's own ("" for an anonymous one).
func hideOpenVotes(events []storage.EventRow, ballots []storage.BallotRow, viewerID string) {
	open := openRounds(ballots)
	if len(open) == 0 {
		return
	}
	for i, e := range events {
		if e.Action != "vote" || !open[e.Data["round"]] || (viewerID != "" && e.ActorID != nil && *e.ActorID == viewerID) {
			continue
		}
		events[i].Data = map[string]string{"round": e.Data["round"], "secret": "true"}
		events[i].Comment = ""
	}
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
