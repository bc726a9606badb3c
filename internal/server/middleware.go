package server

import (
	"context"
	"crypto/sha256"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"essor/internal/domain"
	"essor/internal/storage"
)

// Keys of values kept on a request.
const (
	localUser      = "user"
	localSession   = "session"
	localLang      = "lang"
	localRequestID = "request_id"
)

func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals(localRequestID).(string)
	return id
}

// observe logs one line per request and feeds the metrics; it also turns a
// panic into a logged 500 so that the process keeps serving.
func (s *Server) observe(c *fiber.Ctx) (err error) {
	start := time.Now()
	id := c.Get("X-Request-Id")
	if id == "" || len(id) > 64 || !visibleASCII(id) {
		id = uuid.NewString()
	}
	c.Locals(localRequestID, id)
	c.Set("X-Request-Id", id)
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	c.SetUserContext(ctx)
	func() {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("panic in handler", "method", c.Method(), "path", logPath(c), "request_id", id,
					"panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = domain.E(domain.CodeInternal, "error.internal")
			}
		}()
		err = c.Next()
	}()
	if err != nil {
		if herr := s.errorHandler(c, err); herr != nil {
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
	attrs := []any{"method", c.Method(), "route", route, "path", logPath(c), "status", status,
		"duration_ms", float64(elapsed.Microseconds()) / 1000, "request_id", id}
	if u, ok := c.Locals(localUser).(storage.User); ok {
		attrs = append(attrs, "user", u.ID)
	}
	s.log.Log(c.UserContext(), logLevelFor(status), "request", attrs...)
	return nil
}

// secretParams are the route parameters that are secrets: whoever reads
// them may act (an unsubscribe link's token). Logs never keep them.
var secretParams = map[string]bool{"token": true}

// redacted replaces a secret in what is logged.
const redacted = "[redacted]"

// logPath is the request's path as logs keep it: the route's own path with
// its secret parameters replaced by a mark.
func logPath(c *fiber.Ctx) string {
	r := c.Route()
	secret := false
	for _, name := range r.Params {
		secret = secret || secretParams[name]
	}
	if !secret {
		return c.Path()
	}
	parts := strings.Split(r.Path, "/")
	for i, part := range parts {
		name, ok := strings.CutPrefix(part, ":")
		if !ok {
			continue
		}
		if secretParams[name] {
			parts[i] = redacted
		} else {
			parts[i] = c.Params(name)
		}
	}
	return strings.Join(parts, "/")
}

// userOf returns the signed-in user.
func userOf(c *fiber.Ctx) (storage.User, bool) {
	u, ok := c.Locals(localUser).(storage.User)
	return u, ok
}

// requireToken authenticates an API request by its bearer token.
func (s *Server) requireToken(c *fiber.Ctx) error {
	h := c.Get(fiber.HeaderAuthorization)
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(tok) == "" {
		return domain.E(domain.CodeUnauthenticated, "error.unauthenticated")
	}
	sess, u, err := s.sessions.Resolve(c.UserContext(), strings.TrimSpace(tok))
	if err != nil {
		if domain.IsCode(err, domain.CodeNotFound) {
			return domain.E(domain.CodeUnauthenticated, "error.unauthenticated")
		}
		return err
	}
	if sess.Kind != "api" { // a web session's cookie is not a bearer token
		return domain.E(domain.CodeUnauthenticated, "error.unauthenticated")
	}
	c.Locals(localUser, u)
	c.Locals(localSession, sess)
	return c.Next()
}

// requireRole refuses users holding none of the roles.
func requireRole(roles ...domain.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u, ok := userOf(c)
		if !ok {
			return domain.E(domain.CodeUnauthenticated, "error.unauthenticated")
		}
		if !u.Caller().Has(roles...) {
			return domain.Forbidden()
		}
		return c.Next()
	}
}

// idempotent replays the first response to an Idempotency-Key for the same
// request, refuses the key for another request, and otherwise records the
// response (unless it is a server error, which the client may retry).
func (s *Server) idempotent(c *fiber.Ctx) error {
	key := c.Get("Idempotency-Key")
	if key == "" {
		return c.Next()
	}
	if len(key) > 255 {
		fe := domain.FieldErrors{}
		fe.Add("Idempotency-Key", "field.max_len", "255")
		return fe.Err()
	}
	scope := "anonymous"
	if u, ok := userOf(c); ok {
		scope = u.ID
	}
	h := sha256.New()
	h.Write([]byte(c.Method() + " " + c.Path() + "\n"))
	h.Write(c.Body())
	ctx := c.UserContext()
	stored, err := s.db.ClaimKey(ctx, scope, key, h.Sum(nil))
	if err != nil {
		return err
	}
	if stored != nil {
		c.Set("Idempotent-Replayed", "true")
		if stored.ContentType != "" {
			c.Set(fiber.HeaderContentType, stored.ContentType)
		}
		return c.Status(stored.Status).Send(stored.Body)
	}
	if err := c.Next(); err != nil {
		if herr := s.errorHandler(c, err); herr != nil {
			return herr
		}
	}
	status := c.Response().StatusCode()
	if status >= 500 {
		if err := s.db.ReleaseKey(ctx, scope, key); err != nil {
			s.log.Warn("idempotency release", "error", err)
		}
		return nil
	}
	body := append([]byte(nil), c.Response().Body()...)
	err = s.db.CompleteKey(ctx, scope, key, storage.Stored{Status: status, ContentType: string(c.Response().Header.ContentType()), Body: body})
	if err != nil {
		s.log.Warn("idempotency complete", "error", err)
	}
	return nil
}

// requestTimeout bounds the work done for one request (a Temporal update
// waiting on an unreachable database gives up with a 503 after it).
const requestTimeout = 30 * time.Second
