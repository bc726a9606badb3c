package kit

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

// The cookies and request locals of the pages.
const (
	CookieSession = "essor_session"
	CookieCSRF    = "essor_csrf" // anonymous forms' double-submit token
	CookieLang    = "essor_lang"
	cookieFlash   = "essor_flash"
	localCSRF     = "csrf"
	localFlash    = "flash"
)

// https tells whether the request came over HTTPS: TLS here, a trusted
// proxy's X-Forwarded-Proto (believed only when proxies are configured), or
// the configuration's word (ESSOR_SECURE_COOKIES).
func (s *Kit) https(c *fiber.Ctx) bool {
	return s.Cfg.SecureCookies || c.Context().IsTLS() || len(s.Proxies) > 0 && c.Protocol() == "https"
}

// cookieName is a cookie's name on this request: over HTTPS the session and
// form-token cookies carry the __Host- prefix, which browsers accept only
// from a secure origin, with Path=/ and no Domain, so that no sibling
// site or plain-HTTP page can plant or shadow them.
func (s *Kit) cookieName(c *fiber.Ctx, name string) string {
	if (name == CookieSession || name == CookieCSRF) && s.https(c) {
		return "__Host-" + name
	}
	return name
}

// cookie reads a cookie under the name it has on this request.
func (s *Kit) Cookie(c *fiber.Ctx, name string) string { return c.Cookies(s.cookieName(c, name)) }

// setCookie sets an HttpOnly, SameSite=Lax cookie (Secure over HTTPS); a
// zero expiry makes it last as long as the browser.
func (s *Kit) SetCookie(c *fiber.Ctx, name, value string, expires time.Time) {
	c.Cookie(&fiber.Cookie{Name: s.cookieName(c, name), Value: value, Path: "/", Expires: expires, HTTPOnly: true,
		Secure: s.https(c), SameSite: fiber.CookieSameSiteLaxMode})
}

func (s *Kit) ClearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{Name: s.cookieName(c, name), Value: "", Path: "/", Expires: time.Unix(1, 0), MaxAge: -1, HTTPOnly: true,
		Secure: s.https(c), SameSite: fiber.CookieSameSiteLaxMode})
}

// flash keeps a message (a catalogue key) for the next page.
func (s *Kit) Flash(c *fiber.Ctx, key string) {
	s.SetCookie(c, cookieFlash, key, time.Now().Add(time.Minute))
}
