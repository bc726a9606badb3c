package server

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/auth"
	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// The notices a French public service carries (issue 21): the accessibility
// statement (RGAA 4.1), the legal notice, personal data and contact, with
// the open data page beside them in the footer. The identities they name
// come from the configuration (ESSOR_NOTICE_*); the periods the personal
// data page states are those the code applies.

// accessibilityStatementDate is when the accessibility statement was last
// established: change it with the statement (after an audit, a redesign,
// and at the latest three years on).
var accessibilityStatementDate = domain.Date("2026-12-03")

type accessibilityPage struct {
	kit.NoticePage
	Date   domain.Date
	Issues []string // the known non-conformities' keys
}

func (s *Server) accessibilityNotice(c *fiber.Ctx) error {
	return s.Render(c, fiber.StatusOK, "accessibility", accessibilityPage{NoticePage: s.NoticePage(c, "accessibility"),
		Date: accessibilityStatementDate, Issues: knownIssues()})
}

// knownIssues are the statement's non-conformities: web.a11y.issue.1, .2…,
// as many as the catalogues hold (the team edits them there).
func knownIssues() []string {
	var keys []string
	for i := 1; i18n.Has("web.a11y.issue." + strconv.Itoa(i)); i++ {
		keys = append(keys, "web.a11y.issue."+strconv.Itoa(i))
	}
	return keys
}

func (s *Server) legalNotice(c *fiber.Ctx) error {
	return s.Render(c, fiber.StatusOK, "legal", s.NoticePage(c, "legal"))
}

func (s *Server) contactNotice(c *fiber.Ctx) error {
	return s.Render(c, fiber.StatusOK, "contact", s.NoticePage(c, "contact"))
}

// privacyPage states the periods the code applies, in the reader's language.
type privacyPage struct {
	kit.NoticePage
	ClosedAccounts string // "" when closed accounts are never erased by themselves
	Session        string
	SignIn         string
	Replay         string
	Unsubscribe    string
	ErasedName     string
}

func (s *Server) privacyNotice(c *fiber.Ctx) error {
	lang := kit.LangOf(c)
	p := privacyPage{NoticePage: s.NoticePage(c, "privacy"), ErasedName: storage.ErasedName,
		Session: span(lang, s.Cfg.SessionTTL), SignIn: span(lang, auth.LimitWindow), Replay: span(lang, storage.ReplayKeep)}
	if d := s.Cfg.RetainClosedAccounts; d > 0 {
		p.ClosedAccounts = span(lang, d)
	}
	unsub := s.Cfg.UnsubscribeTTL
	if unsub <= 0 {
		unsub = storage.DefaultUnsubscribeTTL // what UnsubscribeToken applies
	}
	p.Unsubscribe = span(lang, unsub)
	return s.Render(c, fiber.StatusOK, "privacy", p)
}

// span writes a period as people read it: "1 095 jours", "12 heures".
func span(lang i18n.Lang, d time.Duration) string {
	n, key := int(d/time.Minute), "web.notice.span.mins"
	switch {
	case d%(24*time.Hour) == 0:
		n, key = int(d/(24*time.Hour)), "web.notice.span.days"
	case d%time.Hour == 0:
		n, key = int(d/time.Hour), "web.notice.span.hours"
	}
	return i18n.T(lang, kit.PluralKey(lang, n, key), kit.FormatNumber(lang, float64(n), 0))
}
