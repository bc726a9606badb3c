package indicators

import (
	"github.com/gofiber/fiber/v2"

	"essor/internal/server/kit"
)

type openDataNoticePage struct {
	kit.NoticePage
	Columns []string
}

func (s *Handlers) openDataNotice(c *fiber.Ctx) error {
	return s.Render(c, fiber.StatusOK, "opendata", openDataNoticePage{NoticePage: s.NoticePage(c, "opendata"), Columns: openDataColumns})
}
