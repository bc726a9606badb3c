package server

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/auth"
	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

type signInPage struct {
	kit.Layout
	Form *kit.Form
	Next string
}

// signInForm shows the sign-in form.
func (s *Server) signInForm(c *fiber.Ctx) error {
	if _, ok := kit.UserOf(c); ok {
		return c.Redirect(kit.SafeNext(c.Query("suite", "/")), fiber.StatusSeeOther)
	}
	return s.Render(c, fiber.StatusOK, "signin", signInPage{Layout: s.Layout(c, "signin", "web.signin.title"),
		Form: kit.NewForm("signin-", "email", "password"), Next: kit.SafeNext(c.Query("suite", ""))})
}

// signIn checks the credentials and opens a web session.
func (s *Server) signIn(c *fiber.Ctx) error {
	f := kit.PostedForm(c, "signin-", "email", "password")
	next := kit.SafeNext(c.FormValue("suite"))
	in := signInRequest{Email: strings.TrimSpace(f.Value("email")), Password: c.FormValue("password")}
	f.Set("password") // never sent back
	page := signInPage{Layout: s.Layout(c, "signin", "web.signin.title"), Form: f, Next: next}
	fe := domain.FieldErrors{}
	domain.CheckStruct(in, fe)
	err := fe.Err()
	var iss auth.Issued
	if err == nil {
		iss, err = s.Sessions.SignIn(c.UserContext(), in.Email, in.Password, "web", s.ClientKey(c))
	}
	if err != nil {
		status, ok := f.Fail(kit.LangOf(c), err)
		if !ok {
			return err
		}
		if de, isDomain := domain.As(err); isDomain {
			kit.SetRetryAfter(c, de, status)
		}
		page.Failed = true
		return s.Render(c, status, "signin", page)
	}
	if old := s.Cookie(c, kit.CookieSession); old != "" {
		_ = s.Sessions.SignOut(c.UserContext(), old)
	}
	s.SetCookie(c, kit.CookieSession, iss.Token, iss.ExpiresAt)
	s.ClearCookie(c, kit.CookieCSRF)
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
	if tok := s.Cookie(c, kit.CookieSession); tok != "" {
		if err := s.Sessions.SignOut(c.UserContext(), tok); err != nil {
			return err
		}
	}
	s.ClearCookie(c, kit.CookieSession)
	s.Flash(c, "web.flash.signed_out")
	return c.Redirect("/", fiber.StatusSeeOther)
}

// signOutEverywhere ends every session of the signed-in person: this
// browser's, the other devices' and the API tokens.
func (s *Server) signOutEverywhere(c *fiber.Ctx) error {
	u, _ := kit.UserOf(c)
	if _, err := s.Sessions.SignOutEverywhere(c.UserContext(), u.ID); err != nil {
		return err
	}
	s.ClearCookie(c, kit.CookieSession)
	s.Flash(c, "web.flash.signed_out_everywhere")
	return c.Redirect("/", fiber.StatusSeeOther)
}

// switchLanguage keeps the chosen language for a year and goes back.
func (s *Server) switchLanguage(c *fiber.Ctx) error {
	lang := i18n.Parse(c.FormValue("lang"))
	s.SetCookie(c, kit.CookieLang, string(lang), time.Now().AddDate(1, 0, 0))
	return c.Redirect(kit.SafeNext(c.FormValue("retour", "/")), fiber.StatusSeeOther)
}
