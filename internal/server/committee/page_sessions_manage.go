package committee

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// sessionsPage lists the sessions for officers, with the form that plans one.
type sessionsPage struct {
	kit.Layout
	Sessions []storage.SessionRow
	Plan     *kit.Form
}

func (s *Handlers) sessionsList(c *fiber.Ctx) error {
	return s.renderSessions(c, fiber.StatusOK, kit.NewForm("plan-", "title", "starts_at", "place"))
}

func (s *Handlers) renderSessions(c *fiber.Ctx, status int, plan *kit.Form) error {
	list, err := s.DB.Sessions(c.UserContext())
	if err != nil {
		return err
	}
	page := sessionsPage{Layout: s.Layout(c, "committee", "web.sessions.title"), Sessions: list, Plan: plan}
	page.Failed = plan.Invalid()
	return s.Render(c, status, "sessions", page)
}

// parisTime reads a datetime-local field (a moment in Paris) as RFC 3339.
func parisTime(v string) string {
	t, err := time.ParseInLocation("2006-01-02T15:04", strings.TrimSpace(v), domain.Paris)
	if err != nil {
		return v // the domain names the field
	}
	return t.UTC().Format(time.RFC3339)
}

// planSessionPage plans a session from the page's form.
func (s *Handlers) planSessionPage(c *fiber.Ctx) error {
	f := kit.PostedForm(c, "plan-", "title", "starts_at", "place")
	u, _ := kit.UserOf(c)
	row, err := s.sessions.Plan(c.UserContext(), u.Caller(), domain.SessionDraft{Title: f.Value("title"),
		StartsAt: parisTime(f.Value("starts_at")), Place: f.Value("place")}, "web:"+f.Key)
	if err != nil {
		status, ok := f.Fail(kit.LangOf(c), err)
		if !ok {
			return err
		}
		return s.renderSessions(c, status, f)
	}
	s.Flash(c, "web.flash.session_planned")
	return c.Redirect(kit.PageURL("session", row.ID), fiber.StatusSeeOther)
}

// sessionActionPage carries out one of the session's actions from its
// page: the form's fields are the API's; a refusal shows its message.
func (s *Handlers) sessionActionPage(c *fiber.Ctx) error {
	f := kit.PostedForm(c, "", "action", "item", "report", "n", "decision", "budget_eur", "conditions", "reason",
		"votes_for", "votes_against", "votes_abstain", "minutes_of", "user_ids", "statuses")
	in := domain.SessionInput{Action: domain.Action(f.Value("action")), Report: f.Value("report"), Decision: f.Value("decision"),
		Conditions: f.Value("conditions"), Reason: f.Value("reason"), MinutesOf: f.Value("minutes_of")}
	if subject, id, ok := strings.Cut(f.Value("item"), ":"); ok {
		in.Subject, in.SubjectID = domain.Subject(subject), id
	}
	in.N, _ = strconv.Atoi(f.Value("n"))
	if v := strings.TrimSpace(f.Value("budget_eur")); v != "" {
		if amount, ok := kit.ParseAmount(v); ok {
			in.BudgetEUR = &amount
		} else {
			fe := domain.FieldErrors{}
			fe.Add("budget_eur", "field.number")
			return fe.Err()
		}
	}
	if in.Action == domain.ActionDecideItem && in.Decision != "adjourn" {
		count := func(name string) *int {
			n, err := strconv.Atoi(strings.TrimSpace(f.Value(name)))
			if err != nil {
				return nil
			}
			return &n
		}
		in.Votes = &domain.VoteCount{For: count("votes_for"), Against: count("votes_against"), Abstain: count("votes_abstain")}
	}
	if in.Action == domain.ActionOpenSession {
		for _, uid := range f.Values["user_ids"] {
			a := domain.Attendee{UserID: uid, Status: c.FormValue("status-" + uid)}
			if proxy := c.FormValue("proxy-" + uid); proxy != "" { // a proxy makes the member represented
				a.Status, a.ProxyID = "represented", proxy
			}
			in.Attendance = append(in.Attendance, a)
		}
	}
	switch in.Action {
	case domain.ActionAddItem, domain.ActionConvene, domain.ActionOpenSession, domain.ActionDecideItem,
		domain.ActionCloseSession, domain.ActionApproveMinutes:
	default:
		return domain.E(domain.CodeInvalid, "error.validation")
	}
	u, _ := kit.UserOf(c)
	if _, err := s.sessions.Act(c.UserContext(), u.Caller(), c.Params("id"), in, "web:"+f.Key); err != nil {
		return err
	}
	s.Flash(c, "web.flash.session."+string(in.Action))
	return c.Redirect(kit.PageURL("session", c.Params("id")), fiber.StatusSeeOther)
}

// manage is what an officer's forms on a session's page need: the open
// decisions waiting for a session, the committee's members, the closed
// sessions whose minutes wait for approval.
type manage struct {
	Items    []kit.Option
	Members  []storage.User
	Minutes  []kit.Option
	Key      string
	Statuses []string
}

func (s *Handlers) manageOf(c *fiber.Ctx, row storage.SessionRow) (*manage, error) {
	u, _ := kit.UserOf(c)
	if !u.Caller().Has(domain.RoleOfficer, domain.RoleAdmin) {
		return nil, nil
	}
	m := &manage{Key: kit.NewForm("").Key, Statuses: domain.AttendanceStatuses[:2]}
	pending, err := s.DB.PendingBallots(c.UserContext(), u.ID)
	if err != nil {
		return nil, err
	}
	for _, p := range pending {
		if p.SessionID == nil {
			m.Items = append(m.Items, kit.Option{Value: p.Subject + ":" + p.SubjectID, Label: p.Title})
		}
	}
	users, err := s.DB.Users(c.UserContext())
	if err != nil {
		return nil, err
	}
	for _, x := range users {
		if x.Active && x.Caller().Has(domain.RoleCommittee) {
			m.Members = append(m.Members, x)
		}
	}
	sessions, err := s.DB.Sessions(c.UserContext())
	if err != nil {
		return nil, err
	}
	for _, x := range sessions {
		if x.Stage == domain.StageClosed && x.MinutesApprovedAt == nil && x.ID != row.ID {
			m.Minutes = append(m.Minutes, kit.Option{Value: x.ID, Label: x.Title})
		}
	}
	return m, nil
}
