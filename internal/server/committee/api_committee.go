package committee

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/server/kit"
)

type pendingJSON struct {
	Subject   string     `json:"subject"`
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	Round     int        `json:"round"`
	OpenedAt  time.Time  `json:"opened_at"`
	Deadline  *time.Time `json:"deadline"`
	VotesCast int        `json:"votes_cast"`
	Quorum    int        `json:"quorum"`
	MyVote    *string    `json:"my_vote"`
	// SessionID is the session whose agenda holds it, if any.
	SessionID *string `json:"session_id"`
}

// committeePending lists every open decision of every programme (committee).
func (s *Handlers) committeePending(c *fiber.Ctx) error {
	u, _ := kit.UserOf(c)
	pending, err := s.needs.Committee.Pending(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	out := make([]pendingJSON, 0, len(pending))
	for _, p := range pending {
		out = append(out, pendingJSON{Subject: p.Subject, ID: p.SubjectID, Title: p.Title, Round: p.Round,
			OpenedAt: p.OpenedAt, Deadline: p.Deadline, VotesCast: p.Votes, Quorum: p.Quorum, MyVote: p.MyVote, SessionID: p.SessionID})
	}
	return c.JSON(out)
}
