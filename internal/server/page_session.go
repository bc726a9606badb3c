package server

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/auth"
	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/storage"
)

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
