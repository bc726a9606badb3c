package needs

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gorilla/feeds"

	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// seekingFilter reads seeking_carrier: true lists the projects in carrier
// search only (api.md "Carrier matching").
func seekingFilter(c *fiber.Ctx, f *storage.NeedFilter, fe domain.FieldErrors) {
	switch strings.TrimSpace(c.Query("seeking_carrier")) {
	case "", "false":
	case "true":
		if len(f.Stages) > 0 && !slices.Contains(f.Stages, domain.StageCarrierSearch) {
			fe.Add("seeking_carrier", "field.seeking_stage")
		}
		f.Stages = []domain.Stage{domain.StageCarrierSearch}
	default:
		fe.Add("seeking_carrier", "field.boolean")
	}
}

type seekingPage struct {
	kit.Layout
	kit.RefLabels
	Items      []kit.NeedItem
	Next       string
	CanPropose bool // a signed-in actor: "we could carry this project"
}

// seekingList is the public page of the projects looking for a carrier,
// the longest waiting last (newest first), a page at a time.
func (s *Handlers) seekingList(c *fiber.Ctx) error {
	ref, err := s.RefLabels(c)
	if err != nil {
		return err
	}
	page := seekingPage{Layout: s.Layout(c, "seeking", "web.seeking.title"), RefLabels: ref}
	if u, ok := kit.UserOf(c); ok {
		page.CanPropose = u.Caller().Has(domain.RoleActor)
	}
	f := storage.NeedFilter{Stages: []domain.Stage{domain.StageCarrierSearch}, Limit: needsPerPage, Cards: true,
		Cursor: c.Query("cursor")}
	rows, next, err := s.DB.Needs(c.UserContext(), f)
	if errors.Is(err, storage.ErrBadCursor) {
		f.Cursor = ""
		rows, next, err = s.DB.Needs(c.UserContext(), f)
	}
	if err != nil {
		return err
	}
	page.Items = ref.Items(rows)
	if next != "" {
		page.Next = kit.PageURL("seeking") + "?" + url.Values{"cursor": {next}}.Encode()
	}
	return s.Render(c, fiber.StatusOK, "seeking", page)
}

// seekingFeed is the Atom feed of the projects looking for a carrier, the
// newest first, for feed readers and the partners' sites.
func (s *Handlers) seekingFeed(c *fiber.Ctx) error {
	ref, err := s.RefLabels(c)
	if err != nil {
		return err
	}
	rows, _, err := s.DB.Needs(c.UserContext(), storage.NeedFilter{Stages: []domain.Stage{domain.StageCarrierSearch},
		Limit: 50, Cards: true})
	if err != nil {
		return err
	}
	base := s.Cfg.BaseURL
	lang := kit.LangOf(c)
	feed := &feeds.Feed{Title: i18n.T(lang, "web.seeking.feed_title"), Link: &feeds.Link{Href: base + kit.PageURL("seeking")},
		Id: base + kit.PageURL("seeking.atom"), Description: i18n.T(lang, "web.seeking.intro"), Updated: time.Unix(0, 0).UTC()}
	for _, it := range ref.Items(rows) {
		link := base + kit.PageURL("need", it.ID)
		if it.StageEnteredAt.After(feed.Updated) {
			feed.Updated = it.StageEnteredAt
		}
		feed.Items = append(feed.Items, &feeds.Item{Id: link, Title: it.Title, Link: &feeds.Link{Href: link},
			Description: it.ThemeLabel + " · " + it.TerritoryName + " — " + it.Summary,
			Created:     it.StageEnteredAt, Updated: it.StageEnteredAt})
	}
	atom, err := feed.ToAtom()
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/atom+xml; charset=utf-8")
	return c.SendString(atom)
}
