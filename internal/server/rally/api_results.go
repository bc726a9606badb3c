package rally

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/rally"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// resultsJSON is what the public sees of a round: its phases, the selected
// entries, the stages and the trophies (no scores of entries not selected,
// no descriptions, no names of people).
type resultsJSON struct {
	ID           string          `json:"id"`
	Title        string          `json:"title"`
	CurrentPhase *domain.Phase   `json:"current_phase"`
	Phases       []phaseJSON     `json:"phases"`
	Categories   []string        `json:"categories"`
	Selected     []publicEntry   `json:"selected"`
	Stages       []publicStage   `json:"stages"`
	Trophies     []publicTrophy  `json:"trophies"`
	Selection    *publicSelected `json:"selection"`
}

type publicEntry struct {
	Rank         int    `json:"rank"`
	EntryID      string `json:"entry_id"`
	Title        string `json:"title"`
	Organisation string `json:"organisation"`
	Kind         string `json:"kind"`
	Category     string `json:"category"`
}

type publicStage struct {
	Place   string        `json:"place"`
	Date    domain.Date   `json:"date"`
	Entries []publicEntry `json:"entries"`
}

type publicTrophy struct {
	Category  string      `json:"category"`
	Entry     publicEntry `json:"entry"`
	AwardedAt time.Time   `json:"awarded_at"`
}

type publicSelected struct {
	MadeAt time.Time `json:"made_at"`
	Count  int       `json:"count"`
}

// results builds the public results of a round.
func (s *Handlers) results(c *fiber.Ctx, row storage.RoundRow) (resultsJSON, error) {
	out := resultsJSON{ID: row.ID, Title: row.Title, Categories: row.Categories, Selected: []publicEntry{},
		Stages: []publicStage{}, Trophies: []publicTrophy{}}
	d := row.Domain()
	if p := d.CurrentPhase(time.Now()); p != "" {
		out.CurrentPhase = &p
	}
	for _, sp := range row.Phases {
		out.Phases = append(out.Phases, phaseJSON(sp))
	}
	if row.Selection == nil {
		return out, nil
	}
	out.Selection = &publicSelected{MadeAt: row.Selection.At, Count: row.Selection.Count}
	ranked, err := s.rankedEntries(c, row.ID, row.Selection.Selected)
	if err != nil {
		return out, err
	}
	byID := map[string]publicEntry{}
	for _, r := range ranked {
		pe := publicEntry{Rank: r.Rank, EntryID: r.EntryID, Title: r.Title, Organisation: r.Organisation, Kind: r.Kind, Category: r.Category}
		out.Selected = append(out.Selected, pe)
		byID[r.EntryID] = pe
	}
	for _, st := range row.Stages {
		ps := publicStage{Place: st.Place, Date: st.Date, Entries: []publicEntry{}}
		for _, id := range st.EntryIDs {
			ps.Entries = append(ps.Entries, byID[id])
		}
		out.Stages = append(out.Stages, ps)
	}
	for _, t := range row.Trophies {
		out.Trophies = append(out.Trophies, publicTrophy{Category: t.Category, Entry: byID[t.EntryID], AwardedAt: t.AwardedAt})
	}
	return out, nil
}

// roundResults is the public results of a round (no token needed).
func (s *Handlers) roundResults(c *fiber.Ctx) error {
	row, err := s.DB.Round(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	out, err := s.results(c, row)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// roundCalendar is the round's phases and stages as an iCalendar file (public).
func (s *Handlers) roundCalendar(c *fiber.Ctx) error {
	row, err := s.DB.Round(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	titles := map[string]string{}
	if row.Selection != nil {
		ranked, err := s.rankedEntries(c, row.ID, row.Selection.Selected)
		if err != nil {
			return err
		}
		for _, r := range ranked {
			titles[r.EntryID] = r.Title + " (" + r.Organisation + ")"
		}
	}
	lang := kit.LangOf(c)
	body := rally.Calendar(row, func(p domain.Phase) string { return i18n.T(lang, "rally.phase."+string(p)) },
		func(place string) string { return i18n.T(lang, "rally.ics.stage", place) }, titles)
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="rallynov-`+row.ID+`.ics"`)
	return c.Send(body)
}
