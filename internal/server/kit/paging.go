package kit

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/storage"
)

// page is one page of a list as the API answers it.
type Page[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// pageParams reads ?limit= (1–200, default 50) and ?cursor= (or the pages'
// ?apres=) for every list; a mistake goes to fe.
func PageParams(c *fiber.Ctx, fe domain.FieldErrors) (limit int, cursor string) {
	limit = storage.DefaultPageSize
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			fe.Add("limit", "field.limit_range")
		}
		limit = n
	}
	return limit, CursorParam(c)
}

// cursorParam is a list's ?cursor= (?apres=, the pages' name for it before,
// still read: links people kept).
func CursorParam(c *fiber.Ctx) string {
	if v := c.Query("cursor"); v != "" {
		return v
	}
	return c.Query("apres")
}
