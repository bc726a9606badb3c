package server

import (
	"html"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/i18n"
)

// renderError answers a web page request with an HTML error page.
func (s *Server) renderError(c *fiber.Ctx, status int, de *domain.Error) error {
	msg := html.EscapeString(i18n.M(langOf(c), de.Message))
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).SendString("<!doctype html><html lang=\"fr\"><meta charset=\"utf-8\"><title>Essor</title><main><h1>" + msg + "</h1></main></html>")
}
