package server

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/rally"
	"essor/internal/storage"
)

// Rally'nov rounds (api.md, "Rally'nov rounds").

type phaseJSON struct {
	Phase    domain.Phase `json:"phase"`
	StartsAt time.Time    `json:"starts_at"`
	EndsAt   time.Time    `json:"ends_at"`
}

type nextPhaseJSON struct {
	Phase    domain.Phase `json:"phase"`
	StartsAt time.Time    `json:"starts_at"`
}

type stageJSON struct {
	ID       string      `json:"id"`
	Place    string      `json:"place"`
	Date     domain.Date `json:"date"`
	EntryIDs []string    `json:"entry_ids"`
}

type roundJSON struct {
	ID           string              `json:"id"`
	Title        string              `json:"title"`
	CurrentPhase *domain.Phase       `json:"current_phase"`
	NextPhase    *nextPhaseJSON      `json:"next_phase"`
	Phases       []phaseJSON         `json:"phases"`
	Categories   []string            `json:"categories"`
	Criteria     []domain.Criterion  `json:"criteria"`
	EntriesOpen  bool                `json:"entries_open"`
	Entries      int                 `json:"entries"`
	Selection    *roundSelectionJSON `json:"selection"`
	JurySize     int                 `json:"jury_size"` // 0: no jury of its own (any juror scores it)
	Stages       []stageJSON         `json:"stages"`
	Trophies     []domain.Trophy     `json:"trophies"`
	Archived     bool                `json:"archived"`
	CreatedBy    string              `json:"created_by_name"`
	CreatedAt    time.Time           `json:"created_at"`
	UpdatedAt    time.Time           `json:"updated_at"`
}

// roundSelectionJSON is a round's selection: ranks for everyone once it is
// made; means, sheet counts and the entries set apart for organisers only.
type roundSelectionJSON struct {
	At       time.Time          `json:"at"`
	Count    int                `json:"count"`
	Counts   map[string]int     `json:"counts,omitempty"`
	Selected []roundRankedJSON  `json:"selected"`
	Apart    *[]roundRankedJSON `json:"apart,omitempty"`
}

type roundRankedJSON struct {
	EntryID string   `json:"entry_id"`
	Rank    int      `json:"rank,omitempty"`
	Mean    *float64 `json:"mean,omitempty"`
	Sheets  *int     `json:"sheets,omitempty"`
	Needed  int      `json:"needed,omitempty"`
}

func toSelectionJSON(s *domain.Selection, organiser bool) *roundSelectionJSON {
	if s == nil {
		return nil
	}
	ranked := func(list []domain.Ranked) []roundRankedJSON {
		out := make([]roundRankedJSON, 0, len(list))
		for _, r := range list {
			x := roundRankedJSON{EntryID: r.EntryID, Rank: r.Rank}
			if organiser {
				x.Mean, x.Sheets, x.Needed = &r.Mean, &r.Sheets, r.Needed
			}
			out = append(out, x)
		}
		return out
	}
	out := &roundSelectionJSON{At: s.At, Count: s.Count, Counts: s.Counts, Selected: ranked(s.Selected)}
	if organiser {
		apart := ranked(s.Apart)
		out.Apart = &apart
	}
	return out
}

