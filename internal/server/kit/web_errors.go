package kit

import (
	"html"
	"sort"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/i18n"
)

type errorPage struct {
	Layout
	Status  int
	Heading string // a catalogue key
	Message string
	Details []string // each refused field's message
}

// renderError answers a web page request with a French (or English) error
// page in the site's frame: what happened and where to go from there.
func (s *Kit) renderError(c *fiber.Ctx, status int, de *domain.Error) error {
	lang := LangOf(c)
	heading := "web.error.heading." + strconv.Itoa(status)
	if !i18n.Has(heading) {
		heading = "web.error.heading.other"
	}
	page := errorPage{Layout: s.Layout(c, "", heading), Status: status, Heading: heading, Message: i18n.M(lang, de.Message)}
	for _, m := range de.Fields {
		page.Details = append(page.Details, i18n.M(lang, m))
	}
	sort.Strings(page.Details)
	err := s.Render(c, status, "error", page)
	if err == nil {
		return nil
	}
	s.Log.Error("render error page", "error", err)
	// The templates failed: a bare page still tells the person what happened.
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).SendString("<!doctype html><html lang=\"" + string(lang) + "\"><meta charset=\"utf-8\"><title>Essor</title><main><h1>" +
		html.EscapeString(i18n.T(lang, heading)) + "</h1><p>" + html.EscapeString(page.Message) + "</p><p><a href=\"/\">" +
		html.EscapeString(i18n.T(lang, "web.error.home")) + "</a></p></main></html>")
}
