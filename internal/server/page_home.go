package server

import (
	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

type figure struct {
	Label string // a catalogue key
	Value int
}

type homePage struct {
	kit.Layout
	Figures []figure
	Latest  []kit.NeedItem
	Steps   []domain.Stage
}

// homePage says what Essor is, shows the figures of the moment and the
// latest needs, and invites to report one.
func (s *Server) homePage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	counts, err := s.DB.CountByStage(ctx, storage.CountFilter{})
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
	ref, err := s.RefLabels(c)
	if err != nil {
		return err
	}
	latest, _, err := s.DB.Needs(ctx, storage.NeedFilter{Limit: 4, Cards: true})
	if err != nil {
		return err
	}
	return s.Render(c, fiber.StatusOK, "home", homePage{
		Layout: s.Layout(c, "home", "web.home.title"),
		Figures: []figure{{"web.home.figure.total", total}, {"web.home.figure.running", running},
			{"web.home.figure.pilots", pilots}, {"web.home.figure.deployed", deployed}},
		Latest: ref.Items(latest),
		Steps: []domain.Stage{domain.StageCaptured, domain.StageQualified, domain.StageFeasibility, domain.StageCommittee,
			domain.StageCarrierSearch, domain.StagePilot, domain.StageDeployment},
	})
}
