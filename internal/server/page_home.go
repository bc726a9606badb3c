package server

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/storage"
)

// needItem is a need as lists and cards show it.
type needItem struct {
	storage.NeedRow
	ThemeLabel    string
	TerritoryName string
	Late          bool
	Summary       string // the description's excerpt
}

// refLabels names themes and territories in the page's language and gives
// the options of their selects.
type refLabels struct {
	themes, territories map[string]string
	Themes, Territories []option
}

func (s *Server) refLabels(c *fiber.Ctx) (refLabels, error) {
	themes, territories, err := s.ref.Load(c.UserContext())
	if err != nil {
		return refLabels{}, err
	}
	en := langOf(c) == i18n.EN
	r := refLabels{themes: map[string]string{}, territories: map[string]string{}}
	for _, t := range themes {
		label := t.LabelFR
		if en && t.LabelEN != "" {
			label = t.LabelEN
		}
		r.themes[t.Slug] = label
		if !t.Retired { // retired: still named on old records, no longer offered
			r.Themes = append(r.Themes, option{Value: t.Slug, Label: label})
		}
	}
	for _, t := range territories {
		r.territories[t.Code] = t.Name
	}
	r.Territories = territoryOptions(langOf(c), territories)
	return r, nil
}

// territoryOptions offers the territories not retired, each département
// followed by its employment zones, grouped under its name (a select draws
// them as an optgroup).
func territoryOptions(lang i18n.Lang, territories []storage.Territory) []option {
	zones := map[string][]storage.Territory{}
	known := map[string]bool{}
	for _, t := range territories {
		known[t.Code] = true
	}
	for _, t := range territories {
		if t.Kind == domain.KindEmploymentZone && known[t.Parent()] {
			zones[t.Parent()] = append(zones[t.Parent()], t)
		}
	}
	var out []option
	add := func(t storage.Territory, group string) {
		if !t.Retired {
			out = append(out, option{Value: t.Code, Label: t.Name, Hint: i18n.T(lang, "kind."+t.Kind), Group: group})
		}
	}
	for _, t := range territories {
		switch {
		case t.Kind == domain.KindEmploymentZone && known[t.Parent()]:
			// placed with its département
		case len(zones[t.Code]) > 0:
			add(t, t.Name)
			for _, z := range zones[t.Code] {
				add(z, t.Name)
			}
		default:
			add(t, "")
		}
	}
	return out
}

// Territory names a territory code.
func (r refLabels) Territory(code string) string {
	if n, ok := r.territories[code]; ok {
		return n
	}
	return code
}

func (r refLabels) items(rows []storage.NeedRow) []needItem {
	now := time.Now()
	out := make([]needItem, 0, len(rows))
	for _, n := range rows {
		theme := r.themes[n.Theme]
		if theme == "" {
			theme = n.Theme
		}
		summary, _ := n.Excerpt()
		out = append(out, needItem{NeedRow: n, ThemeLabel: theme, TerritoryName: r.Territory(n.TerritoryCode), Late: n.Overdue(now),
			Summary: summary})
	}
	return out
}

type figure struct {
	Label string // a catalogue key
	Value int
}

type homePage struct {
	layout
	Figures []figure
	Latest  []needItem
	Steps   []domain.Stage
}

// homePage says what Essor is, shows the figures of the moment and the
// latest needs, and invites to report one.
func (s *Server) homePage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	counts, err := s.db.CountByStage(ctx, storage.CountFilter{})
	if err != nil {
		return err
	}
	var total, running, pilots, deployed int
	for stage, n := range counts {
		total += n
		switch stage {
		case domain.StageQualified, domain.StageFeasibility, domain.StageCommittee, domain.StageCarrierSearch:
			running += n
		case domain.StagePilot, domain.StageDeployment:
			pilots += n
		case domain.StageDeployed:
			deployed += n
		}
	}
	ref, err := s.refLabels(c)
	if err != nil {
		return err
	}
	latest, _, err := s.db.Needs(ctx, storage.NeedFilter{Limit: 4, Cards: true})
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "home", homePage{
		layout: s.layout(c, "home", "web.home.title"),
		Figures: []figure{{"web.home.figure.total", total}, {"web.home.figure.running", running},
			{"web.home.figure.pilots", pilots}, {"web.home.figure.deployed", deployed}},
		Latest: ref.items(latest),
		Steps: []domain.Stage{domain.StageCaptured, domain.StageQualified, domain.StageFeasibility, domain.StageCommittee,
			domain.StageCarrierSearch, domain.StagePilot, domain.StageDeployment},
	})
}
