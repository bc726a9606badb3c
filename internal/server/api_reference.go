package server

import "github.com/gofiber/fiber/v2"

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
