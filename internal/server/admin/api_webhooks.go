package admin

import (
	"context"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/server/kit"
	"essor/internal/storage"
	"essor/internal/webhook"
)

// Webhooks, for admins: the targets that hear of Essor's events (api.md
// "Webhooks"). The secret is shown once, when the target is registered.

type webhookRequest struct {
	URL    string   `json:"url"`
	Events []string `json:"events"`
}

type createdWebhook struct {
	storage.WebhookRow
	Secret string `json:"secret"`
}

// maxWebhookURL bounds a target's address.
const maxWebhookURL = 2000

// createWebhook registers a target: an http(s) URL that does not reach a
// private address (unless ESSOR_WEBHOOK_ALLOW_PRIVATE), and known events.
func (s *Handlers) createWebhook(c *fiber.Ctx) error {
	var in webhookRequest
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	fe := domain.FieldErrors{}
	switch {
	case in.URL == "":
		fe.Add("url", "field.required")
	case len(in.URL) > maxWebhookURL:
		fe.Add("url", "field.max_len", "2000")
	default:
		ctx, cancel := context.WithTimeout(c.UserContext(), 5*time.Second)
		defer cancel()
		if err := webhook.CheckTarget(ctx, in.URL, s.Cfg.WebhookAllowPrivate); errors.Is(err, webhook.ErrPrivate) {
			fe.Add("url", "field.webhook_private")
		} else if err != nil {
			fe.Add("url", "field.webhook_url")
		}
	}
	if !webhook.Valid(in.Events) {
		fe.Add("events", "field.webhook_events")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	me, _ := kit.UserOf(c)
	secret := webhook.NewSecret()
	row, err := s.DB.CreateWebhook(c.UserContext(), in.URL, in.Events, secret, me.ID)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(createdWebhook{WebhookRow: row, Secret: secret})
}

// listWebhooks lists the targets (without their secrets).
func (s *Handlers) listWebhooks(c *fiber.Ctx) error {
	rows, err := s.DB.Webhooks(c.UserContext())
	if err != nil {
		return err
	}
	if rows == nil {
		rows = []storage.WebhookRow{}
	}
	return c.JSON(rows)
}

// deleteWebhook stops a target: its pending deliveries are dropped.
func (s *Handlers) deleteWebhook(c *fiber.Ctx) error {
	if !domain.IsUUID(c.Params("id")) {
		return domain.NotFound()
	}
	if err := s.DB.DeleteWebhook(c.UserContext(), c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// webhookDeliveries lists a target's deliveries newest first, each attempt
// with the target's answer.
func (s *Handlers) webhookDeliveries(c *fiber.Ctx) error {
	fe := domain.FieldErrors{}
	limit, cursor := kit.PageParams(c, fe)
	if err := fe.Err(); err != nil {
		return err
	}
	if !domain.IsUUID(c.Params("id")) {
		return domain.NotFound()
	}
	rows, next, err := s.DB.WebhookDeliveries(c.UserContext(), c.Params("id"), limit, cursor)
	if err != nil {
		return err
	}
	out := kit.Page[storage.WebhookDeliveryRow]{Items: rows}
	if out.Items == nil {
		out.Items = []storage.WebhookDeliveryRow{}
	}
	if next != "" {
		out.NextCursor = &next
	}
	return c.JSON(out)
}
