package server

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/server/kit"
)

type signInRequest struct {
	Email    string `json:"email" validate:"required,email,max=320"`
	Password string `json:"password" validate:"required,max=1000"`
}

type sessionResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

// createSession exchanges an e-mail and password for a bearer token.
func (s *Server) createSession(c *fiber.Ctx) error {
	var in signInRequest
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	in.Email = strings.TrimSpace(in.Email)
	fe := domain.FieldErrors{}
	domain.CheckStruct(in, fe)
	if err := fe.Err(); err != nil {
		return err
	}
	iss, err := s.Sessions.SignIn(c.UserContext(), in.Email, in.Password, "api", s.ClientKey(c))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(sessionResponse{Token: iss.Token, ExpiresAt: iss.ExpiresAt})
}

// deleteSession signs the bearer token out or, with ?everywhere=true, every
// token and web session of its account.
func (s *Server) deleteSession(c *fiber.Ctx) error {
	everywhere := false
	if v := c.Query("everywhere"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			fe := domain.FieldErrors{}
			fe.Add("everywhere", "field.oneof", "true, false")
			return fe.Err()
		}
		everywhere = b
	}
	if everywhere {
		u, _ := kit.UserOf(c)
		if _, err := s.Sessions.SignOutEverywhere(c.UserContext(), u.ID); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
	tok := strings.TrimSpace(strings.TrimPrefix(c.Get(fiber.HeaderAuthorization), "Bearer "))
	if err := s.Sessions.SignOut(c.UserContext(), tok); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type meResponse struct {
	ID           string          `json:"id"`
	Email        string          `json:"email"`
	Name         string          `json:"name"`
	Organisation *kit.AccountOrg `json:"organisation"`
	Roles        []domain.Role   `json:"roles"`
}

// me describes the signed-in account.
func (s *Server) me(c *fiber.Ctx) error {
	u, _ := kit.UserOf(c)
	return c.JSON(meResponse{ID: u.ID, Email: u.Email, Name: u.Name, Organisation: kit.AccountOrgOf(u), Roles: u.Roles})
}
