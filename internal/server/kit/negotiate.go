package kit

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"essor/internal/i18n"
)

// langOf is the language of the response: the web session's choice for
// pages, Accept-Language for the API.
func LangOf(c *fiber.Ctx) i18n.Lang {
	if l, ok := c.Locals(localLang).(i18n.Lang); ok {
		return l
	}
	return i18n.Parse(c.Get(fiber.HeaderAcceptLanguage))
}

// wantsHTML tells whether the request is for a web page rather than the API.
func wantsHTML(c *fiber.Ctx) bool {
	p := c.Path()
	if strings.HasPrefix(p, "/api/") || p == "/api" || p == "/metrics" || p == "/healthz" || p == "/readyz" {
		return false
	}
	return true
}
