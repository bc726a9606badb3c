package rally

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/server/kit"
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
	u, ok := kit.UserOf(c)
	return ok && u.Caller().Has(domain.RoleOrganiser)
}

// createRound sets up a round (organisers).
func (s *Handlers) createRound(c *fiber.Ctx) error {
	var in domain.RoundSetup
	if err := kit.DecodeJSON(c, &in); err != nil {
		if typed, ok := domain.As(err); ok && typed.Code == domain.CodeInvalid {
			_, more := in.Validate()
			return kit.WithFieldsOf(typed, more)
		}
		return err
	}
	u, _ := kit.UserOf(c)
	row, err := s.rally.Create(c.UserContext(), u.Caller(), in, c.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	c.Location("/api/v1/rally/rounds/" + row.ID)
	return c.Status(fiber.StatusCreated).JSON(toRoundJSON(row, time.Now(), true))
}

// listRounds lists rounds, newest first.
func (s *Handlers) listRounds(c *fiber.Ctx) error {
	fe := domain.FieldErrors{}
	limit, cursor := kit.PageParams(c, fe)
	err := fe.Err()
	if err != nil {
		return err
	}
	rows, next, err := s.DB.Rounds(c.UserContext(), limit, cursor)
	if err != nil {
		return err
	}
	now, organiser := time.Now(), isOrganiser(c)
	out := kit.Page[roundJSON]{Items: make([]roundJSON, 0, len(rows))}
	for _, r := range rows {
		out.Items = append(out.Items, toRoundJSON(r, now, organiser))
	}
	if next != "" {
		out.NextCursor = &next
	}
	return c.JSON(out)
}

// getRound returns a round with its current phase.
func (s *Handlers) getRound(c *fiber.Ctx) error {
	row, err := s.DB.Round(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(toRoundJSON(row, time.Now(), isOrganiser(c)))
}

// rallyAct sends a command to a round and answers with the round.
func (s *Handlers) rallyAct(c *fiber.Ctx, cmd domain.RallyCommand, status int) error {
	u, _ := kit.UserOf(c)
	row, err := s.rally.Act(c.UserContext(), u.Caller(), c.Params("id"), cmd, c.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	return c.Status(status).JSON(toRoundJSON(row, time.Now(), isOrganiser(c)))
}

// roundPhase moves a round to its next phase now (organisers).
func (s *Handlers) roundPhase(c *fiber.Ctx) error {
	var in struct {
		Action string `json:"action"`
	}
	if err := kit.DecodeJSON(c, &in); err != nil {
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
func (s *Handlers) createEntry(c *fiber.Ctx) error {
	var in domain.EntryInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	u, _ := kit.UserOf(c)
	e, err := s.rally.Enter(c.UserContext(), u.Caller(), c.Params("id"), in, c.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	c.Location("/api/v1/rally/rounds/" + e.RoundID + "/entries")
	return c.Status(fiber.StatusCreated).JSON(toEntryJSON(e, false))
}

// listEntries lists a round's entries: all of them for organisers and
// jurors, one's own for anyone else.
func (s *Handlers) listEntries(c *fiber.Ctx) error {
	row, err := s.DB.Round(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	fe := domain.FieldErrors{}
	limit, cursor := kit.PageParams(c, fe)
	if err := fe.Err(); err != nil {
		return err
	}
	u, _ := kit.UserOf(c)
	f := storage.EntryFilter{RoundID: row.ID, Limit: limit, Cursor: cursor}
	if u.Caller().Has(domain.RoleJury) {
		f.Juror = u.ID
	}
	if !u.Caller().Has(domain.RoleOrganiser, domain.RoleJury) {
		f.SubmittedBy = u.ID
	}
	rows, next, err := s.DB.Entries(c.UserContext(), f)
	if err != nil {
		return err
	}
	out := kit.Page[entryJSON]{Items: make([]entryJSON, 0, len(rows))}
	for _, e := range rows {
		out.Items = append(out.Items, toEntryJSON(e, isOrganiser(c)))
	}
	if next != "" {
		out.NextCursor = &next
	}
	return c.JSON(out)
}

// scoreEntry records a juror's sheet on an entry.
func (s *Handlers) scoreEntry(c *fiber.Ctx) error {
	var in struct {
		Scores map[string]*float64 `json:"scores"`
	}
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	u, _ := kit.UserOf(c)
	cmd := domain.RallyCommand{Action: domain.RallyScore, EntryID: c.Params("entry_id"), Scores: in.Scores}
	row, err := s.rally.Act(c.UserContext(), u.Caller(), c.Params("id"), cmd, c.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	list, _, err := s.DB.Entries(c.UserContext(), storage.EntryFilter{RoundID: row.ID, IDs: []string{strings.ToLower(cmd.EntryID)}, Juror: u.ID, Limit: 1})
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return domain.NotFound()
	}
	return c.JSON(toEntryJSON(list[0], isOrganiser(c)))
}

// scheduleStage adds a stage of the rally with the selected entries it presents.
func (s *Handlers) scheduleStage(c *fiber.Ctx) error {
	var in domain.StopInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	return s.rallyAct(c, domain.RallyCommand{Action: domain.RallySchedule, Stop: &in}, fiber.StatusCreated)
}

// awardTrophy awards a category's trophy to a selected entry, at the closing.
func (s *Handlers) awardTrophy(c *fiber.Ctx) error {
	var in struct {
		Category string `json:"category"`
		EntryID  string `json:"entry_id"`
	}
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	return s.rallyAct(c, domain.RallyCommand{Action: domain.RallyAward, Category: in.Category, EntryID: in.EntryID}, fiber.StatusCreated)
}
