package kit

import (
	"bytes"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// Text types are compressed, whatever their parameters; images, PDF and
// archives are compressed already and go as they are, as does a tiny body.
func TestCompressTypes(t *testing.T) {
	s := &Kit{Log: slog.New(slog.DiscardHandler)}
	app := fiber.New(fiber.Config{ErrorHandler: s.ErrorHandler, DisableStartupMessage: true})
	app.Use(s.Compress)
	app.Get("/", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, c.Query("type"))
		return c.Send(bytes.Repeat([]byte("Essor "), c.QueryInt("n", 1000)))
	})
	for ct, want := range map[string]string{
		"text/html; charset=utf-8": "br", "text/csv; charset=utf-8": "br", "text/calendar; charset=utf-8": "br",
		"text/css": "br", "text/javascript; charset=utf-8": "br", "application/json": "br",
		"application/problem+json": "br", "image/svg+xml": "br", "TEXT/Plain": "br",
		"image/png": "", "application/pdf": "", "application/zip": "", "application/gzip": "", "font/woff2": "",
		"application/octet-stream": "",
	} {
		req := httptest.NewRequest("GET", "/?type="+url.QueryEscape(ct), nil)
		req.Header.Set("Accept-Encoding", "br")
		resp, err := app.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Header.Get("Content-Encoding") != want || (want != "") != (resp.Header.Get("Vary") == "Accept-Encoding") {
			t.Errorf("%s: %v", ct, resp.Header)
		}
	}
	req := httptest.NewRequest("GET", "/?type=text/html&n=100", nil)
	req.Header.Set("Accept-Encoding", "br")
	if resp, err := app.Test(req, -1); err != nil || resp.Header.Get("Content-Encoding") != "" {
		t.Fatalf("600 bytes: %v %v", err, resp.Header)
	}
}
