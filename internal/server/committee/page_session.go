package committee

import (
	"github.com/gofiber/fiber/v2"

	"essor/internal/committee"
	"essor/internal/domain"
	"essor/internal/ical"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

type sessionPage struct {
	kit.Layout
	S            storage.SessionRow
	Institutions map[string]string // names by slug
	Manage       *manage           // an officer's forms (page_sessions_manage.go)
	Decisions    []string
}

// sessionPage shows a session: its date and place, its attendance and
// quorum, and each item of its agenda with the officer's report and what
// the session decided (printable).
func (s *Handlers) sessionPage(c *fiber.Ctx) error {
	row, err := s.DB.Session(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	page := sessionPage{Layout: s.Layout(c, "committee", "web.sessions.page_title"), S: row, Institutions: map[string]string{},
		Decisions: domain.SessionDecisions}
	list, err := s.DB.Institutions(c.UserContext())
	if err != nil {
		return err
	}
	for _, i := range list {
		page.Institutions[i.Slug] = i.Name
	}
	if page.Manage, err = s.manageOf(c, row); err != nil {
		return err
	}
	page.Named = row.Title
	return s.Render(c, fiber.StatusOK, "session", page)
}

// sessionMinutes is the session's procès-verbal as a PDF.
func (s *Handlers) sessionMinutes(c *fiber.Ctx) error {
	row, err := s.DB.Session(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	pdf, err := committee.Minutes(row.Session, row.MinutesApprovedAt, kit.LangOf(c))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="proces-verbal-`+row.ID+`.pdf"`)
	return c.Send(pdf)
}

// sessionInvitation is the session as an iCalendar file.
func (s *Handlers) sessionInvitation(c *fiber.Ctx) error {
	row, err := s.DB.Session(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="seance-`+row.ID+`.ics"`)
	return c.SendString(ical.Invitation(row.Session, s.Cfg.BaseURL+kit.PageURL("session", row.ID)))
}
