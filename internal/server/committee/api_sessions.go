package committee

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// sessionJSON is a session as the API shows it.
type sessionJSON struct {
	ID         string              `json:"id"`
	Title      string              `json:"title"`
	StartsAt   string              `json:"starts_at"`
	Place      string              `json:"place"`
	Stage      domain.Stage        `json:"stage"`
	Agenda     []domain.AgendaItem `json:"agenda"`
	Attendance []domain.Attendee   `json:"attendance"`
	Quorum     int                 `json:"quorum"`
	Present    int                 `json:"present"`
	// MinutesApprovedIn is the later session that approved its minutes.
	MinutesApprovedIn *string `json:"minutes_approved_in"`
}

func toSessionJSON(r storage.SessionRow) sessionJSON {
	j := sessionJSON{ID: r.ID, Title: r.Title, StartsAt: r.StartsAt.Format("2006-01-02T15:04:05Z07:00"), Place: r.Place,
		Stage: r.Stage, Agenda: r.Agenda, Attendance: r.Attendance, Quorum: r.Quorum, Present: r.Present,
		MinutesApprovedIn: r.MinutesApprovedIn}
	if j.Agenda == nil {
		j.Agenda = []domain.AgendaItem{}
	}
	if j.Attendance == nil {
		j.Attendance = []domain.Attendee{}
	}
	return j
}

// planSession plans a session (officer, admin).
func (s *Handlers) planSession(c *fiber.Ctx) error {
	var d domain.SessionDraft
	if err := kit.DecodeJSON(c, &d); err != nil {
		return err
	}
	u, _ := kit.UserOf(c)
	row, err := s.sessions.Plan(c.UserContext(), u.Caller(), d, c.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toSessionJSON(row))
}

// listSessions lists the newest sessions.
func (s *Handlers) listSessions(c *fiber.Ctx) error {
	rows, err := s.sessions.List(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]sessionJSON, 0, len(rows))
	for _, r := range rows {
		out = append(out, toSessionJSON(r))
	}
	return c.JSON(out)
}

// getSession is one session.
func (s *Handlers) getSession(c *fiber.Ctx) error {
	row, err := s.DB.Session(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(toSessionJSON(row))
}

// sessionAct carries out one of the session's actions with in as its body.
func (s *Handlers) sessionAct(c *fiber.Ctx, in domain.SessionInput, status int) error {
	u, _ := kit.UserOf(c)
	row, err := s.sessions.Act(c.UserContext(), u.Caller(), c.Params("id"), in, c.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	return c.Status(status).JSON(toSessionJSON(row))
}

// addAgendaItem puts an open decision on the agenda.
func (s *Handlers) addAgendaItem(c *fiber.Ctx) error {
	var in domain.SessionInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	in.Action = domain.ActionAddItem
	return s.sessionAct(c, in, fiber.StatusCreated)
}

// sessionTransition convenes, opens or closes a session.
func (s *Handlers) sessionTransition(c *fiber.Ctx) error {
	var in domain.SessionInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	switch in.Action {
	case domain.ActionConvene, domain.ActionOpenSession, domain.ActionCloseSession, domain.ActionApproveMinutes:
	default:
		fe := domain.FieldErrors{}
		fe.Add("action", "field.oneof", "convene, open, close, approve_minutes")
		return fe.Err()
	}
	return s.sessionAct(c, in, fiber.StatusOK)
}

// decideItem decides an item of the agenda, in session.
func (s *Handlers) decideItem(c *fiber.Ctx) error {
	var in domain.SessionInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	n, err := strconv.Atoi(c.Params("n"))
	if err != nil || n < 1 {
		return domain.NotFound()
	}
	in.Action, in.N = domain.ActionDecideItem, n
	return s.sessionAct(c, in, fiber.StatusOK)
}
