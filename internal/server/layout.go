package server

import (
	"errors"
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
type layout struct {
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
func (l layout) Can(role string) bool {
	return l.User != nil && l.User.Caller().Has(domain.Role(role))
}

func (s *Server) layout(c *fiber.Ctx, nav, title string) layout {
	l := layout{Lang: langOf(c), Nav: nav, Title: title, Path: c.OriginalURL()}
	if u, ok := userOf(c); ok {
		l.User = &u
	}
	l.CSRF = formToken(c)
	l.Flash, _ = c.Locals(localFlash).(string)
	return l
}

// webContext prepares every page request: language, signed-in person,
// form token, flash message and security headers. API routes pass through.
func (s *Server) webContext(c *fiber.Ctx) error {
	if s.https(c) {
		c.Set(fiber.HeaderStrictTransportSecurity, "max-age=31536000")
	}
	if !wantsHTML(c) || strings.HasPrefix(c.Path(), "/static/") {
		return c.Next()
	}
	c.Locals(localLang, i18n.Parse(c.Cookies(cookieLang)))
	c.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
		"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("X-Frame-Options", "DENY")
	if tok := s.cookie(c, cookieSession); tok != "" {
		sess, u, err := s.sessions.Resolve(c.UserContext(), tok)
		switch {
		case err == nil && sess.Kind == "web":
			c.Locals(localUser, u)
			c.Locals(localSession, sess)
			c.Locals(localCSRF, sess.CSRFToken)
		case err == nil || errors.Is(err, storage.ErrNotFound):
			s.clearCookie(c, cookieSession)
		default:
			return err
		}
	}
	if _, signedIn := userOf(c); !signedIn {
		tok := s.cookie(c, cookieCSRF)
		if len(tok) < 32 {
			tok, _ = auth.NewToken()
			s.setCookie(c, cookieCSRF, tok, time.Time{})
		}
		c.Locals(localCSRF, tok)
	}
	if key := c.Cookies(cookieFlash); key != "" {
		if strings.HasPrefix(key, "web.flash.") && i18n.Has(key) {
			c.Locals(localFlash, i18n.T(langOf(c), key))
		}
		s.clearCookie(c, cookieFlash)
	}
	return c.Next()
}
