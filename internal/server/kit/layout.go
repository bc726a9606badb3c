package kit

import (
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/auth"
	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/storage"
)

// layout is what every page's frame shows: who is signed in, the language,
// the form token, the active section and a message after a redirect.
type Layout struct {
	Lang   i18n.Lang
	User   *storage.User
	CSRF   string
	Path   string // the current address, where the language switch returns
	Nav    string
	Flash  string
	Title  string // a catalogue key
	Named  string // or the page's own name (a project's title)
	Failed bool   // the page shows a refused form: the title says so
}

// Can tells whether the signed-in person holds a role.
func (l Layout) Can(role string) bool {
	return l.User != nil && l.User.Caller().Has(domain.Role(role))
}

func (s *Kit) Layout(c *fiber.Ctx, nav, title string) Layout {
	l := Layout{Lang: LangOf(c), Nav: nav, Title: title, Path: c.OriginalURL()}
	if u, ok := UserOf(c); ok {
		l.User = &u
	}
	l.CSRF = FormToken(c)
	l.Flash, _ = c.Locals(localFlash).(string)
	return l
}

// webContext prepares every page request: language, signed-in person,
// form token, flash message and security headers. API routes pass through.
func (s *Kit) WebContext(c *fiber.Ctx) error {
	if s.https(c) {
		c.Set(fiber.HeaderStrictTransportSecurity, "max-age=31536000")
	}
	if !wantsHTML(c) || strings.HasPrefix(c.Path(), "/static/") {
		return c.Next()
	}
	c.Locals(localLang, i18n.Parse(c.Cookies(CookieLang)))
	c.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
		"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("X-Frame-Options", "DENY")
	if tok := s.Cookie(c, CookieSession); tok != "" {
		sess, u, err := s.Sessions.Resolve(c.UserContext(), tok)
		switch {
		case err == nil && sess.Kind == "web":
			c.Locals(LocalUser, u)
			c.Locals(localSession, sess)
			c.Locals(localCSRF, sess.CSRFToken)
		case err == nil || errors.Is(err, storage.ErrNotFound):
			s.ClearCookie(c, CookieSession)
		default:
			return err
		}
	}
	if _, signedIn := UserOf(c); !signedIn {
		tok := s.Cookie(c, CookieCSRF)
		if len(tok) < 32 {
			tok, _ = auth.NewToken()
			s.SetCookie(c, CookieCSRF, tok, time.Time{})
		}
		c.Locals(localCSRF, tok)
	}
	if key := c.Cookies(cookieFlash); key != "" {
		if strings.HasPrefix(key, "web.flash.") && i18n.Has(key) {
			c.Locals(localFlash, i18n.T(LangOf(c), key))
		}
		s.ClearCookie(c, cookieFlash)
	}
	return c.Next()
}

// noticeText is a configured identity as the pages show it: the first
// e-mail address in it becomes a link.
type noticeText struct{ Before, Mail, After string }

// Set tells whether the Region has given it (otherwise the page says
// « à renseigner »).
func (n noticeText) Set() bool { return n.Before != "" || n.Mail != "" }

func noticeTextOf(s string) noticeText {
	loc := mailAddress.FindStringIndex(s)
	if loc == nil {
		return noticeText{Before: s}
	}
	return noticeText{Before: s[:loc[0]], Mail: s[loc[0]:loc[1]], After: s[loc[1]:]}
}

// noticePage is what every notice shows.
type NoticePage struct {
	Layout
	Publisher, Director, Host, Contact, DPO noticeText
	BaseURL                                 string
}

func (s *Kit) NoticePage(c *fiber.Ctx, nav string) NoticePage {
	n := s.Cfg.Notices
	return NoticePage{Layout: s.Layout(c, nav, "web.notice."+nav+".title"),
		Publisher: noticeTextOf(n.Publisher), Director: noticeTextOf(n.Director), Host: noticeTextOf(n.Host),
		Contact: noticeTextOf(n.Contact), DPO: noticeTextOf(n.DPO), BaseURL: s.Cfg.BaseURL}
}

var mailAddress = regexp.MustCompile(`[^\s<>(),;:"'«»]+@[^\s<>(),;:"'«»]+\.[A-Za-z]{2,}`)
