package server

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
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
