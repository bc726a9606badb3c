package server

import (
	"bytes"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"essor/internal/metrics"
	"essor/internal/server/kit"
)

// A panic in a handler becomes a logged 500 with the API's error shape, and
// the server keeps answering.
func TestPanicBecomesALogged500(t *testing.T) {
	var logs bytes.Buffer
	s := &Server{Kit: &kit.Kit{Log: slog.New(slog.NewTextHandler(&logs, nil))}, metrics: metrics.New()}
	s.app = fiber.New(fiber.Config{ErrorHandler: s.ErrorHandler, Immutable: true})
	s.app.Use(s.observe)
	s.app.Get("/api/v1/boom", func(*fiber.Ctx) error { panic("nil map somewhere") })
	s.app.Get("/api/v1/fine", func(c *fiber.Ctx) error { return c.SendString("ok") })

	for i := 0; i < 2; i++ {
		resp, err := s.app.Test(httptest.NewRequest("GET", "/api/v1/boom", nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 500 || !strings.Contains(string(body), `"code":"internal"`) || strings.Contains(string(body), "nil map") {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
	}
	resp, err := s.app.Test(httptest.NewRequest("GET", "/api/v1/fine", nil), -1)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("after the panic: %v %v", resp, err)
	}
	if !strings.Contains(logs.String(), "panic in handler") || !strings.Contains(logs.String(), "nil map somewhere") {
		t.Fatalf("panic not logged:\n%s", logs.String())
	}
}
