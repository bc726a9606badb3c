package indicators

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/indicators"
	"essor/internal/server/kit"
)

// indicatorsPage is the steering dashboard, a territorial sheet or the
// annual report: the same figures, charts and tables, framed for each.
type indicatorsPage struct {
	kit.Layout
	kit.RefLabels
	Kind        string // dashboard, sheet, report
	Heading     string
	R           indicators.Report
	Filter      *kit.Form
	Funnel      barChart
	ByTerritory barChart
	Months      barChart
	Jobs        barChart
	Rows        []indicators.Row
	Query       string // the filter as a query string, for the exports
	Years       []int
	Departments []kit.Option
}

// Stage names a stage for the page's tables.
func (p indicatorsPage) Stage(key string) string { return i18n.T(p.Lang, "stage."+key) }

// Theme names a theme.
func (p indicatorsPage) Theme(slug string) string {
	if l, ok := p.ThemeNames[slug]; ok {
		return l
	}
	return slug
}

func (s *Handlers) indicatorsView(c *fiber.Ctx, kind, heading string, r indicators.Report) (indicatorsPage, error) {
	ref, err := s.RefLabels(c)
	if err != nil {
		return indicatorsPage{}, err
	}
	lang := kit.LangOf(c)
	p := indicatorsPage{Layout: s.Layout(c, "indicators", ""), RefLabels: ref, Kind: kind, Heading: heading, R: r}
	p.Named = heading
	p.Filter = kit.NewForm("filter-", "territory", "from", "to")
	p.Filter.Set("territory", r.Filter.Territory)
	p.Filter.Set("from", string(r.Filter.From))
	p.Filter.Set("to", string(r.Filter.To))
	p.Query = "?territory=" + r.Filter.Territory + "&from=" + string(r.Filter.From) + "&to=" + string(r.Filter.To)
	p.Rows = r.Rows(labeller(lang, ref))

	// The funnel: how many needs reached each stage of the main road.
	var labels, texts []string
	var values []float64
	counts := map[string]int{}
	for _, c := range r.Needs.ByStage {
		counts[c.Key] = c.N
	}
	for i, st := range domain.MainPath {
		n := 0
		for _, later := range domain.MainPath[i:] {
			n += counts[string(later)]
		}
		label := i18n.T(lang, "stage."+string(st))
		if i == 0 { // every need was submitted: the funnel starts at the headline total
			n, label = r.Needs.Total, i18n.T(lang, "web.ind.funnel_submitted")
		}
		labels = append(labels, label)
		values = append(values, float64(n))
		texts = append(texts, strconv.Itoa(n))
	}
	p.Funnel = horizontalChart("entonnoir", i18n.T(lang, "web.ind.funnel"), i18n.T(lang, "web.ind.funnel_desc"), labels, values, texts, true)

	labels, values, texts = nil, nil, nil
	for _, t := range r.Needs.ByTerritory {
		labels = append(labels, t.Name)
		values = append(values, float64(t.N))
		texts = append(texts, strconv.Itoa(t.N))
	}
	p.ByTerritory = horizontalChart("territoires", i18n.T(lang, "web.ind.by_territory"), i18n.T(lang, "web.ind.by_territory_desc"), labels, values, texts, false)

	var months, jobs []float64
	var mt, jt []string
	labels = nil
	for _, m := range r.Months {
		at, _ := time.Parse("2006-01", m.Month)
		labels = append(labels, i18n.T(lang, "web.month_short."+strconv.Itoa(int(at.Month())))+" "+strconv.Itoa(at.Year()%100))
		months = append(months, float64(m.Submitted))
		mt = append(mt, strconv.Itoa(m.Submitted))
		jobs = append(jobs, m.Jobs)
		jt = append(jt, indicators.Decimal(m.Jobs))
	}
	p.Months = verticalChart("mois", i18n.T(lang, "web.ind.months"), i18n.T(lang, "web.ind.months_desc"), labels, months, mt)
	p.Jobs = verticalChart("emplois", i18n.T(lang, "web.ind.jobs_months"), i18n.T(lang, "web.ind.jobs_months_desc"), labels, jobs, jt)
	for y := time.Now().Year(); y >= 2024; y-- {
		p.Years = append(p.Years, y)
	}
	_, territories, err := s.Ref.Load(c.UserContext())
	if err != nil {
		return p, err
	}
	for _, t := range territories {
		if t.Kind == domain.KindDepartement && !t.Retired {
			p.Departments = append(p.Departments, kit.Option{Value: t.Code, Label: t.Name})
		}
	}
	return p, nil
}

// indicatorsDashboard is the public page of the plan's indicators; a
// refused filter shows every figure again with the message beside the field.
func (s *Handlers) indicatorsDashboard(c *fiber.Ctx) error {
	r, err := s.report(c)
	status, refused := fiber.StatusOK, error(nil)
	if domain.IsCode(err, domain.CodeInvalid) {
		status, refused = fiber.StatusUnprocessableEntity, err
		r, err = s.indicators.Report(c.UserContext(), indicators.Filter{})
	}
	if err != nil {
		return err
	}
	p, err := s.indicatorsView(c, "dashboard", i18n.T(kit.LangOf(c), "web.ind.heading"), r)
	if err != nil {
		return err
	}
	if refused != nil {
		for _, n := range []string{"territory", "from", "to"} {
			p.Filter.Set(n, c.Query(n))
		}
		p.Filter.Fail(kit.LangOf(c), refused)
		p.Failed = true
	}
	return s.Render(c, status, "indicators", p)
}

// territorySheet is a printable sheet of one territory (fiche territoriale).
func (s *Handlers) territorySheet(c *fiber.Ctx) error {
	code := c.Params("code")
	r, err := s.indicators.Report(c.UserContext(), indicators.Filter{Territory: code})
	if err != nil {
		if err == indicators.ErrUnknownTerritory {
			return domain.E(domain.CodeNotFound, "error.territory_not_found")
		}
		return err
	}
	ref, err := s.RefLabels(c)
	if err != nil {
		return err
	}
	p, err := s.indicatorsView(c, "sheet", i18n.T(kit.LangOf(c), "web.ind.sheet", ref.Territory(code)), r)
	if err != nil {
		return err
	}
	return s.Render(c, fiber.StatusOK, "indicators", p)
}

// annualReport is the plan's yearly report, printable.
func (s *Handlers) annualReport(c *fiber.Ctx) error {
	year, err := strconv.Atoi(c.Params("year"))
	if err != nil || year < 2000 || year > 2100 {
		return domain.E(domain.CodeNotFound, "error.not_found")
	}
	y := strconv.Itoa(year)
	r, err := s.indicators.Report(c.UserContext(), indicators.Filter{From: domain.Date(y + "-01-01"), To: domain.Date(y + "-12-31")})
	if err != nil {
		return err
	}
	p, err := s.indicatorsView(c, "report", i18n.T(kit.LangOf(c), "web.ind.report", y), r)
	if err != nil {
		return err
	}
	return s.Render(c, fiber.StatusOK, "indicators", p)
}
