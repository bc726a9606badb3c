package server

import (
	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
)

// listThemes returns the themes (public).
func (s *Server) listThemes(c *fiber.Ctx) error {
	themes, _, err := s.ref.Load(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(themes)
}

// listTerritories returns the territories (public).
func (s *Server) listTerritories(c *fiber.Ctx) error {
	_, territories, err := s.ref.Load(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(territories)
}

// refSet is the themes and territories, for validation; an unreachable
// database lets every value through (the service checks again).
func (s *Server) refSet(c *fiber.Ctx) domain.Reference {
	ref, err := s.ref.Check(c.UserContext())
	if err != nil {
		return domain.AnyReference{}
	}
	return ref
}
