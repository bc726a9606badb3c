package directory

import (
	"errors"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// perPage is how many organisations a page of the directory shows.
const perPage = 30

// filterFields are the directory's filters, in the form's order.
var filterFields = []string{"q", "theme", "territory", "family", "legal_form"}

type directoryPage struct {
	kit.Layout
	kit.RefLabels
	Filter     *kit.Form
	Families   []kit.Option
	LegalForms []kit.Option
	Items      []organisationView
	Next       string
	Filtered   bool
}

// organisationView is a record with its labels in the page's language.
type organisationView struct {
	storage.OrganisationRow
	FamilyLabel, LegalFormLabel string
	ThemeLabels, TerritoryNames []string
	Contact                     string // officers and admins only
}

func (s *Handlers) view(c *fiber.Ctx, ref kit.RefLabels, r storage.OrganisationRow, contact bool) organisationView {
	lang := kit.LangOf(c)
	v := organisationView{OrganisationRow: r, FamilyLabel: i18n.T(lang, "family."+r.Family), LegalFormLabel: i18n.T(lang, "legal_form."+r.LegalForm)}
	for _, t := range r.Themes {
		v.ThemeLabels = append(v.ThemeLabels, label(ref.ThemeNames, t))
	}
	for _, t := range r.Territories {
		v.TerritoryNames = append(v.TerritoryNames, label(ref.TerritoryNames, t))
	}
	if contact && r.Email != nil {
		v.Contact = *r.Email
	}
	return v
}

func label(names map[string]string, key string) string {
	if n, ok := names[key]; ok {
		return n
	}
	return key
}

func options(lang i18n.Lang, prefix string, values []string) []kit.Option {
	out := make([]kit.Option, len(values))
	for i, v := range values {
		out[i] = kit.Option{Value: v, Label: i18n.T(lang, prefix+v)}
	}
	return out
}

// directoryPage is /annuaire: the region's organisations, by name, with a
// French search and filters by theme, territory, family and legal form.
func (s *Handlers) directoryPage(c *fiber.Ctx) error {
	f := kit.NewForm("annuaire-", filterFields...)
	for _, n := range f.Names {
		f.Set(n, strings.TrimSpace(c.Query(n)))
	}
	ref, err := s.RefLabels(c)
	if err != nil {
		return err
	}
	lang := kit.LangOf(c)
	families := make([]string, len(domain.Families))
	for i, v := range domain.Families {
		families[i] = string(v)
	}
	forms := make([]string, len(domain.LegalForms))
	for i, v := range domain.LegalForms {
		forms[i] = string(v)
	}
	p := directoryPage{Layout: s.Layout(c, "directory", "web.directory.title"), RefLabels: ref, Filter: f,
		Families: options(lang, "family.", families), LegalForms: options(lang, "legal_form.", forms)}
	for _, n := range filterFields {
		p.Filtered = p.Filtered || f.Value(n) != ""
	}
	filter, err := organisationFilter(c)
	status := fiber.StatusOK
	if err != nil {
		if status, _ = f.Fail(lang, err); status == 0 {
			return err
		}
		p.Failed = true
		return s.Render(c, status, "directory", p)
	}
	filter.Limit = perPage
	rows, next, err := s.DB.Organisations(c.UserContext(), filter)
	if errors.Is(err, storage.ErrBadCursor) { // an address cut or edited by hand: start again
		f.Alert, status, p.Failed = i18n.T(lang, "web.needs.bad_cursor"), fiber.StatusUnprocessableEntity, true
		filter.Cursor = ""
		rows, next, err = s.DB.Organisations(c.UserContext(), filter)
	}
	if err != nil {
		return err
	}
	contact := seesContact(c)
	for _, r := range rows {
		p.Items = append(p.Items, s.view(c, ref, r, contact))
	}
	if next != "" {
		q := url.Values{}
		for _, n := range filterFields {
			if v := f.Value(n); v != "" {
				q.Set(n, v)
			}
		}
		q.Set("cursor", next)
		p.Next = kit.PageURL("directory") + "?" + q.Encode()
	}
	return s.Render(c, status, "directory", p)
}

type organisationPage struct {
	kit.Layout
	O        organisationView
	Sections []subjectSection
}

// subjectSection is one list of an organisation's page: what it submitted,
// hosted, supported, carried, applied for, entered or won.
type subjectSection struct {
	Title string // a catalogue key
	Items []subjectLink
}

type subjectLink struct {
	Href, Title, Stage string
}

// subjectSections are the page's lists, in order: kind, title, page.
var subjectSections = []struct{ kind, title, page string }{
	{"need", "web.directory.submitted", "need"},
	{"study_action", "web.directory.hosted", "studyaction"},
	{"support", "web.directory.supported", "need"},
	{"carried", "web.directory.carried", "need"},
	{"applied", "web.directory.applied", "call"},
	{"won", "web.directory.won", "rally.round"},
	{"entered", "web.directory.entered", "rally.round"},
}

// organisationPage is one organisation's public record.
func (s *Handlers) organisationPage(c *fiber.Ctx) error {
	r, err := s.DB.Organisation(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	ref, err := s.RefLabels(c)
	if err != nil {
		return err
	}
	p := organisationPage{Layout: s.Layout(c, "directory", "web.directory.organisation"), O: s.view(c, ref, r, seesContact(c))}
	p.Named = r.Name
	subjects, err := s.DB.OrganisationSubjects(c.UserContext(), r.ID)
	if err != nil {
		return err
	}
	for _, sec := range subjectSections {
		out := subjectSection{Title: sec.title}
		for _, x := range subjects {
			if x.Kind == sec.kind {
				out.Items = append(out.Items, subjectLink{Href: kit.PageURL(sec.page, x.ID), Title: x.Title, Stage: x.Stage})
			}
		}
		if len(out.Items) > 0 {
			p.Sections = append(p.Sections, out)
		}
	}
	return s.Render(c, fiber.StatusOK, "organisation", p)
}
