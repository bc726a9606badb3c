package admin

import (
	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// The admin's page of reference data, /admin/referentiel: themes and
// territories, with the forms to add, rename, retire and restore them.
// The changes go through the same code as the API (api_reference.go).

var (
	themeFields     = []string{"slug", "label_fr", "label_en"}
	territoryFields = []string{"code", "name", "kind", "parent_code"}
)

type themeRow struct {
	storage.Theme
	Form *kit.Form // rename
}

type territoryRow struct {
	storage.Territory
	KindLabel  string
	ParentName string
	Parents    []kit.Option // the territories it may belong to
	Form       *kit.Form    // rename, move
}

type referenceAdminPage struct {
	kit.Layout
	Themes        []themeRow
	Territories   []territoryRow
	ThemeForm     *kit.Form
	TerritoryForm *kit.Form
	Kinds         []kit.Option
	Parents       []kit.Option // départements and regions, for a new territory
	// Communes and EPCIs come from the open data, not from this page: counted, not listed.
	Communes, EPCIs int
}

// refusedForm is a form to show again with its messages: a new theme or
// territory, or the rename form of one row (key "theme:slug",
// "territory:code").
type refusedForm struct {
	key  string
	form *kit.Form
}

func (s *Handlers) referencePage(c *fiber.Ctx) error {
	return s.renderReference(c, fiber.StatusOK, refusedForm{})
}

func (s *Handlers) renderReference(c *fiber.Ctx, status int, refused refusedForm) error {
	themes, territories, err := s.Ref.Load(c.UserContext())
	if err != nil {
		return err
	}
	lang := kit.LangOf(c)
	page := referenceAdminPage{Layout: s.Layout(c, "reference", "web.reference.title"),
		ThemeForm: kit.NewForm("theme-", themeFields...), TerritoryForm: kit.NewForm("territory-", territoryFields...)}
	for _, k := range domain.TerritoryKinds {
		page.Kinds = append(page.Kinds, kit.Option{Value: k, Label: i18n.T(lang, "kind."+k)})
	}
	names := map[string]string{}
	for _, t := range territories {
		names[t.Code] = t.Name
		if !t.Retired && (t.Kind == domain.KindDepartement || t.Kind == domain.KindRegion) {
			page.Parents = append(page.Parents, kit.Option{Value: t.Code, Label: t.Name + " (" + i18n.T(lang, "kind."+t.Kind) + ")"})
		}
	}
	for _, t := range themes {
		f := kit.NewForm("theme-"+t.Slug+"-", "label_fr", "label_en")
		f.Set("label_fr", t.LabelFR)
		f.Set("label_en", t.LabelEN)
		if refused.key == "theme:"+t.Slug {
			f = refused.form
		}
		page.Themes = append(page.Themes, themeRow{Theme: t, Form: f})
	}
	for _, t := range territories {
		switch t.Kind {
		case storage.KindCommune:
			page.Communes++
			continue
		case storage.KindEPCI:
			page.EPCIs++
			continue
		}
		f := kit.NewForm("territory-"+t.Code+"-", "name", "parent_code")
		f.Set("name", t.Name)
		f.Set("parent_code", t.Parent())
		if refused.key == "territory:"+t.Code {
			f = refused.form
		}
		row := territoryRow{Territory: t, KindLabel: i18n.T(lang, "kind."+t.Kind), ParentName: names[t.Parent()], Form: f}
		want := domain.ParentKind[t.Kind]
		for _, p := range territories {
			if want != "" && p.Kind == want && (!p.Retired || p.Code == t.Parent()) {
				row.Parents = append(row.Parents, kit.Option{Value: p.Code, Label: p.Name})
			}
		}
		page.Territories = append(page.Territories, row)
	}
	switch refused.key {
	case "theme":
		page.ThemeForm = refused.form
	case "territory":
		page.TerritoryForm = refused.form
	}
	page.Failed = refused.form != nil
	return s.Render(c, status, "reference", page)
}

// refuse shows a refused form again; errors that are not the admin's
// mistake go to the error page.
func (s *Handlers) refuse(c *fiber.Ctx, err error, key string, f *kit.Form) error {
	if domain.IsCode(err, domain.CodeNotFound) {
		return domain.E(domain.CodeNotFound, "error.page_not_found")
	}
	status, ok := f.Fail(kit.LangOf(c), err)
	if !ok {
		return err
	}
	return s.renderReference(c, status, refusedForm{key: key, form: f})
}

func (s *Handlers) referenceDone(c *fiber.Ctx, flash string) error {
	s.Flash(c, flash)
	return c.Redirect(kit.PageURL("reference"), fiber.StatusSeeOther)
}

// retiredChoice reads the retire/restore buttons: nil when absent.
func retiredChoice(f *kit.Form) *bool {
	switch f.Value("retired") {
	case "true":
		b := true
		return &b
	case "false":
		b := false
		return &b
	}
	return nil
}

// addThemePage adds a theme.
func (s *Handlers) addThemePage(c *fiber.Ctx) error {
	f := kit.PostedForm(c, "theme-", themeFields...)
	_, err := s.createTheme(c, domain.NewTheme{Slug: f.Value("slug"), LabelFR: f.Value("label_fr"), LabelEN: f.Value("label_en")})
	if err != nil {
		return s.refuse(c, err, "theme", f)
	}
	return s.referenceDone(c, "web.flash.theme_added")
}

// changeThemePage renames a theme, or retires or restores it.
func (s *Handlers) changeThemePage(c *fiber.Ctx) error {
	slug := c.Params("slug")
	f := kit.PostedForm(c, "theme-"+slug+"-", "label_fr", "label_en", "retired")
	in, flash := domain.ThemeChange{Retired: retiredChoice(f)}, "web.flash.theme_saved"
	if in.Retired != nil {
		flash = map[bool]string{true: "web.flash.theme_retired", false: "web.flash.theme_restored"}[*in.Retired]
	} else {
		fr, en := f.Value("label_fr"), f.Value("label_en")
		in.LabelFR, in.LabelEN = &fr, &en
	}
	if _, err := s.updateTheme(c, slug, in); err != nil {
		return s.refuse(c, err, "theme:"+slug, f)
	}
	return s.referenceDone(c, flash)
}

// addTerritoryPage adds a territory.
func (s *Handlers) addTerritoryPage(c *fiber.Ctx) error {
	f := kit.PostedForm(c, "territory-", territoryFields...)
	_, err := s.createTerritory(c, domain.NewTerritory{Code: f.Value("code"), Name: f.Value("name"),
		Kind: f.Value("kind"), ParentCode: f.Value("parent_code")})
	if err != nil {
		return s.refuse(c, err, "territory", f)
	}
	return s.referenceDone(c, "web.flash.territory_added")
}

// changeTerritoryPage renames or moves a territory, or retires or restores it.
func (s *Handlers) changeTerritoryPage(c *fiber.Ctx) error {
	code := c.Params("code")
	f := kit.PostedForm(c, "territory-"+code+"-", "name", "parent_code", "retired")
	in, flash := domain.TerritoryChange{Retired: retiredChoice(f)}, "web.flash.territory_saved"
	if in.Retired != nil {
		flash = map[bool]string{true: "web.flash.territory_retired", false: "web.flash.territory_restored"}[*in.Retired]
	} else {
		name, parent := f.Value("name"), f.Value("parent_code")
		in.Name, in.ParentCode = &name, &parent
	}
	if _, err := s.updateTerritory(c, code, in); err != nil {
		return s.refuse(c, err, "territory:"+code, f)
	}
	return s.referenceDone(c, flash)
}
