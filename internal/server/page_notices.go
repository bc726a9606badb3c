package server

import (
	"regexp"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/auth"
	"essor/internal/domain"
	"essor/internal/i18n"
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

// noticeText is a configured identity as the pages show it: the first
// e-mail address in it becomes a link.
type noticeText struct{ Before, Mail, After string }

// Set tells whether the Region has given it (otherwise the page says
// « à renseigner »).
func (n noticeText) Set() bool { return n.Before != "" || n.Mail != "" }

var mailAddress = regexp.MustCompile(`[^\s<>(),;:"'«»]+@[^\s<>(),;:"'«»]+\.[A-Za-z]{2,}`)

func noticeTextOf(s string) noticeText {
	loc := mailAddress.FindStringIndex(s)
	if loc == nil {
		return noticeText{Before: s}
	}
	return noticeText{Before: s[:loc[0]], Mail: s[loc[0]:loc[1]], After: s[loc[1]:]}
}

// noticePage is what every notice shows.
type noticePage struct {
	layout
	Publisher, Director, Host, Contact, DPO noticeText
	BaseURL                                 string
}

func (s *Server) noticePage(c *fiber.Ctx, nav string) noticePage {
	n := s.cfg.Notices
	return noticePage{layout: s.layout(c, nav, "web.notice."+nav+".title"),
		Publisher: noticeTextOf(n.Publisher), Director: noticeTextOf(n.Director), Host: noticeTextOf(n.Host),
		Contact: noticeTextOf(n.Contact), DPO: noticeTextOf(n.DPO), BaseURL: s.cfg.BaseURL}
}

type accessibilityPage struct {
	noticePage
	Date   domain.Date
	Issues []string // the known non-conformities' keys
}

func (s *Server) accessibilityNotice(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "accessibility", accessibilityPage{noticePage: s.noticePage(c, "accessibility"),
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
	return s.render(c, fiber.StatusOK, "legal", s.noticePage(c, "legal"))
}

func (s *Server) contactNotice(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "contact", s.noticePage(c, "contact"))
}

// privacyPage states the periods the code applies, in the reader's language.
type privacyPage struct {
	noticePage
	ClosedAccounts string // "" when closed accounts are never erased by themselves
	Session        string
	SignIn         string
	Replay         string
	Unsubscribe    string
	ErasedName     string
}

func (s *Server) privacyNotice(c *fiber.Ctx) error {
	lang := langOf(c)
	p := privacyPage{noticePage: s.noticePage(c, "privacy"), ErasedName: storage.ErasedName,
		Session: span(lang, s.cfg.SessionTTL), SignIn: span(lang, auth.LimitWindow), Replay: span(lang, storage.ReplayKeep)}
	if d := s.cfg.RetainClosedAccounts; d > 0 {
		p.ClosedAccounts = span(lang, d)
	}
	unsub := s.cfg.UnsubscribeTTL
	if unsub <= 0 {
		unsub = storage.DefaultUnsubscribeTTL // what UnsubscribeToken applies
	}
	p.Unsubscribe = span(lang, unsub)
	return s.render(c, fiber.StatusOK, "privacy", p)
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
	return i18n.T(lang, pluralKey(lang, n, key), formatNumber(lang, float64(n), 0))
}

type openDataNoticePage struct {
	noticePage
	Columns []string
}

func (s *Server) openDataNotice(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "opendata", openDataNoticePage{noticePage: s.noticePage(c, "opendata"), Columns: openDataColumns})
}
