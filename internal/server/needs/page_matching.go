package needs

import (
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// suggestionView is one possible carrier on the need's page.
type suggestionView struct {
	ID, Name string
	Score    string // out of 100
	Reasons  []string
	Invited  bool
}

// matching fills an officer's view of the possible carriers, and the
// choices of the invitation's and the proposal's forms.
func (s *Handlers) matching(c *fiber.Ctx, caller domain.Caller, row storage.NeedRow, p *needPage) error {
	if !caller.Has(domain.RoleOfficer) || !slices.Contains(MatchingStages, row.Stage) {
		return nil
	}
	list, err := s.DB.CarrierSuggestions(c.UserContext(), row.ID, 20)
	if err != nil {
		return err
	}
	lang := kit.LangOf(c)
	p.ShowSuggestions = true
	for _, sg := range suggestionsOf(lang, list) {
		p.Suggestions = append(p.Suggestions, suggestionView{ID: sg.Organisation.ID, Name: sg.Organisation.Name,
			Score: strconv.Itoa(int(sg.Score*100 + 0.5)), Reasons: sg.Reasons, Invited: sg.Invited})
		o := kit.Option{Value: sg.Organisation.ID, Label: sg.Organisation.Name,
			Hint: i18n.T(lang, "web.match.score", strconv.Itoa(int(sg.Score*100+0.5)))}
		p.Suggested = append(p.Suggested, o)
		if !sg.Invited {
			p.Invitable = append(p.Invitable, o)
		}
	}
	return nil
}
