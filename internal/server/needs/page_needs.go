package needs

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

const needsPerPage = 20

type needsPage struct {
	kit.Layout
	kit.RefLabels
	Filter  *kit.Form
	Stages  []kit.Option
	Items   []kit.NeedItem
	Next    string // the next page's address, "" on the last
	Partial bool
	CSV     string // the list as CSV, with its filters
}

// Count is how many needs the page shows.
func (p needsPage) Count() int { return len(p.Items) }

// Filtered tells whether the list is narrowed by a search or a filter.
func (p needsPage) Filtered() bool {
	for _, n := range []string{"q", "territory", "theme", "stage"} {
		if p.Filter.Value(n) != "" {
			return true
		}
	}
	return false
}

func (s *Handlers) stageOptions(c *fiber.Ctx) []kit.Option {
	lang := kit.LangOf(c)
	opts := make([]kit.Option, 0, len(domain.Stages))
	for _, st := range domain.Stages {
		opts = append(opts, kit.Option{Value: string(st), Label: i18n.T(lang, "stage."+string(st))})
	}
	return opts
}

// needsList is the public list of needs and projects, searched and
// filtered with the API's parameters (q, territory, theme, stage), so that
// its addresses can be shared. htmx asks only for the results.
func (s *Handlers) needsList(c *fiber.Ctx) error {
	f := kit.NewForm("filter-", "q", "territory", "theme", "stage", "officer")
	for _, n := range f.Names {
		f.Set(n, strings.TrimSpace(c.Query(n)))
	}
	ref, err := s.RefLabels(c)
	if err != nil {
		return err
	}
	page := needsPage{Layout: s.Layout(c, "needs", "web.needs.title"), RefLabels: ref, Filter: f, Stages: s.stageOptions(c),
		Partial: c.Get("HX-Request") == "true" && c.Get("HX-History-Restore-Request") != "true"}
	csvQuery := url.Values{}
	for _, n := range []string{"q", "territory", "theme", "stage", "officer"} {
		if v := f.Value(n); v != "" {
			csvQuery.Set(n, v)
		}
	}
	page.CSV = kit.PageURL("needs.csv") + "?" + csvQuery.Encode()
	filter, err := listFilter(c)
	status := fiber.StatusOK
	if err != nil {
		if status, _ = f.Fail(kit.LangOf(c), err); status == 0 {
			return err
		}
		page.Failed = true
	} else {
		filter.Limit, filter.Cards = needsPerPage, true
		rows, next, err := s.DB.Needs(c.UserContext(), filter)
		if errors.Is(err, storage.ErrBadCursor) { // an address cut or edited by hand: start again
			f.Alert, status, page.Failed = i18n.T(kit.LangOf(c), "web.needs.bad_cursor"), fiber.StatusUnprocessableEntity, true
			filter.Cursor = ""
			rows, next, err = s.DB.Needs(c.UserContext(), filter)
		}
		if err != nil {
			return err
		}
		page.Items = ref.Items(rows)
		if next != "" {
			q := url.Values{}
			for _, n := range f.Names {
				if v := f.Value(n); v != "" {
					q.Set(n, v)
				}
			}
			q.Set("cursor", next)
			page.Next = "/besoins?" + q.Encode()
		}
	}
	if page.Partial {
		return s.RenderBlock(c, status, "needs", "results", page)
	}
	return s.Render(c, status, "needs", page)
}

type myNeedsPage struct {
	kit.Layout
	Items []kit.NeedItem
}

// myNeeds lists the needs the signed-in person reported.
func (s *Handlers) myNeeds(c *fiber.Ctx) error {
	u, _ := kit.UserOf(c)
	rows, _, err := s.DB.Needs(c.UserContext(), storage.NeedFilter{SubmittedBy: u.ID, Limit: 200, Cards: true})
	if err != nil {
		return err
	}
	ref, err := s.RefLabels(c)
	if err != nil {
		return err
	}
	return s.Render(c, fiber.StatusOK, "mine", myNeedsPage{Layout: s.Layout(c, "mine", "web.mine.title"), Items: ref.Items(rows)})
}

var submissionFields = []string{"title", "description", "theme", "territory_code", "beneficiaries", "organisation", "evidence"}

// communeFields locate a need at a commune: what the person typed, and the
// commune picked among several that fit it.
var communeFields = []string{"commune", "commune_code"}

type submitPage struct {
	kit.Layout
	kit.RefLabels
	Form     *kit.Form
	Similar  []storage.Duplicate
	Checked  bool         // the person asked to see similar needs
	Communes []kit.Option // the communes what was typed may name
	Commune  string       // the commune understood, named
}

