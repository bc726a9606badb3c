package kit

import (
	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
)

// Access is who may reach a route and how they prove it; the shell turns it
// into the guards that run before the handler (Guard).
type Access uint8

const (
	AccessOpen         Access = iota // anyone; pages still learn their viewer (webContext)
	AccessToken                      // the API's bearer token, and one of Roles if any
	AccessWrite                      // AccessToken, then Idempotency-Key replays a retried write
	AccessSignedIn                   // pages: a session, and one of Roles if any
	AccessPost                       // forms anyone may post: the form token
	AccessSignedInPost               // AccessSignedIn, then the form token
)

// Route is one row of the route table; the OpenAPI document describes every
// API row (a test checks that none is missing).
type Route struct {
	Method  string
	Path    string
	Access  Access
	Roles   []domain.Role
	Handler fiber.Handler
	Tag     string // the programme, as the OpenAPI document groups its operations
}

// Open is a route anyone may reach.
func Open(method, path string, h fiber.Handler) Route {
	return Route{Method: method, Path: path, Access: AccessOpen, Handler: h}
}

// Token is an API route for a bearer token holding one of roles (any role if none).
func Token(method, path string, h fiber.Handler, roles ...domain.Role) Route {
	return Route{Method: method, Path: path, Access: AccessToken, Roles: roles, Handler: h}
}

// Write is an API write: a bearer token with one of roles, and idempotency.
func Write(method, path string, h fiber.Handler, roles ...domain.Role) Route {
	return Route{Method: method, Path: path, Access: AccessWrite, Roles: roles, Handler: h}
}

// SignedIn is a page for a signed-in person holding one of roles.
func SignedIn(method, path string, h fiber.Handler, roles ...domain.Role) Route {
	return Route{Method: method, Path: path, Access: AccessSignedIn, Roles: roles, Handler: h}
}

// Post is a form anyone may post (with the form token).
func Post(method, path string, h fiber.Handler) Route {
	return Route{Method: method, Path: path, Access: AccessPost, Handler: h}
}

// SignedInPost is a form posted by a signed-in person holding one of roles.
func SignedInPost(method, path string, h fiber.Handler, roles ...domain.Role) Route {
	return Route{Method: method, Path: path, Access: AccessSignedInPost, Roles: roles, Handler: h}
}

// Guard is the handlers a route runs: its access's guards, then its own.
func (s *Kit) Guard(r Route) []fiber.Handler {
	var h []fiber.Handler
	switch r.Access {
	case AccessToken, AccessWrite:
		h = append(h, s.requireToken)
	case AccessSignedIn, AccessSignedInPost:
		h = append(h, s.requireSignIn)
	default:
		if len(r.Roles) > 0 {
			panic("roles on a route open to anyone: " + r.Path) // a programming error, caught by every test
		}
	}
	if len(r.Roles) > 0 {
		h = append(h, requireRole(r.Roles...))
	}
	switch r.Access {
	case AccessWrite:
		h = append(h, s.idempotent)
	case AccessPost, AccessSignedInPost:
		h = append(h, s.checkCSRF)
	}
	return append(h, r.Handler)
}
