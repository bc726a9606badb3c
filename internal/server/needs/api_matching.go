package needs

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// MatchingStages are the stages a need's carrier suggestions are shown at:
// from the committee's decision on.
var MatchingStages = []domain.Stage{domain.StageCommittee, domain.StageCarrierSearch, domain.StagePilot,
	domain.StageDeployment, domain.StageDeployed}

// suggestionJSON is one ranked organisation (api.md "Carrier matching").
type suggestionJSON struct {
	Organisation kit.OrganisationJSON `json:"organisation"`
	Score        float64              `json:"score"`
	Reasons      []string             `json:"reasons"`
	Invited      bool                 `json:"invited"`
}

// suggestionsOf explains each suggestion's score in lang.
func suggestionsOf(lang i18n.Lang, list []storage.CarrierSuggestion) []suggestionJSON {
	out := make([]suggestionJSON, 0, len(list))
	for _, s := range list {
		_, reasons := domain.ScoreCarrier(s.CarrierFacts)
		j := suggestionJSON{Organisation: kit.ToOrganisationJSON(s.Organisation, true), Score: s.Score,
			Reasons: make([]string, 0, len(reasons)), Invited: s.Invited}
		for _, r := range reasons {
			if r.Arg == "" {
				j.Reasons = append(j.Reasons, i18n.T(lang, r.Key))
			} else {
				j.Reasons = append(j.Reasons, i18n.T(lang, r.Key, r.Arg))
			}
		}
		out = append(out, j)
	}
	return out
}

// carrierSuggestions ranks the directory's organisations for a need.
func (s *Handlers) carrierSuggestions(c *fiber.Ctx) error {
	row, err := s.DB.Need(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	if !slices.Contains(MatchingStages, row.Stage) {
		return domain.StageConflict(row.Stage)
	}
	list, err := s.DB.CarrierSuggestions(c.UserContext(), row.ID, 20)
	if err != nil {
		return err
	}
	return c.JSON(suggestionsOf(kit.LangOf(c), list))
}