// toRoundJSON is a round as the viewer may see it (organiser: with the scores).
func toRoundJSON(r storage.RoundRow, now time.Time, organiser bool) roundJSON {
	d := r.Domain()
	out := roundJSON{ID: r.ID, Title: r.Title, Categories: r.Categories, Criteria: r.Criteria,
		EntriesOpen: d.EntriesOpen(now), Entries: r.Entries, Selection: toSelectionJSON(r.Selection, organiser),
		JurySize: len(r.Jury), Stages: []stageJSON{},
		Trophies: r.Trophies, Archived: r.Archived, CreatedBy: r.CreatedByName, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if p := d.CurrentPhase(now); p != "" {
		out.CurrentPhase = &p
	}
	if p, at := d.NextPhase(now); p != "" {
		out.NextPhase = &nextPhaseJSON{Phase: p, StartsAt: at}
	}
	for _, sp := range r.Phases {
		out.Phases = append(out.Phases, phaseJSON(sp))
	}
	for _, st := range r.Stages {
		out.Stages = append(out.Stages, stageJSON(st))
	}
	if out.Trophies == nil {
		out.Trophies = []domain.Trophy{}
	}
	return out
}

type entryJSON struct {
	ID              string    `json:"id"`
	RoundID         string    `json:"round_id"`
	Organisation    string    `json:"organisation"`
	Kind            string    `json:"kind"`
	Title           string    `json:"title"`
	Description     string    `json:"description"`
	Category        string    `json:"category"`
	SubmittedBy     string    `json:"submitted_by"`
	SubmittedByName string    `json:"submitted_by_name"`
	SubmittedAt     time.Time `json:"submitted_at"`
	Sheets          *int      `json:"sheets,omitempty"`     // organisers only
	MeanScore       *float64  `json:"mean_score,omitempty"` // organisers only
	MyScore         *float64  `json:"my_score,omitempty"`   // the juror's own sheet
}

func toEntryJSON(e storage.EntryRow, organiser bool) entryJSON {
	out := entryJSON{ID: e.ID, RoundID: e.RoundID, Organisation: e.Organisation, Kind: e.Kind, Title: e.Title,
		Description: e.Description, Category: e.Category, SubmittedBy: e.SubmittedBy, SubmittedByName: e.SubmittedByName,
		SubmittedAt: e.SubmittedAt, MyScore: e.MySheet}
	if organiser {
		out.Sheets, out.MeanScore = &e.Sheets, e.Mean
	}
	return out
}

func isOrganiser(c *fiber.Ctx) bool {
	u, ok := userOf(c)
	return ok && u.Caller().Has(domain.RoleOrganiser)
}

// createRound sets up a round (organisers).
func (s *Server) createRound(c *fiber.Ctx) error {
	var in domain.RoundSetup
	if err := decodeJSON(c, &in); err != nil {
		if typed, ok := domain.As(err); ok && typed.Code == domain.CodeInvalid {
			_, more := in.Validate()
			return withFieldsOf(typed, more)
		}
		return err
	}
	u, _ := userOf(c)
	row, err := s.rally.Create(c.UserContext(), u.Caller(), in, c.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	c.Location("/api/v1/rally/rounds/" + row.ID)
	return c.Status(fiber.StatusCreated).JSON(toRoundJSON(row, time.Now(), true))
}

// listRounds lists rounds, newest first.
func (s *Server) listRounds(c *fiber.Ctx) error {
	fe := domain.FieldErrors{}
	limit, cursor := pageParams(c, fe)
	err := fe.Err()
	if err != nil {
		return err
	}
	rows, next, err := s.db.Rounds(c.UserContext(), limit, cursor)
	if err != nil {
		return err
	}
	now, organiser := time.Now(), isOrganiser(c)
	out := page[roundJSON]{Items: make([]roundJSON, 0, len(rows))}
	for _, r := range rows {
		out.Items = append(out.Items, toRoundJSON(r, now, organiser))
	}
	if next != "" {
		out.NextCursor = &next
	}
	return c.JSON(out)
}

// getRound returns a round with its current phase.
func (s *Server) getRound(c *fiber.Ctx) error {
	row, err := s.db.Round(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(toRoundJSON(row, time.Now(), isOrganiser(c)))
}

// rallyAct sends a command to a round and answers with the round.
func (s *Server) rallyAct(c *fiber.Ctx, cmd domain.RallyCommand, status int) error {
	u, _ := userOf(c)
	row, err := s.rally.Act(c.UserContext(), u.Caller(), c.Params("id"), cmd, c.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	return c.Status(status).JSON(toRoundJSON(row, time.Now(), isOrganiser(c)))
}

// roundPhase moves a round to its next phase now (organisers).
func (s *Server) roundPhase(c *fiber.Ctx) error {
	var in struct {
		Action string `json:"action"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.Action) != string(domain.RallyAdvance) {
		fe := domain.FieldErrors{}
		fe.Add("action", "field.oneof", string(domain.RallyAdvance))
		return fe.Err()
	}
	return s.rallyAct(c, domain.RallyCommand{Action: domain.RallyAdvance}, fiber.StatusOK)
}

// createEntry submits an entry (companies, while identification is open).
func (s *Server) createEntry(c *fiber.Ctx) error {
	var in domain.EntryInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u, _ := userOf(c)
	e, err := s.rally.Enter(c.UserContext(), u.Caller(), c.Params("id"), in, c.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	c.Location("/api/v1/rally/rounds/" + e.RoundID + "/entries")
	return c.Status(fiber.StatusCreated).JSON(toEntryJSON(e, false))
}

// listEntries lists a round's entries: all of them for organisers and
// jurors, one's own for anyone else.
func (s *Server) listEntries(c *fiber.Ctx) error {
	row, err := s.db.Round(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	fe := domain.FieldErrors{}
	limit, cursor := pageParams(c, fe)
	if err := fe.Err(); err != nil {
		return err
	}
	u, _ := userOf(c)
	f := storage.EntryFilter{RoundID: row.ID, Limit: limit, Cursor: cursor}
	if u.Caller().Has(domain.RoleJury) {
		f.Juror = u.ID
	}
	if !u.Caller().Has(domain.RoleOrganiser, domain.RoleJury) {
		f.SubmittedBy = u.ID
	}
	rows, next, err := s.db.Entries(c.UserContext(), f)
	if err != nil {
		return err
	}
	out := page[entryJSON]{Items: make([]entryJSON, 0, len(rows))}
	for _, e := range rows {
		out.Items = append(out.Items, toEntryJSON(e, isOrganiser(c)))
	}
	if next != "" {
		out.NextCursor = &next
	}
	return c.JSON(out)
}

// scoreEntry records a juror's sheet on an entry.
func (s *Server) scoreEntry(c *fiber.Ctx) error {
	var in struct {
		Scores map[string]*float64 `json:"scores"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u, _ := userOf(c)
	cmd := domain.RallyCommand{Action: domain.RallyScore, EntryID: c.Params("entry_id"), Scores: in.Scores}
	row, err := s.rally.Act(c.UserContext(), u.Caller(), c.Params("id"), cmd, c.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	list, _, err := s.db.Entries(c.UserContext(), storage.EntryFilter{RoundID: row.ID, IDs: []string{strings.ToLower(cmd.EntryID)}, Juror: u.ID, Limit: 1})
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return domain.NotFound()
	}
	return c.JSON(toEntryJSON(list[0], isOrganiser(c)))
}

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
func (s *Server) rankedEntries(c *fiber.Ctx, roundID string, ranked []domain.Ranked) ([]rankedJSON, error) {
	out := make([]rankedJSON, 0, len(ranked))
	if len(ranked) == 0 {
		return out, nil
	}
	ids := make([]string, len(ranked))
	for i, r := range ranked {
		ids[i] = r.EntryID
	}
	rows, _, err := s.db.Entries(c.UserContext(), storage.EntryFilter{RoundID: roundID, IDs: ids, Limit: len(ids)})
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
func (s *Server) selectEntries(c *fiber.Ctx) error {
	var in struct {
		Count            *int           `json:"count"`
		CountPerCategory *int           `json:"count_per_category"`
		Counts           map[string]int `json:"counts"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u, _ := userOf(c)
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

// scheduleStage adds a stage of the rally with the selected entries it presents.
func (s *Server) scheduleStage(c *fiber.Ctx) error {
	var in domain.StopInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	return s.rallyAct(c, domain.RallyCommand{Action: domain.RallySchedule, Stop: &in}, fiber.StatusCreated)
}

// awardTrophy awards a category's trophy to a selected entry, at the closing.
func (s *Server) awardTrophy(c *fiber.Ctx) error {
	var in struct {
		Category string `json:"category"`
		EntryID  string `json:"entry_id"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	return s.rallyAct(c, domain.RallyCommand{Action: domain.RallyAward, Category: in.Category, EntryID: in.EntryID}, fiber.StatusCreated)
}

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
func (s *Server) results(c *fiber.Ctx, row storage.RoundRow) (resultsJSON, error) {
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
func (s *Server) roundResults(c *fiber.Ctx) error {
	row, err := s.db.Round(c.UserContext(), c.Params("id"))
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
func (s *Server) roundCalendar(c *fiber.Ctx) error {
	row, err := s.db.Round(c.UserContext(), c.Params("id"))
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
	lang := langOf(c)
	body := rally.Calendar(row, func(p domain.Phase) string { return i18n.T(lang, "rally.phase."+string(p)) },
		func(place string) string { return i18n.T(lang, "rally.ics.stage", place) }, titles)
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="rallynov-`+row.ID+`.ics"`)
	return c.Send(body)
}

type jurorJSON struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Organisation string `json:"organisation"`
}

// roundJurors lists a round's own jury (organisers and jurors).
func (s *Server) roundJurors(c *fiber.Ctx) error {
	row, err := s.db.Round(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	out := struct {
		Items []jurorJSON `json:"items"`
	}{Items: make([]jurorJSON, 0, len(row.Jury))}
	for _, j := range row.Jury {
		u, err := s.db.UserByID(c.UserContext(), j.ID)
		if errors.Is(err, storage.ErrNotFound) { // erased since
			continue
		}
		if err != nil {
			return err
		}
		out.Items = append(out.Items, jurorJSON{ID: u.ID, Name: u.Name, Organisation: u.Organisation})
	}
	return c.JSON(out)
}

// nameJurors gives a round its own jury (organisers, until the selection).
func (s *Server) nameJurors(c *fiber.Ctx) error {
	var in struct {
		UserIDs []string `json:"user_ids"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.UserIDs == nil {
		fe := domain.FieldErrors{}
		fe.Add("user_ids", "field.required")
		return fe.Err()
	}
	u, _ := userOf(c)
	if _, err := s.rally.NameJury(c.UserContext(), u.Caller(), c.Params("id"), in.UserIDs, c.Get("Idempotency-Key")); err != nil {
		return err
	}
	return s.roundJurors(c)
}
