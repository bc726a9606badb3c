package server

import "github.com/gofiber/fiber/v2"

type openDataNoticePage struct {
	NoticePage
	Columns []string
}

func (s *Server) openDataNotice(c *fiber.Ctx) error {
	return s.Render(c, fiber.StatusOK, "opendata", openDataNoticePage{NoticePage: s.NoticePage(c, "opendata"), Columns: openDataColumns})
}
