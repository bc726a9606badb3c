package kit

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/storage"
)

// eventJSON is one line of a subject's audit trail in the API.
type eventJSON struct {
	Seq       int               `json:"seq"`
	At        time.Time         `json:"at"`
	Actor     string            `json:"actor"`
	ActorName string            `json:"actor_name"`
	Action    string            `json:"action"`
	FromStage *string           `json:"from_stage"`
	ToStage   string            `json:"to_stage"`
	Comment   string            `json:"comment"`
	Data      map[string]string `json:"data,omitempty"`
}

// auditTrail answers a subject's audit trail (every programme's), oldest
// first, with the votes of open ballots hidden.
func (s *Kit) AuditTrail(c *fiber.Ctx, subjectID string) error {
	events, err := s.DB.Events(c.UserContext(), subjectID)
	if err != nil {
		return err
	}
	ballots, err := s.DB.Ballots(c.UserContext(), subjectID)
	if err != nil {
		return err
	}
	u, _ := UserOf(c)
	events = visibleTrail(events, ballots, u)
	out := make([]eventJSON, 0, len(events))
	for _, e := range events {
		actor := "system"
		if e.ActorID != nil {
			actor = *e.ActorID
		}
		var from *string
		if e.FromStage != "" {
			from = &e.FromStage
		}
		out = append(out, eventJSON{Seq: e.Seq, At: e.At, Actor: actor, ActorName: e.ActorName, Action: e.Action,
			FromStage: from, ToStage: e.ToStage, Comment: e.Comment, Data: e.Data})
	}
	return c.JSON(out)
}

// ballotsOf answers a subject's committee decisions with their votes
// (others' votes only once decided).
func (s *Kit) BallotsOf(c *fiber.Ctx, subjectID string) error {
	ballots, err := s.DB.Ballots(c.UserContext(), subjectID)
	if err != nil {
		return err
	}
	type voteJSON struct {
		Voter     string    `json:"voter"`
		VoterName string    `json:"voter_name"`
		Decision  string    `json:"decision"`
		Comment   string    `json:"comment"`
		At        time.Time `json:"at"`
	}
	type ballotJSON struct {
		Round     int        `json:"round"`
		OpenedAt  time.Time  `json:"opened_at"`
		Quorum    int        `json:"quorum"`
		Outcome   *string    `json:"outcome"`
		DecidedAt *time.Time `json:"decided_at"`
		VotesCast int        `json:"votes_cast"`
		Votes     []voteJSON `json:"votes"`
	}
	u, _ := UserOf(c)
	out := make([]ballotJSON, 0, len(ballots))
	for _, b := range ballots {
		bj := ballotJSON{Round: b.Round, OpenedAt: b.OpenedAt, Quorum: b.Quorum, DecidedAt: b.DecidedAt,
			VotesCast: len(b.Votes), Votes: []voteJSON{}}
		if b.Outcome != "" {
			bj.Outcome = &b.Outcome
		}
		for _, v := range visibleVotes(b, u.ID) {
			bj.Votes = append(bj.Votes, voteJSON{Voter: v.VoterID, VoterName: v.VoterName, Decision: v.Decision, Comment: v.Comment, At: v.At})
		}
		out = append(out, bj)
	}
	return c.JSON(out)
}

// pageTrail reads a subject's audit trail and ballots for its page, as the
// viewer may see them: the events, the ballots decided, and the last one
// still open (nil when none is).
func (s *Kit) PageTrail(c *fiber.Ctx, id string) (events []EventView, decided []storage.BallotRow, open *storage.BallotRow, err error) {
	rows, err := s.DB.Events(c.UserContext(), id)
	if err != nil {
		return nil, nil, nil, err
	}
	ballots, err := s.DB.Ballots(c.UserContext(), id)
	if err != nil {
		return nil, nil, nil, err
	}
	viewer, _ := UserOf(c)
	for _, e := range visibleTrail(rows, ballots, viewer) {
		events = append(events, EventView{EventRow: e, System: e.ActorID == nil, Kind: e.Data["kind"],
			Moved: e.FromStage != "" && e.FromStage != e.ToStage})
	}
	for i := range ballots {
		if ballots[i].Outcome != "" {
			decided = append(decided, ballots[i])
		} else {
			open = &ballots[i]
		}
	}
	return events, decided, open, nil
}

type EventView struct {
	storage.EventRow
	System bool
	Kind   string // a reminder's kind
	Moved  bool   // the event changed the stage
}

func NotFoundNeed(err error) error {
	if domain.IsCode(err, domain.CodeNotFound) {
		return domain.E(domain.CodeNotFound, "error.need_not_found")
	}
	return err
}
