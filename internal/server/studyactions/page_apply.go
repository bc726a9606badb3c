package studyactions

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

type applicationPage struct {
	kit.Layout
	Form      *kit.Form
	Rows      []int
	Kinds     []kit.Option
	Durations []kit.Option
}

// applyForm shows the host company's application form; ?besoin= links it to a need.
func (s *Handlers) applyForm(c *fiber.Ctx) error {
	f := kit.NewForm("", applicationFields...)
	u, _ := kit.UserOf(c)
	f.Set("host_company", u.Organisation)
	f.Set("funder_kind", "region", "cdc", "private")
	if id, ok := domain.ParseID(c.Query("besoin")); ok {
		f.Set("need_id", id)
	}
	return s.Render(c, fiber.StatusOK, "studyaction_new", s.applicationPage(c, f))
}

// apply records an application from the form, through the same service as the API.
func (s *Handlers) apply(c *fiber.Ctx) error {
	f := kit.PostedForm(c, "", applicationFields...)
	app := domain.Application{HostCompany: f.Value("host_company"), HostSIRET: f.Value("host_siret"),
		ProjectTitle: f.Value("project_title"), Summary: f.Value("summary"), Sponsor: f.Value("sponsor"),
		NeedID: f.Value("need_id")}
	fe := domain.FieldErrors{}
	if v := strings.TrimSpace(f.Value("duration_months")); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			app.DurationMonths = n
		} else {
			fe.Add("duration_months", "field.type", "@type.integer")
		}
	}
	app.Financing = financingRows(f, fe)
	err := app.Validate()
	if de, ok := domain.As(err); ok { // a number that could not be read says so, not "required"
		for k, m := range fe {
			de.Fields[k] = m
		}
	} else if len(fe) > 0 {
		err = fe.Err()
	}
	if err == nil {
		u, _ := kit.UserOf(c)
		var row storage.StudyActionRow
		row, err = s.service.Apply(c.UserContext(), u.Caller(), app, "web:"+f.Key)
		if err == nil {
			s.Flash(c, "web.flash.study_applied")
			return c.Redirect(kit.PageURL("studyaction", row.ID), fiber.StatusSeeOther)
		}
	}
	status, ok := f.Fail(kit.LangOf(c), err)
	if !ok {
		return err
	}
	p := s.applicationPage(c, f)
	p.Failed = true
	return s.Render(c, status, "studyaction_new", p)
}

// financingRows reads the co-financing lines of a form; a row left empty is
// skipped, an amount that is not a number is a mistake on "financing".
func financingRows(f *kit.Form, fe domain.FieldErrors) []domain.Financing {
	var out []domain.Financing
	kinds, names, amounts := f.Values["funder_kind"], f.Values["funder_name"], f.Values["funder_amount"]
	for i := range max(len(kinds), len(names), len(amounts)) {
		at := func(vals []string) string {
			if i < len(vals) {
				return strings.TrimSpace(vals[i])
			}
			return ""
		}
		name, amount := at(names), at(amounts)
		if name == "" && amount == "" {
			continue
		}
		line := domain.Financing{Funder: name, Kind: domain.FunderKind(at(kinds))}
		if amount != "" {
			if v, ok := kit.ParseAmount(amount); ok {
				line.AmountEUR = &v
			} else {
				fe.Add("financing", "field.row.type", strconv.Itoa(len(out)+1), "@field.amount_eur", "@type.number")
			}
		}
		out = append(out, line)
	}
	return out
}

func (s *Handlers) applicationPage(c *fiber.Ctx, f *kit.Form) applicationPage {
	p := applicationPage{Layout: s.Layout(c, "studyactions.apply", "web.study.apply"), Form: f}
	for i := range studyFinancingRows {
		p.Rows = append(p.Rows, i)
	}
	for _, k := range domain.StudyFunderKinds {
		p.Kinds = append(p.Kinds, kit.Option{Value: string(k), Label: i18n.T(kit.LangOf(c), "funder."+string(k))})
	}
	for m := domain.MinStudyMonths; m <= domain.MaxStudyMonths; m++ {
		p.Durations = append(p.Durations, kit.Option{Value: strconv.Itoa(m), Label: i18n.T(kit.LangOf(c), "web.study.months", strconv.Itoa(m))})
	}
	return p
}
