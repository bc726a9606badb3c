package rally

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

type enterPage struct {
	kit.Layout
	R         storage.RoundRow
	Form      *kit.Form
	Kinds     []kit.Option
	Cats      []kit.Option
	Open      bool
	Ident     domain.PhaseSpan
	IdentLast time.Time
	PhaseNow  domain.Phase
	Submitted bool
}

func (s *Handlers) enterPageOf(c *fiber.Ctx, row storage.RoundRow, f *kit.Form) enterPage {
	lang := kit.LangOf(c)
	d := row.Domain()
	p := enterPage{Layout: s.Layout(c, "rally", "web.rally.enter.title"), R: row, Form: f, Open: d.EntriesOpen(time.Now()),
		Ident: d.Span(domain.PhaseIdentification), PhaseNow: d.CurrentPhase(time.Now())}
	p.IdentLast = p.Ident.EndsAt.Add(-time.Nanosecond)
	for _, k := range domain.EntryKinds {
		p.Kinds = append(p.Kinds, kit.Option{Value: k, Label: i18n.T(lang, "rally.kind."+k)})
	}
	for _, cat := range row.Categories {
		p.Cats = append(p.Cats, kit.Option{Value: cat, Label: cat})
	}
	return p
}

// entryForm shows the entry form (companies).
func (s *Handlers) entryForm(c *fiber.Ctx) error {
	row, err := s.DB.Round(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	f := kit.NewForm("entry-", entryFields...)
	if u, ok := kit.UserOf(c); ok {
		f.Set("organisation", u.Organisation)
	}
	return s.Render(c, fiber.StatusOK, "rally_enter", s.enterPageOf(c, row, f))
}

// submitEntry submits an entry from the form.
func (s *Handlers) submitEntry(c *fiber.Ctx) error {
	row, err := s.DB.Round(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	f := kit.PostedForm(c, "entry-", entryFields...)
	u, _ := kit.UserOf(c)
	in := domain.EntryInput{Organisation: f.Value("organisation"), Kind: f.Value("kind"), Title: f.Value("title"),
		Description: f.Value("description"), Category: f.Value("category")}
	_, err = s.rally.Enter(c.UserContext(), u.Caller(), row.ID, in, "web:"+f.Key)
	if err == nil {
		s.Flash(c, "web.flash.rally.entered")
		return c.Redirect(kit.PageURL("rally.round", row.ID), fiber.StatusSeeOther)
	}
	status, ok := f.Fail(kit.LangOf(c), err)
	if !ok {
		return err
	}
	p := s.enterPageOf(c, row, f)
	p.Failed = true
	return s.Render(c, status, "rally_enter", p)
}
