package rally

import (
	"maps"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

type rankedJSON struct {
	Rank         int     `json:"rank,omitempty"`
	EntryID      string  `json:"entry_id"`
	Title        string  `json:"title"`
	Organisation string  `json:"organisation"`
	Kind         string  `json:"kind"`
	Category     string  `json:"category"`
	MeanScore    float64 `json:"mean_score"`
	Sheets       int     `json:"sheets"`
	Needed       int     `json:"sheets_needed,omitempty"`
}

type selectionJSON struct {
	MadeAt   time.Time      `json:"made_at"`
	Count    int            `json:"count"`
	Counts   map[string]int `json:"counts,omitempty"`
	Selected []rankedJSON   `json:"selected"`
	Apart    []rankedJSON   `json:"apart"`
}

// rankedEntries reads the entries a ranking names (at most the round's
// bound), in the ranking's order.
func (s *Handlers) rankedEntries(c *fiber.Ctx, roundID string, ranked []domain.Ranked) ([]rankedJSON, error) {
	out := make([]rankedJSON, 0, len(ranked))
	if len(ranked) == 0 {
		return out, nil
	}
	ids := make([]string, len(ranked))
	for i, r := range ranked {
		ids[i] = r.EntryID
	}
	rows, _, err := s.DB.Entries(c.UserContext(), storage.EntryFilter{RoundID: roundID, IDs: ids, Limit: len(ids)})
	if err != nil {
		return nil, err
	}
	byID := map[string]storage.EntryRow{}
	for _, e := range rows {
		byID[e.ID] = e
	}
	for _, r := range ranked {
		e := byID[r.EntryID]
		out = append(out, rankedJSON{Rank: r.Rank, EntryID: r.EntryID, Title: e.Title, Organisation: e.Organisation, Kind: e.Kind,
			Category: e.Category, MeanScore: r.Mean, Sheets: r.Sheets, Needed: r.Needed})
	}
	return out, nil
}

// selectEntries selects the N best entries in all or of each category; it
// closes scoring, and may be redone until the stages phase.
func (s *Handlers) selectEntries(c *fiber.Ctx) error {
	var in struct {
		Count            *int           `json:"count"`
		CountPerCategory *int           `json:"count_per_category"`
		Counts           map[string]int `json:"counts"`
	}
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	u, _ := kit.UserOf(c)
	cmd := domain.RallyCommand{Action: domain.RallySelect, Count: in.Count, CountPerCategory: in.CountPerCategory}
	if in.Counts != nil {
		cmd.Counts = []domain.CategoryCount{}
		for _, name := range slices.Sorted(maps.Keys(in.Counts)) { // one order: the same refusal every time
			cmd.Counts = append(cmd.Counts, domain.CategoryCount{Category: name, Count: in.Counts[name]})
		}
	}
	row, err := s.rally.Act(c.UserContext(), u.Caller(), c.Params("id"), cmd, c.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	if row.Selection == nil { // the read model is behind the workflow: not expected
		return domain.E(domain.CodeUnavailable, "error.unavailable")
	}
	sel := selectionJSON{MadeAt: row.Selection.At, Count: row.Selection.Count, Counts: row.Selection.Counts}
	if sel.Selected, err = s.rankedEntries(c, row.ID, row.Selection.Selected); err != nil {
		return err
	}
	if sel.Apart, err = s.rankedEntries(c, row.ID, row.Selection.Apart); err != nil {
		return err
	}
	return c.JSON(sel)
}

type jurorJSON struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Organisation string `json:"organisation"`
}

// roundJurors lists a round's own jury (organisers and jurors).
func (s *Handlers) roundJurors(c *fiber.Ctx) error {
	row, err := s.DB.Round(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	out := struct {
		Items []jurorJSON `json:"items"`
	}{Items: make([]jurorJSON, 0, len(row.Jury))}
	ids := make([]string, len(row.Jury))
	for i, j := range row.Jury {
		ids[i] = j.ID
	}
	accounts, err := s.DB.UsersByID(c.UserContext(), ids)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if u, ok := accounts[id]; ok { // gone since: left out
			out.Items = append(out.Items, jurorJSON{ID: u.ID, Name: u.Name, Organisation: u.Organisation})
		}
	}
	return c.JSON(out)
}

// nameJurors gives a round its own jury (organisers, until the selection).
func (s *Handlers) nameJurors(c *fiber.Ctx) error {
	var in struct {
		UserIDs []string `json:"user_ids"`
	}
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	if in.UserIDs == nil {
		fe := domain.FieldErrors{}
		fe.Add("user_ids", "field.required")
		return fe.Err()
	}
	u, _ := kit.UserOf(c)
	if _, err := s.rally.NameJury(c.UserContext(), u.Caller(), c.Params("id"), in.UserIDs, c.Get("Idempotency-Key")); err != nil {
		return err
	}
	return s.roundJurors(c)
}
