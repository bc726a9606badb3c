package server

import (
	"crypto/subtle"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/auth"
	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/storage"
)

const (
	cookieSession = "essor_session"
	cookieCSRF    = "essor_csrf" // anonymous forms' double-submit token
	cookieLang    = "essor_lang"
	cookieFlash   = "essor_flash"
	localCSRF     = "csrf"
	localFlash    = "flash"
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
	l.CSRF, _ = c.Locals(localCSRF).(string)
	l.Flash, _ = c.Locals(localFlash).(string)
	return l
}

// webContext prepares every page request: language, signed-in person,
// form token, flash message and security headers. API routes pass through.
func (s *Server) webContext(c *fiber.Ctx) error {
	if !wantsHTML(c) || strings.HasPrefix(c.Path(), "/static/") {
		return c.Next()
	}
	c.Locals(localLang, i18n.Parse(c.Cookies(cookieLang)))
	c.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
		"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("X-Frame-Options", "DENY")
	if tok := c.Cookies(cookieSession); tok != "" {
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
		tok := c.Cookies(cookieCSRF)
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

func (s *Server) secure(c *fiber.Ctx) bool { return s.cfg.SecureCookies || c.Protocol() == "https" }

// setCookie sets an HttpOnly, SameSite=Lax cookie (Secure over HTTPS); a
// zero expiry makes it last as long as the browser.
func (s *Server) setCookie(c *fiber.Ctx, name, value string, expires time.Time) {
	c.Cookie(&fiber.Cookie{Name: name, Value: value, Path: "/", Expires: expires, HTTPOnly: true,
		Secure: s.secure(c), SameSite: fiber.CookieSameSiteLaxMode})
}

func (s *Server) clearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{Name: name, Value: "", Path: "/", Expires: time.Unix(1, 0), MaxAge: -1, HTTPOnly: true,
		Secure: s.secure(c), SameSite: fiber.CookieSameSiteLaxMode})
}

// flash keeps a message (a catalogue key) for the next page.
func (s *Server) flash(c *fiber.Ctx, key string) {
	s.setCookie(c, cookieFlash, key, time.Now().Add(time.Minute))
}

// checkCSRF refuses a form whose token is not the session's (or, signed
// out, the double-submit cookie's).
func (s *Server) checkCSRF(c *fiber.Ctx) error {
	want, _ := c.Locals(localCSRF).(string)
	got := c.FormValue("_csrf")
	if got == "" {
		got = c.Get("X-CSRF-Token")
	}
	if want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
		return domain.E(domain.CodeForbidden, "error.csrf")
	}
	return c.Next()
}

// requireSignIn sends signed-out visitors to the sign-in page, which brings
// them back here afterwards.
func (s *Server) requireSignIn(c *fiber.Ctx) error {
	if _, ok := userOf(c); ok {
		return c.Next()
	}
	back := c.OriginalURL()
	if c.Method() != fiber.MethodGet {
		back = c.Get(fiber.HeaderReferer)
		if u, err := url.Parse(back); err == nil {
			back = u.RequestURI()
		}
	}
	return c.Redirect("/connexion?suite="+url.QueryEscape(safeNext(back)), fiber.StatusSeeOther)
}

// safeNext keeps only addresses of this site.
func safeNext(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\r\n") {
		return "/"
	}
	return p
}

type signInPage struct {
	layout
	Form *form
	Next string
}

// signInForm shows the sign-in form.
func (s *Server) signInForm(c *fiber.Ctx) error {
	if _, ok := userOf(c); ok {
		return c.Redirect(safeNext(c.Query("suite", "/")), fiber.StatusSeeOther)
	}
	return s.render(c, fiber.StatusOK, "signin", signInPage{layout: s.layout(c, "signin", "web.signin.title"),
		Form: newForm("signin-", "email", "password"), Next: safeNext(c.Query("suite", ""))})
}

// signIn checks the credentials and opens a web session.
func (s *Server) signIn(c *fiber.Ctx) error {
	f := postedForm(c, "signin-", "email", "password")
	next := safeNext(c.FormValue("suite"))
	in := signInRequest{Email: strings.TrimSpace(f.Value("email")), Password: c.FormValue("password")}
	f.Set("password") // never sent back
	page := signInPage{layout: s.layout(c, "signin", "web.signin.title"), Form: f, Next: next}
	fe := domain.FieldErrors{}
	domain.CheckStruct(in, fe)
	err := fe.Err()
	var iss auth.Issued
	if err == nil {
		iss, err = s.sessions.SignIn(c.UserContext(), in.Email, in.Password, "web", c.IP())
	}
	if err != nil {
		status, ok := f.fail(langOf(c), err)
		if !ok {
			return err
		}
		page.Failed = true
		return s.render(c, status, "signin", page)
	}
	if old := c.Cookies(cookieSession); old != "" {
		_ = s.sessions.SignOut(c.UserContext(), old)
	}
	s.setCookie(c, cookieSession, iss.Token, iss.ExpiresAt)
	s.clearCookie(c, cookieCSRF)
	if next == "/" || c.FormValue("suite") == "" {
		next = homeOf(iss.User)
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// homeOf is where a person lands after signing in: their main work.
func homeOf(u storage.User) string {
	c := u.Caller()
	switch {
	case c.Has(domain.RoleOfficer):
		return "/tableau"
	case c.Has(domain.RoleCommittee):
		return "/comite"
	case c.Has(domain.RoleActor):
		return "/mes-besoins"
	case c.Has(domain.RoleAdmin):
		return "/admin/comptes"
	}
	return "/"
}

// signOut ends the web session.
func (s *Server) signOut(c *fiber.Ctx) error {
	if tok := c.Cookies(cookieSession); tok != "" {
		if err := s.sessions.SignOut(c.UserContext(), tok); err != nil {
			return err
		}
	}
	s.clearCookie(c, cookieSession)
	s.flash(c, "web.flash.signed_out")
	return c.Redirect("/", fiber.StatusSeeOther)
}

// switchLanguage keeps the chosen language for a year and goes back.
func (s *Server) switchLanguage(c *fiber.Ctx) error {
	lang := i18n.Parse(c.FormValue("lang"))
	s.setCookie(c, cookieLang, string(lang), time.Now().AddDate(1, 0, 0))
	return c.Redirect(safeNext(c.FormValue("retour", "/")), fiber.StatusSeeOther)
}
