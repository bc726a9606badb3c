package server

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
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

// https tells whether the request came over HTTPS: TLS here, a trusted
// proxy's X-Forwarded-Proto (believed only when proxies are configured), or
// the configuration's word (ESSOR_SECURE_COOKIES).
func (s *Server) https(c *fiber.Ctx) bool {
	return s.cfg.SecureCookies || c.Context().IsTLS() || len(s.proxies) > 0 && c.Protocol() == "https"
}

// cookieName is a cookie's name on this request: over HTTPS the session and
// form-token cookies carry the __Host- prefix, which browsers accept only
// from a secure origin, with Path=/ and no Domain, so that no sibling
// site or plain-HTTP page can plant or shadow them.
func (s *Server) cookieName(c *fiber.Ctx, name string) string {
	if (name == cookieSession || name == cookieCSRF) && s.https(c) {
		return "__Host-" + name
	}
	return name
}

// cookie reads a cookie under the name it has on this request.
func (s *Server) cookie(c *fiber.Ctx, name string) string { return c.Cookies(s.cookieName(c, name)) }

// setCookie sets an HttpOnly, SameSite=Lax cookie (Secure over HTTPS); a
// zero expiry makes it last as long as the browser.
func (s *Server) setCookie(c *fiber.Ctx, name, value string, expires time.Time) {
	c.Cookie(&fiber.Cookie{Name: s.cookieName(c, name), Value: value, Path: "/", Expires: expires, HTTPOnly: true,
		Secure: s.https(c), SameSite: fiber.CookieSameSiteLaxMode})
}

func (s *Server) clearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{Name: s.cookieName(c, name), Value: "", Path: "/", Expires: time.Unix(1, 0), MaxAge: -1, HTTPOnly: true,
		Secure: s.https(c), SameSite: fiber.CookieSameSiteLaxMode})
}

// flash keeps a message (a catalogue key) for the next page.
func (s *Server) flash(c *fiber.Ctx, key string) {
	s.setCookie(c, cookieFlash, key, time.Now().Add(time.Minute))
}

// checkCSRF refuses a form whose token is not the session's (or, signed
// out, the double-submit cookie's), masked as formToken writes it. The
// plain token of a form rendered before masking is still taken: it costs
// one comparison, and no page shows it any more.
func (s *Server) checkCSRF(c *fiber.Ctx) error {
	want, _ := c.Locals(localCSRF).(string)
	got := c.FormValue("_csrf")
	if got == "" {
		got = c.Get("X-CSRF-Token")
	}
	if want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(unmaskToken(got))) != 1 &&
		subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
		return domain.E(domain.CodeForbidden, "error.csrf")
	}
	return c.Next()
}

// formToken is the form token as pages write it, masked afresh each time:
// a random pad, then the token XOR the pad, in base64. A compressed page
// then never repeats the secret, which BREACH would guess byte by byte
// from the sizes of pages that reflect a guess beside it.
func formToken(c *fiber.Ctx) string {
	tok, _ := c.Locals(localCSRF).(string)
	if tok == "" {
		return ""
	}
	b := make([]byte, 2*len(tok))
	pad, masked := b[:len(tok)], b[len(tok):]
	rand.Read(pad)
	for i := range masked {
		masked[i] = tok[i] ^ pad[i]
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// unmaskToken is the token a form sent masked ("" if it is not one).
func unmaskToken(s string) string {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b)%2 != 0 {
		return ""
	}
	pad, masked := b[:len(b)/2], b[len(b)/2:]
	for i := range masked {
		masked[i] ^= pad[i]
	}
	return string(masked)
}

// requireSignIn sends signed-out visitors to the sign-in page, which brings
// them back here afterwards.
func (s *Server) requireSignIn(c *fiber.Ctx) error {
	if _, ok := userOf(c); ok {
		return c.Next()
	}
	back := c.OriginalURL()
	if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
		back = c.Get(fiber.HeaderReferer)
		if u, err := url.Parse(back); err == nil {
			back = u.RequestURI()
		}
	}
	return c.Redirect(pageURL("signin")+"?suite="+url.QueryEscape(safeNext(back)), fiber.StatusSeeOther)
}

// safeNext keeps only addresses of this site: a path (with its query)
// starting with a single "/", without scheme, host, user, backslash or
// control character (browsers drop a tab or a newline, so "/\t/host" would
// lead elsewhere), before or after decoding. Anything else becomes "/".
func safeNext(p string) string {
	if !localPath(p) {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !localPath(u.Path) {
		return "/"
	}
	next := u.EscapedPath()
	if u.RawQuery != "" {
		next += "?" + u.RawQuery
	}
	return next
}

// localPath tells whether p starts with one "/" and holds no backslash nor
// control character.
func localPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return false
	}
	for i := 0; i < len(p); i++ {
		if b := p[i]; b < 0x20 || b == 0x7f || b == '\\' {
			return false
		}
	}
	return true
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
		iss, err = s.sessions.SignIn(c.UserContext(), in.Email, in.Password, "web", s.clientKey(c))
	}
	if err != nil {
		status, ok := f.fail(langOf(c), err)
		if !ok {
			return err
		}
		if de, isDomain := domain.As(err); isDomain {
			setRetryAfter(c, de, status)
		}
		page.Failed = true
		return s.render(c, status, "signin", page)
	}
	if old := s.cookie(c, cookieSession); old != "" {
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
	if tok := s.cookie(c, cookieSession); tok != "" {
		if err := s.sessions.SignOut(c.UserContext(), tok); err != nil {
			return err
		}
	}
	s.clearCookie(c, cookieSession)
	s.flash(c, "web.flash.signed_out")
	return c.Redirect("/", fiber.StatusSeeOther)
}

// signOutEverywhere ends every session of the signed-in person: this
// browser's, the other devices' and the API tokens.
func (s *Server) signOutEverywhere(c *fiber.Ctx) error {
	u, _ := userOf(c)
	if _, err := s.sessions.SignOutEverywhere(c.UserContext(), u.ID); err != nil {
		return err
	}
	s.clearCookie(c, cookieSession)
	s.flash(c, "web.flash.signed_out_everywhere")
	return c.Redirect("/", fiber.StatusSeeOther)
}

// switchLanguage keeps the chosen language for a year and goes back.
func (s *Server) switchLanguage(c *fiber.Ctx) error {
	lang := i18n.Parse(c.FormValue("lang"))
	s.setCookie(c, cookieLang, string(lang), time.Now().AddDate(1, 0, 0))
	return c.Redirect(safeNext(c.FormValue("retour", "/")), fiber.StatusSeeOther)
}
