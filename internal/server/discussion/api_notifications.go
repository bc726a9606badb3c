package discussion

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// Notifications (api.md, "Notifications (e-mail)"): each person's choice per
// kind of message, their language, and the admins' view of the outbox.

type notificationsJSON struct {
	Kinds    domain.Preferences `json:"kinds"`
	Language string             `json:"language,omitempty"`
}

func (s *Handlers) getNotifications(c *fiber.Ctx) error {
	u, _ := kit.UserOf(c)
	lang, p, err := s.DB.NotificationSettings(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	return c.JSON(notificationsJSON{Kinds: p, Language: lang})
}

// putNotifications changes some or all kinds (and the language, if given).
func (s *Handlers) putNotifications(c *fiber.Ctx) error {
	var in notificationsJSON
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	if err := s.saveNotifications(c, in); err != nil {
		return err
	}
	return s.getNotifications(c)
}

func (s *Handlers) saveNotifications(c *fiber.Ctx, in notificationsJSON) error {
	fe := domain.FieldErrors{}
	if err := in.Kinds.Validate(); err != nil {
		de, _ := domain.As(err)
		for k, m := range de.Fields {
			fe[k] = m
		}
	}
	in.Language = strings.TrimSpace(in.Language)
	if in.Language != "" && !slices.Contains(domain.Languages, in.Language) {
		fe.Add("language", "field.oneof", strings.Join(domain.Languages, ", "))
	}
	if err := fe.Err(); err != nil {
		return err
	}
	u, _ := kit.UserOf(c)
	return s.DB.SetNotificationSettings(c.UserContext(), u.ID, in.Language, in.Kinds)
}

// outboxFilter reads ?status=&limit=&cursor=.
func outboxFilter(c *fiber.Ctx) (storage.OutboxFilter, error) {
	f := storage.OutboxFilter{Status: strings.TrimSpace(c.Query("status"))}
	fe := domain.FieldErrors{}
	f.Limit, f.Cursor = kit.PageParams(c, fe)
	if f.Status != "" && !slices.Contains(storage.OutboxStatuses, f.Status) {
		fe.Add("status", "field.oneof", strings.Join(storage.OutboxStatuses, ", "))
	}
	return f, fe.Err()
}

// apiOutbox lists the messages queued, sent, failed or skipped (admin).
func (s *Handlers) apiOutbox(c *fiber.Ctx) error {
	f, err := outboxFilter(c)
	if err != nil {
		return err
	}
	rows, next, err := s.DB.Outbox(c.UserContext(), f)
	if err != nil {
		return err
	}
	out := kit.Page[storage.OutboxRow]{Items: rows}
	if out.Items == nil {
		out.Items = []storage.OutboxRow{}
	}
	if next != "" {
		out.NextCursor = &next
	}
	return c.JSON(out)
}