// submitForm shows the form to report a need.
func (s *Handlers) submitForm(c *fiber.Ctx) error {
	ref, err := s.RefLabels(c)
	if err != nil {
		return err
	}
	f := kit.NewForm("need-", append(slices.Clone(submissionFields), communeFields...)...)
	u, _ := kit.UserOf(c)
	f.Set("organisation", u.Organisation)
	return s.Render(c, fiber.StatusOK, "submit", submitPage{Layout: s.Layout(c, "submit", "web.submit.title"), RefLabels: ref, Form: f})
}

// submitNeed reports a need through the same service and validation as the
// API; a mistake shows the form again with each message beside its field.
// The "check" button (for browsers without JavaScript) only looks for
// similar needs.
func (s *Handlers) submitNeed(c *fiber.Ctx) error {
	ref, err := s.RefLabels(c)
	if err != nil {
		return err
	}
	f := kit.PostedForm(c, "need-", append(slices.Clone(submissionFields), communeFields...)...)
	page := submitPage{Layout: s.Layout(c, "submit", "web.submit.title"), RefLabels: ref, Form: f}
	sub := domain.NeedSubmission{Title: f.Value("title"), Description: f.Value("description"), Theme: f.Value("theme"),
		TerritoryCode: f.Value("territory_code"), Organisation: f.Value("organisation"), Evidence: f.Value("evidence")}
	fe := domain.FieldErrors{}
	// A commune, when one is given, locates the need more precisely than
	// the territory chosen beside it.
	commune, err := s.ResolveCommune(c.UserContext(), kit.LangOf(c), strings.TrimSpace(f.Value("commune")), f.Value("commune_code"), sub.TerritoryCode)
	if err != nil {
		return err
	}
	switch {
	case commune.Code != "":
		sub.TerritoryCode = commune.Code
		f.Set("commune_code", commune.Code)
		page.Commune = ref.Territory(commune.Code)
	case commune.Problem != "":
		fe.Add("commune", commune.Problem, strings.TrimSpace(f.Value("commune")))
		page.Communes = commune.Choices
		f.Set("commune_code")
	}
	if v := strings.TrimSpace(f.Value("beneficiaries")); v != "" {
		n, err := strconv.Atoi(strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(v))
		if err != nil {
			fe.Add("beneficiaries", "field.type", "@type.number")
		} else {
			sub.Beneficiaries = &n
		}
	}
	if c.FormValue("intent") == "check" {
		page.Checked = true
		page.Similar, err = s.similar(c, sub.Title, sub.Description, sub.TerritoryCode)
		if err != nil {
			return err
		}
		return s.Render(c, fiber.StatusOK, "submit", page)
	}
	u, _ := kit.UserOf(c)
	if len(fe) > 0 { // a number that is not one, a commune not found: check the rest without submitting
		set, err := s.Ref.Check(c.UserContext())
		if err != nil {
			return err
		}
		if de, ok := domain.As(sub.Validate(set)); ok {
			for k, m := range de.Fields {
				fe[k] = m
			}
		}
		err = fe.Err()
		status, _ := f.Fail(kit.LangOf(c), err)
		page.Failed = true
		return s.Render(c, status, "submit", page)
	}
	row, err := s.needs.Submit(c.UserContext(), u.Caller(), sub, "web:"+f.Key)
	if err != nil {
		status, ok := f.Fail(kit.LangOf(c), err)
		if !ok {
			return err
		}
		page.Failed = true
		return s.Render(c, status, "submit", page)
	}
	s.Flash(c, "web.flash.submitted")
	return c.Redirect(kit.PageURL("need", row.ID), fiber.StatusSeeOther)
}

func (s *Handlers) similar(c *fiber.Ctx, title, description, territory string) ([]storage.Duplicate, error) {
	title = strings.TrimSpace(title)
	if len([]rune(title)) < 4 || len(title) > 400 || strings.TrimSpace(territory) == "" {
		return nil, nil
	}
	if len(description) > 2000 {
		description = description[:2000]
	}
	return s.DB.SimilarNeeds(c.UserContext(), title, description, strings.TrimSpace(territory))
}

type similarPart struct {
	kit.Layout
	Similar []storage.Duplicate
	Checked bool
}

// similarNeeds is the fragment the submission form shows while a title is
// typed: the needs of the same territory that look alike.
func (s *Handlers) similarNeeds(c *fiber.Ctx) error {
	found, err := s.similar(c, c.Query("title"), c.Query("description"), c.Query("territory_code"))
	if err != nil {
		return err
	}
	return s.RenderBlock(c, fiber.StatusOK, "submit", "similar", similarPart{Layout: s.Layout(c, "submit", ""), Similar: found,
		Checked: len([]rune(strings.TrimSpace(c.Query("title")))) >= 4 && c.Query("territory_code") != ""})
}
