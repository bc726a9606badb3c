package indicators

import (
	"bytes"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/csvexport"
	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/indicators"
	"essor/internal/server/kit"
)

// indicatorFilter reads ?territory=&from=&to= (days; to included).
func indicatorFilter(c *fiber.Ctx) (indicators.Filter, error) {
	f := indicators.Filter{Territory: strings.TrimSpace(c.Query("territory"))}
	fe := domain.FieldErrors{}
	lo, hi := domain.DateBounds(time.Time{})
	for _, p := range []struct {
		name string
		to   *domain.Date
	}{{"from", &f.From}, {"to", &f.To}} {
		v := strings.TrimSpace(c.Query(p.name))
		if v == "" {
			continue
		}
		d, ok := domain.ParseDate(v)
		if !ok {
			fe.Add(p.name, "field.date")
			continue
		}
		if d.Before(lo) || hi.Before(d) {
			fe.Add(p.name, "field.date_range", string(lo), string(hi))
			continue
		}
		*p.to = d
	}
	if f.From != "" && f.To != "" && f.To.Before(f.From) {
		fe.Add("to", "field.end_before_start")
	}
	return f, fe.Err()
}

// report computes the indicators a request asks for; an unknown territory
// is the reader's mistake.
func (s *Handlers) report(c *fiber.Ctx) (indicators.Report, error) {
	f, err := indicatorFilter(c)
	if err != nil {
		return indicators.Report{}, err
	}
	r, err := s.indicators.Report(c.UserContext(), f)
	if errors.Is(err, indicators.ErrUnknownTerritory) {
		fe := domain.FieldErrors{}
		fe.Add("territory", "field.unknown_territory")
		return r, fe.Err()
	}
	return r, err
}

// apiIndicators answers the plan's indicators (public: aggregates only).
func (s *Handlers) apiIndicators(c *fiber.Ctx) error {
	r, err := s.report(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=60")
	return c.JSON(r)
}

// labeller names indicators, stages, themes, territories and funders in lang.
func labeller(lang i18n.Lang, ref kit.RefLabels) indicators.Labeller {
	return func(kind, key string) string {
		switch kind {
		case "theme":
			if l, ok := ref.ThemeNames[key]; ok {
				return l
			}
			return key
		case "territory":
			return ref.Territory(key)
		case "indicator":
			return i18n.T(lang, "indicator."+key)
		}
		return i18n.T(lang, kind+"."+key)
	}
}

// apiIndicatorsCSV is the same as CSV for French spreadsheets.
func (s *Handlers) apiIndicatorsCSV(c *fiber.Ctx) error {
	r, err := s.report(c)
	if err != nil {
		return err
	}
	ref, err := s.RefLabels(c)
	if err != nil {
		return err
	}
	lang := kit.LangOf(c)
	var rows [][]csvexport.Cell
	for _, row := range r.Rows(labeller(lang, ref)) {
		rows = append(rows, []csvexport.Cell{csvexport.Text(row.Indicator), csvexport.Text(row.Title), csvexport.Text(row.Key),
			csvexport.Text(row.Label), csvexport.Decimal(row.Value)})
	}
	// A few hundred rows whatever the base's size (aggregates): written at
	// once, outside the exports' pool, as the same figures in JSON are.
	var buf bytes.Buffer
	header := []string{i18n.T(lang, "export.indicator"), i18n.T(lang, "export.indicator_title"), i18n.T(lang, "export.key"),
		i18n.T(lang, "export.label"), i18n.T(lang, "export.value")}
	if err := csvexport.Write(&buf, header, rows); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="essor-indicateurs.csv"`)
	c.Set(fiber.HeaderCacheControl, "public, max-age=60")
	return c.Send(buf.Bytes())
}
