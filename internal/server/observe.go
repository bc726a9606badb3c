package server

import (
	"context"
	"fmt"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"essor/internal/domain"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// observe logs one line per request and feeds the metrics; it also turns a
// panic into a logged 500 so that the process keeps serving.
func (s *Server) observe(c *fiber.Ctx) (err error) {
	start := time.Now()
	id := c.Get("X-Request-Id")
	if id == "" || len(id) > 64 || !kit.VisibleASCII(id) {
		id = uuid.NewString()
	}
	c.Locals(kit.LocalRequestID, id)
	c.Set("X-Request-Id", id)
	ctx, cancel := context.WithTimeout(context.Background(), kit.RequestTimeout)
	defer cancel()
	c.SetUserContext(ctx)
	func() {
		defer func() {
			if r := recover(); r != nil {
				s.Log.Error("panic in handler", "method", c.Method(), "path", kit.LogPath(c), "request_id", id,
					"panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = domain.E(domain.CodeInternal, "error.internal")
			}
		}()
		err = c.Next()
	}()
	if err != nil {
		if herr := s.ErrorHandler(c, err); herr != nil {
			c.Status(fiber.StatusInternalServerError)
		}
		err = nil
	}
	status := c.Response().StatusCode()
	route := c.Route().Path
	if status == fiber.StatusNotFound && (route == "/" && c.Path() != "/" || route == "/*") {
		route = "unmatched"
	}
	elapsed := time.Since(start)
	s.metrics.Requests.WithLabelValues(route, c.Method(), strconv.Itoa(status)).Inc()
	s.metrics.Latency.WithLabelValues(route, c.Method()).Observe(elapsed.Seconds())
	attrs := []any{"method", c.Method(), "route", route, "path", kit.LogPath(c), "status", status,
		"duration_ms", float64(elapsed.Microseconds()) / 1000, "request_id", id}
	if u, ok := c.Locals(kit.LocalUser).(storage.User); ok {
		attrs = append(attrs, "user", u.ID)
	}
	s.Log.Log(c.UserContext(), kit.LogLevelFor(status), "request", attrs...)
	return nil
}
