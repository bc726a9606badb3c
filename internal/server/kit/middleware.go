package kit

import (
	"crypto/sha256"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/storage"
)

// Keys of values kept on a request.
const (
	LocalUser      = "user"
	localSession   = "session"
	localLang      = "lang"
	LocalRequestID = "request_id"
)

func RequestID(c *fiber.Ctx) string {
	id, _ := c.Locals(LocalRequestID).(string)
	return id
}

// secretParams are the route parameters that are secrets: whoever reads
// them may act (an unsubscribe link's token). Logs never keep them.
var secretParams = map[string]bool{"token": true}

// redacted replaces a secret in what is logged.
const redacted = "[redacted]"

// logPath is the request's path as logs keep it: the route's own path with
// its secret parameters replaced by a mark.
func LogPath(c *fiber.Ctx) string {
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
func UserOf(c *fiber.Ctx) (storage.User, bool) {
	u, ok := c.Locals(LocalUser).(storage.User)
	return u, ok
}

// requireToken authenticates an API request by its bearer token.
func (s *Kit) requireToken(c *fiber.Ctx) error {
	h := c.Get(fiber.HeaderAuthorization)
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(tok) == "" {
		return domain.E(domain.CodeUnauthenticated, "error.unauthenticated")
	}
	sess, u, err := s.Sessions.Resolve(c.UserContext(), strings.TrimSpace(tok))
	if err != nil {
		if domain.IsCode(err, domain.CodeNotFound) {
			return domain.E(domain.CodeUnauthenticated, "error.unauthenticated")
		}
		return err
	}
	if sess.Kind != "api" { // a web session's cookie is not a bearer token
		return domain.E(domain.CodeUnauthenticated, "error.unauthenticated")
	}
	c.Locals(LocalUser, u)
	c.Locals(localSession, sess)
	return c.Next()
}

// requireRole refuses users holding none of the roles.
func requireRole(roles ...domain.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u, ok := UserOf(c)
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
func (s *Kit) idempotent(c *fiber.Ctx) error {
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
	if u, ok := UserOf(c); ok {
		scope = u.ID
	}
	h := sha256.New()
	h.Write([]byte(c.Method() + " " + c.Path() + "\n"))
	h.Write(c.Body())
	ctx := c.UserContext()
	stored, err := s.DB.ClaimKey(ctx, scope, key, h.Sum(nil))
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
		if herr := s.ErrorHandler(c, err); herr != nil {
			return herr
		}
	}
	status := c.Response().StatusCode()
	if status >= 500 {
		if err := s.DB.ReleaseKey(ctx, scope, key); err != nil {
			s.Log.Warn("idempotency release", "error", err)
		}
		return nil
	}
	body := append([]byte(nil), c.Response().Body()...)
	err = s.DB.CompleteKey(ctx, scope, key, storage.Stored{Status: status, ContentType: string(c.Response().Header.ContentType()), Body: body})
	if err != nil {
		s.Log.Warn("idempotency complete", "error", err)
	}
	return nil
}

// requestTimeout bounds the work done for one request (a Temporal update
// waiting on an unreachable database gives up with a 503 after it).
const RequestTimeout = 30 * time.Second
