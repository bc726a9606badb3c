package domain

import (
	"encoding/json"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Phase is a step of a Rally'nov round (domain.md §3).
type Phase string

const (
	PhaseCharacterisation Phase = "characterisation"
	PhaseOrganisation     Phase = "organisation"
	PhaseLaunch           Phase = "launch"
	PhaseIdentification   Phase = "identification"
	PhaseStages           Phase = "stages"
	PhaseClosing          Phase = "closing"
)

// Phases lists a round's phases in their order.
var Phases = []Phase{PhaseCharacterisation, PhaseOrganisation, PhaseLaunch, PhaseIdentification, PhaseStages, PhaseClosing}

// index is the phase's place in Phases (-1 for none or an unknown one).
func (p Phase) index() int { return slices.Index(Phases, p) }

// EntryKinds are the kinds of company that enter a round.
var EntryKinds = []string{"classical", "ess"}

// RallyAction is something that happens to a round.
type RallyAction string

const (
	RallyCreate   RallyAction = "create"
	RallyAdvance  RallyAction = "advance"
	RallyEnter    RallyAction = "enter"
	RallyScore    RallyAction = "score"
	RallySelect   RallyAction = "select"
	RallyNameJury RallyAction = "name_jury"
	RallySchedule RallyAction = "schedule_stage"
	RallyAward    RallyAction = "award"
	// Recorded by the system.
	RallyPhaseStarted RallyAction = "phase_started"
	RallyArchive      RallyAction = "archived"
)

// RoundTable is the round's rule table: every phase rule lives here.
var RoundTable = Rules[RallyAction, Phase]{
	RallyAdvance:  {roles: []Role{RoleOrganiser}},
	RallyEnter:    {roles: []Role{RoleActor}, from: []Phase{PhaseIdentification}},
	RallyScore:    {roles: []Role{RoleJury}},
	RallySelect:   {roles: []Role{RoleOrganiser}, from: []Phase{PhaseIdentification, PhaseStages}},
	RallySchedule: {roles: []Role{RoleOrganiser}, from: []Phase{PhaseIdentification, PhaseStages}},
	RallyAward:    {roles: []Role{RoleOrganiser}, from: []Phase{PhaseClosing}},
	RallyNameJury: {roles: []Role{RoleOrganiser}},
}

// RallyRoles returns who may take a round's action (nil for an unknown one).
func RallyRoles(a RallyAction) []Role { return RoundTable.Roles(a) }

// Bounds of a round, so that its workflow's state stays far below
// Temporal's payload limit (a test fills a round to them).
const (
	MaxRallyCategories = 20
	MaxRallyCriteria   = 20
	MaxRallyEntries    = 1000
	MaxRallyStages     = 30
	MaxStageEntries    = 50
	MaxRallySelection  = 200
	MaxRallyJurors     = 100
	// MaxRoundStateBytes is the largest state, as JSON, a command may grow a round to.
	MaxRoundStateBytes = 768 << 10
	// RoundArchiveAfter is how long after the closing ends a round stays
	// open to late trophies; then its workflow ends.
	RoundArchiveAfter = 90 * 24 * time.Hour
)

// PhaseDates are one phase's dates, as the API carries them (RFC 3339 or a
// day: a start day starts at midnight in Paris, an end day ends at the next).
type PhaseDates struct {
	Phase    Phase  `json:"phase"`
	StartsAt string `json:"starts_at"`
	EndsAt   string `json:"ends_at"`
}

// PhaseSpan is a phase's validated dates.
type PhaseSpan struct {
	Phase    Phase     `json:"phase"`
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
}

// Criterion is a line of the jury's grid.
type Criterion struct {
	Key    string  `json:"key"`
	Label  string  `json:"label"`
	Weight float64 `json:"weight"`
}

// RoundSetup is the body of POST /rally/rounds; the set-up form carries the same names.
type RoundSetup struct {
	Title      string       `json:"title"`
	Phases     []PhaseDates `json:"phases"`
	Categories []string     `json:"categories"`
	Criteria   []Criterion  `json:"criteria"`
}

var criterionKey = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// parseInstant reads a phase bound: an RFC 3339 time, or a day taken in
// Paris (its start, or with end its end).
func parseInstant(s string, end bool) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), true
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, Paris); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t.UTC(), true
	}
	return time.Time{}, false
}

// Validate checks the set-up and returns the phases' spans in order; 422
// naming every failing field otherwise. Phases are the six, once each; each
// starts no earlier than the one before and ends after it starts; overlaps
// and gaps are allowed.
func (s *RoundSetup) Validate() ([]PhaseSpan, error) {
	fe := FieldErrors{}
	checkText(fe, "title", &s.Title, true, 5, 200)
	lo, hi := DateBounds(time.Time{})
	spans := make([]PhaseSpan, len(Phases))
	seen := map[Phase]bool{}
	for _, pd := range s.Phases {
		i := pd.Phase.index()
		switch {
		case i < 0:
			fe.Add("phases", "field.phase_unknown", string(pd.Phase))
			continue
		case seen[pd.Phase]:
			fe.Add("phases", "field.phase_twice", "@rally.phase."+string(pd.Phase))
			continue
		}
		seen[pd.Phase] = true
		start, ok1 := parseInstant(pd.StartsAt, false)
		end, ok2 := parseInstant(pd.EndsAt, true)
		if !ok1 || !ok2 {
			fe.Add("phases", "field.phase_dates", "@rally.phase."+string(pd.Phase))
			continue
		}
		if start.Before(lo.Time()) || end.After(Date(hi).End()) {
			fe.Add("phases", "field.phase_range", "@rally.phase."+string(pd.Phase), string(lo), string(hi))
			continue
		}
		spans[i] = PhaseSpan{Phase: pd.Phase, StartsAt: start, EndsAt: end}
	}
	if _, failed := fe["phases"]; !failed {
		for i, p := range Phases {
			switch {
			case !seen[p]:
				fe.Add("phases", "field.phase_missing", "@rally.phase."+string(p))
			case !spans[i].EndsAt.After(spans[i].StartsAt):
				fe.Add("phases", "field.phase_end", "@rally.phase."+string(p))
			case i > 0 && seen[Phases[i-1]] && spans[i].StartsAt.Before(spans[i-1].StartsAt):
				fe.Add("phases", "field.phase_order", "@rally.phase."+string(p), "@rally.phase."+string(Phases[i-1]))
			}
		}
	}
	switch {
	case len(s.Categories) == 0:
		fe.Add("categories", "field.required")
	case len(s.Categories) > MaxRallyCategories:
		fe.Add("categories", "field.max_items", strconv.Itoa(MaxRallyCategories))
	}
	var catKeys []string
	for i := range s.Categories {
		sub := FieldErrors{}
		checkText(sub, "category", &s.Categories[i], true, 2, 100)
		if m, ok := sub["category"]; ok {
			fe.Add("categories", "field.item."+strings.TrimPrefix(m.Key, "field."), append([]string{strconv.Itoa(i + 1)}, m.Args[1:]...)...)
		} else if k := NormaliseKey(s.Categories[i]); slices.Contains(catKeys, k) {
			fe.Add("categories", "field.item.duplicate", strconv.Itoa(i+1), s.Categories[i])
		} else {
			catKeys = append(catKeys, k)
		}
	}
	switch {
	case len(s.Criteria) == 0:
		fe.Add("criteria", "field.required")
	case len(s.Criteria) > MaxRallyCriteria:
		fe.Add("criteria", "field.max_items", strconv.Itoa(MaxRallyCriteria))
	}
	var keys []string
	for i := range s.Criteria {
		c := &s.Criteria[i]
		row := strconv.Itoa(i + 1)
		c.Key = strings.TrimSpace(c.Key)
		sub := FieldErrors{}
		switch {
		case c.Key == "":
			sub.Add("criterion_key", "field.required")
		case !criterionKey.MatchString(c.Key):
			sub.Add("criterion_key", "field.slug_format")
		case slices.Contains(keys, c.Key):
			sub.Add("criterion_key", "field.duplicate_criterion")
		}
		keys = append(keys, c.Key)
		checkText(sub, "criterion_label", &c.Label, true, 2, 200)
		w := c.Weight
		checkNumber(sub, "weight", &w, true, 0, 100, true)
		for _, name := range []string{"criterion_key", "criterion_label", "weight"} {
			if m, ok := sub[name]; ok {
				fe.Add("criteria", "field.row."+strings.TrimPrefix(m.Key, "field."), append([]string{row, m.Args[0]}, m.Args[1:]...)...)
				break
			}
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return spans, nil
}

// Stop is a stage of the rally (étape): a place, a day and the selected
// entries presented there.
type Stop struct {
	ID       string   `json:"id"`
	Place    string   `json:"place"`
	Date     Date     `json:"date"`
	EntryIDs []string `json:"entry_ids"`
}

// Trophy is a category's Social-Innovation Trophy.
type Trophy struct {
	Category  string    `json:"category"`
	EntryID   string    `json:"entry_id"`
	AwardedAt time.Time `json:"awarded_at"`
}

// Ranked is an entry's place in the selection.
type Ranked struct {
	EntryID string  `json:"entry_id"`
	Rank    int     `json:"rank,omitempty"` // 1 for the best; 0 for an entry listed apart
	Mean    float64 `json:"mean"`           // weighted mean of its sheets, 0..10
	Sheets  int     `json:"sheets"`
	Needed  int     `json:"needed,omitempty"` // listed apart: the sheets it would need
}

// Juror is a member of a round's jury: the account, and the organisation
// key that rules out scoring its own entries.
type Juror struct {
	ID  string `json:"id"`
	Key string `json:"k"`
}

// Selection is the organiser's choice of the best entries; it closes scoring.
type Selection struct {
	At    time.Time `json:"at"`
	Count int       `json:"count"`
	// Counts, when the selection was made per category: how many each
	// category was given (ranks then count within the category).
	Counts   map[string]int `json:"counts,omitempty"`
	Selected []Ranked       `json:"selected"`
	// Apart are the entries with fewer sheets than half the jurors who may
	// score them: listed, never silently ranked.
	Apart []Ranked `json:"apart"`
}

// Round is a Rally'nov round as its rules need it: set-up, phase,
// selection, stages and trophies. Entries and sheets are counted in RoundBook.
type Round struct {
	ID         string      `json:"id"`
	Title      string      `json:"title"`
	Phases     []PhaseSpan `json:"phases"`
	Categories []string    `json:"categories"`
	Criteria   []Criterion `json:"criteria"`
	CreatedBy  Caller      `json:"created_by"`
	CreatedAt  time.Time   `json:"created_at"`
	UpdatedAt  time.Time   `json:"updated_at"`
	// Phase is the latest phase reached by its date or by advance ("" before any).
	Phase Phase    `json:"phase,omitempty"`
	Fired []string `json:"fired,omitempty"` // deadline keys passed
	// Jury is the round's own jury, as the organiser named it; a round
	// without one is scored by any juror, and its selection counts those who scored.
	Jury      []Juror    `json:"jury,omitempty"`
	Selection *Selection `json:"selection,omitempty"`
	Stops     []Stop     `json:"stages,omitempty"`
	Trophies  []Trophy   `json:"trophies,omitempty"`
	Archived  bool       `json:"archived,omitempty"`
	Seq       int        `json:"seq"`
	Version   int64      `json:"version"`
}

// EntryMark is what the rules need of an entry: who it belongs to (for the
// jurors' conflicts), its category, when it came, and its sheets.
type EntryMark struct {
	ID       string      `json:"id"`
	Keys     []string    `json:"k"` // who stands behind it: "user:" the entrant, and their account's organisation keys
	Category int         `json:"c"` // index in Round.Categories
	At       time.Time   `json:"at"`
	Sheets   []SheetMark `json:"s,omitempty"`
}

// StakeOf tells whether a juror stands behind the entry: its entrant, or a
// member of the entrant's organisation (by its record or its account label).
func (e EntryMark) StakeOf(juror Caller) bool {
	for _, k := range append([]string{"user:" + juror.UserID}, juror.OrganisationKeys()...) {
		if slices.Contains(e.Keys, k) {
			return true
		}
	}
	return false
}

// SheetMark is a juror's weighted score of an entry (0..10); J indexes RoundBook.Jurors.
type SheetMark struct {
	J     int     `json:"j"`
	Score float64 `json:"v"`
}

// RoundBook holds the entries and sheets, compactly: the texts live only in
// the read model, so a round of a thousand entries scored by twenty jurors
// stays a few hundred kilobytes.
type RoundBook struct {
	Entries []EntryMark `json:"entries,omitempty"`
	Jurors  []string    `json:"jurors,omitempty"`
}

// RoundState is the whole state a round's workflow keeps.
type RoundState struct {
	Round Round     `json:"round"`
	Book  RoundBook `json:"book"`
	// SelectOnce keeps a replayed history's rule: before a selection could
	// be redone, a second one was refused (the workflow sets it).
	SelectOnce bool `json:"-"`
}

// EntryInput is the body of POST /rally/rounds/{id}/entries; the form shares its names.
type EntryInput struct {
	Organisation string `json:"organisation"`
	Kind         string `json:"kind"`
	Title        string `json:"title"`
	Description  string `json:"description"`
	Category     string `json:"category"`
}

// StopInput is the body of POST /rally/rounds/{id}/stages.
type StopInput struct {
	Place    string   `json:"place"`
	Day      string   `json:"day"`
	EntryIDs []string `json:"entry_ids"`
}

// CategoryCount is how many entries of one category a selection takes.
type CategoryCount struct {
	Category string `json:"category"`
	Count    int    `json:"count"`
}

// RallyCommand is one action on a round, with who asks for it.
type RallyCommand struct {
	Action RallyAction `json:"action"`
	Caller Caller      `json:"caller"`
	// enter: the entry (its id chosen by the service, so a retry names the same one)
	EntryID string      `json:"entry_id,omitempty"`
	Entry   *EntryInput `json:"entry,omitempty"`
	// score
	Scores map[string]*float64 `json:"scores,omitempty"`
	// select: how many in all, or in each category, or per category named;
	// and, for a round without its own jury, the organisation key of each
	// juror who may count (one each)
	Count            *int            `json:"count,omitempty"`
	CountPerCategory *int            `json:"count_per_category,omitempty"`
	Counts           []CategoryCount `json:"counts,omitempty"`
	Jury             []string        `json:"jury,omitempty"`
	// name_jury: the round's jurors (accounts checked by the service)
	Jurors []Juror `json:"jurors,omitempty"`
	// schedule_stage
	Stop *StopInput `json:"stage,omitempty"`
	// award (with EntryID)
	Category string `json:"category,omitempty"`
}

// NewRound builds a round from a validated set-up, and its first event.
func NewRound(id string, s RoundSetup, spans []PhaseSpan, by Caller, now time.Time) (*Round, Event) {
	r := &Round{ID: id, Title: s.Title, Phases: spans, Categories: s.Categories, Criteria: s.Criteria,
		CreatedBy: Caller{UserID: by.UserID, Name: by.Name}, CreatedAt: now, UpdatedAt: now}
	ev := r.record(by, RallyCreate, "", "", now)
	return r, ev
}

// Span returns a phase's dates.
func (r *Round) Span(p Phase) PhaseSpan {
	if i := p.index(); i >= 0 && i < len(r.Phases) {
		return r.Phases[i]
	}
	return PhaseSpan{}
}

// CurrentPhase is the latest phase whose start has passed (even in a gap
// after its end) or that the organiser advanced to; "" before the first.
// It reads the dates as well as the recorded phase, so that it is right
// even in the moment before the phase's timer records the change.
func (r *Round) CurrentPhase(now time.Time) Phase {
	cur := r.Phase.index()
	for i, sp := range r.Phases {
		if !sp.StartsAt.After(now) && i > cur {
			cur = i
		}
	}
	if cur < 0 {
		return ""
	}
	return Phases[cur]
}

// EntriesOpen tells whether entries are accepted now: identification is
// the current phase, its end has not passed, and nothing has been selected.
func (r *Round) EntriesOpen(now time.Time) bool {
	return r.CurrentPhase(now) == PhaseIdentification && now.Before(r.Span(PhaseIdentification).EndsAt) && r.Selection == nil
}

// NextPhase is the phase after the current one, with its start ("" at the closing).
func (r *Round) NextPhase(now time.Time) (Phase, time.Time) {
	i := r.CurrentPhase(now).index() + 1
	if i >= len(Phases) || i >= len(r.Phases) {
		return "", time.Time{}
	}
	return Phases[i], r.Phases[i].StartsAt
}

// phaseConflict is the 409 naming the current phase.
func phaseConflict(p Phase) *Error {
	if p == "" {
		return E(CodeStage, "error.rally_not_started")
	}
	return E(CodeStage, "error.rally_phase", "@rally.phase."+string(p))
}

// parisStart is the first instant of a day in Paris.
func parisStart(d Date) time.Time {
	t := d.Time()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, Paris).UTC()
}

// frenchDay writes an instant as a day in Paris (messages name dates).
func frenchDay(t time.Time) string { return t.In(Paris).Format("02/01/2006") }

// entry returns the index of an entry in the book (-1 when unknown).
func (b *RoundBook) entry(id string) int {
	return slices.IndexFunc(b.Entries, func(e EntryMark) bool { return e.ID == id })
}

// Authorize checks, without changing anything, that the caller may act now:
// 422 unknown action, 403 role (or a juror's own organisation), 404 unknown
// entry, 409 phase or state.
func (st *RoundState) Authorize(cmd RallyCommand, now time.Time) error {
	r, b := &st.Round, &st.Book
	if _, err := RoundTable.Check(cmd.Action, cmd.Caller); err != nil {
		return err
	}
	if r.Archived {
		return E(CodeStage, "error.rally_archived")
	}
	cur := r.CurrentPhase(now)
	if !RoundTable.AllowedFrom(cmd.Action, cur) {
		if cmd.Action == RallyEnter {
			return entriesClosed(r, cur)
		}
		return phaseConflict(cur)
	}
	switch cmd.Action {
	case RallyAdvance:
		if cur == PhaseClosing {
			return E(CodeStage, "error.rally_last_phase")
		}
	case RallyEnter:
		if !r.EntriesOpen(now) {
			return entriesClosed(r, cur)
		}
		if len(b.Entries) >= MaxRallyEntries {
			return E(CodeConflict, "error.rally_too_many_entries", strconv.Itoa(MaxRallyEntries))
		}
	case RallyScore:
		i := b.entry(cmd.EntryID)
		if i < 0 {
			return NotFound()
		}
		if !r.InJury(cmd.Caller.UserID) {
			return E(CodeForbidden, "error.rally_not_round_juror")
		}
		if b.Entries[i].StakeOf(cmd.Caller) {
			return E(CodeForbidden, "error.rally_own_entry")
		}
		if r.Selection != nil {
			return E(CodeStage, "error.rally_scoring_closed")
		}
	case RallySelect:
		switch {
		case r.Selection == nil:
		case st.SelectOnce:
			return E(CodeConflict, "error.rally_already_selected")
		case cur != PhaseIdentification || len(r.Stops) > 0:
			return E(CodeStage, "error.rally_selection_final")
		}
	case RallyNameJury:
		if r.Selection != nil {
			return E(CodeStage, "error.rally_jury_after_selection")
		}
	case RallySchedule:
		if r.Selection == nil {
			return E(CodeStage, "error.rally_no_selection")
		}
		if len(r.Stops) >= MaxRallyStages {
			return E(CodeConflict, "error.rally_too_many_stages", strconv.Itoa(MaxRallyStages))
		}
	case RallyAward:
		if slices.ContainsFunc(r.Trophies, func(t Trophy) bool { return NormaliseKey(t.Category) == NormaliseKey(cmd.Category) }) {
			return E(CodeConflict, "error.rally_trophy_awarded", cmd.Category)
		}
	}
	return nil
}

// entriesClosed is the 409 of an entry outside identification, naming its dates.
func entriesClosed(r *Round, cur Phase) *Error {
	sp := r.Span(PhaseIdentification)
	now := "@rally.phase.none"
	if cur != "" {
		now = "@rally.phase." + string(cur)
	}
	return E(CodeStage, "error.rally_entries_closed", frenchDay(sp.StartsAt), frenchDay(sp.EndsAt.Add(-time.Nanosecond)), now)
}

// Validate checks the command's own fields (422 naming each).
func (st *RoundState) Validate(cmd *RallyCommand) error {
	r, b := &st.Round, &st.Book
	fe := FieldErrors{}
	switch cmd.Action {
	case RallyEnter:
		if cmd.Entry == nil {
			cmd.Entry = &EntryInput{}
		}
		in := cmd.Entry
		checkText(fe, "organisation", &in.Organisation, true, 2, 200)
		in.Kind = strings.TrimSpace(in.Kind)
		if in.Kind == "" {
			fe.Add("kind", "field.required")
		} else if !slices.Contains(EntryKinds, in.Kind) {
			fe.Add("kind", "field.oneof", strings.Join(EntryKinds, ", "))
		}
		checkText(fe, "title", &in.Title, true, 5, 200)
		checkText(fe, "description", &in.Description, true, 20, 10000)
		in.Category = strings.TrimSpace(in.Category)
		if in.Category == "" {
			fe.Add("category", "field.required")
		} else if r.category(in.Category) < 0 {
			fe.Add("category", "field.oneof", strings.Join(r.Categories, ", "))
		}
	case RallyScore:
		for _, c := range r.Criteria {
			v, ok := cmd.Scores[c.Key]
			switch {
			case !ok || v == nil:
				fe.Add("scores", "field.score_missing", c.Label)
			case math.IsNaN(*v) || math.IsInf(*v, 0) || *v < 0 || *v > 10:
				fe.Add("scores", "field.score_range", c.Label)
			}
		}
		known := 0
		for _, c := range r.Criteria {
			if _, ok := cmd.Scores[c.Key]; ok {
				known++
			}
		}
		if len(cmd.Scores) > known {
			fe.Add("scores", "field.score_unknown")
		}
	case RallySelect:
		r.checkCounts(fe, cmd)
	case RallyNameJury:
		switch {
		case len(cmd.Jurors) == 0:
			fe.Add("user_ids", "field.required")
		case len(cmd.Jurors) > MaxRallyJurors:
			fe.Add("user_ids", "field.max_items", strconv.Itoa(MaxRallyJurors))
		}
	case RallySchedule:
		if cmd.Stop == nil {
			cmd.Stop = &StopInput{}
		}
		in := cmd.Stop
		checkText(fe, "place", &in.Place, true, 2, 200)
		d, ok := ParseDate(in.Day)
		sp := r.Span(PhaseStages)
		switch {
		case strings.TrimSpace(in.Day) == "":
			fe.Add("day", "field.required")
		case !ok:
			fe.Add("day", "field.date")
		case !d.End().After(sp.StartsAt) || !parisStart(d).Before(sp.EndsAt):
			// a stage's day (in Paris) must meet the stages phase
			fe.Add("day", "field.stage_date", frenchDay(sp.StartsAt), frenchDay(sp.EndsAt.Add(-time.Nanosecond)))
		default:
			in.Day = string(d)
		}
		switch {
		case len(in.EntryIDs) == 0:
			fe.Add("entry_ids", "field.required")
		case len(in.EntryIDs) > MaxStageEntries:
			fe.Add("entry_ids", "field.max_items", strconv.Itoa(MaxStageEntries))
		}
		var ids []string
		for _, raw := range in.EntryIDs {
			id, ok := ParseID(raw)
			switch {
			case !ok:
				fe.Add("entry_ids", "field.uuid")
			case slices.Contains(ids, id):
				fe.Add("entry_ids", "field.entry_twice")
			case r.Selection != nil && !r.Selection.Has(id):
				fe.Add("entry_ids", "field.entry_not_selected")
			}
			ids = append(ids, id)
		}
		in.EntryIDs = ids
	case RallyAward:
		cmd.Category = strings.TrimSpace(cmd.Category)
		ci := r.category(cmd.Category)
		if cmd.Category == "" {
			fe.Add("category", "field.required")
		} else if ci < 0 {
			fe.Add("category", "field.oneof", strings.Join(r.Categories, ", "))
		} else {
			cmd.Category = r.Categories[ci]
		}
		id, ok := ParseID(cmd.EntryID)
		switch {
		case strings.TrimSpace(cmd.EntryID) == "":
			fe.Add("entry_id", "field.required")
		case !ok:
			fe.Add("entry_id", "field.uuid")
		case r.Selection == nil || !r.Selection.Has(id):
			fe.Add("entry_id", "field.entry_not_selected")
		case ci >= 0 && b.entry(id) >= 0 && b.Entries[b.entry(id)].Category != ci:
			fe.Add("entry_id", "field.entry_category", r.Categories[ci])
		}
		cmd.EntryID = id
	}
	return fe.Err()
}

func checkCount(fe FieldErrors, n *int) {
	switch {
	case n == nil:
		fe.Add("count", "field.required")
	case *n < 1:
		fe.Add("count", "field.min", "1")
	case *n > MaxRallySelection:
		fe.Add("count", "field.max", strconv.Itoa(MaxRallySelection))
	}
}

// checkCounts checks a selection's size: exactly one of count (in all),
// count_per_category, or counts (category → how many), within bounds; the
// counts' categories are rewritten in the round's own spelling.
func (r *Round) checkCounts(fe FieldErrors, cmd *RallyCommand) {
	given := 0
	for _, set := range []bool{cmd.Count != nil, cmd.CountPerCategory != nil, cmd.Counts != nil} {
		if set {
			given++
		}
	}
	switch {
	case given == 0:
		fe.Add("count", "field.required")
		return
	case given > 1:
		fe.Add("count", "field.selection_one_way")
		return
	case cmd.Count != nil:
		checkCount(fe, cmd.Count)
		return
	case cmd.CountPerCategory != nil:
		n := *cmd.CountPerCategory
		if n < 1 {
			fe.Add("count_per_category", "field.min", "1")
		} else if n > MaxRallySelection/max(1, len(r.Categories)) { // divided, not multiplied: a huge n cannot wrap
			fe.Add("count_per_category", "field.max", strconv.Itoa(MaxRallySelection/max(1, len(r.Categories))))
		}
		return
	}
	per, total := make([]int, len(r.Categories)), 0
	for _, c := range cmd.Counts {
		ci := r.category(c.Category)
		switch {
		case ci < 0:
			fe.Add("counts", "field.oneof", strings.Join(r.Categories, ", "))
			return
		case c.Count < 0:
			fe.Add("counts", "field.min", "0")
			return
		case c.Count > MaxRallySelection: // before the sum, which a huge count would wrap
			fe.Add("counts", "field.max", strconv.Itoa(MaxRallySelection))
			return
		}
		per[ci] += c.Count
		total += c.Count
	}
	switch {
	case total < 1:
		fe.Add("counts", "field.min", "1")
	case total > MaxRallySelection:
		fe.Add("counts", "field.max", strconv.Itoa(MaxRallySelection))
	default: // in the round's order and spelling
		cmd.Counts = make([]CategoryCount, len(per))
		for i, n := range per {
			cmd.Counts[i] = CategoryCount{Category: r.Categories[i], Count: n}
		}
	}
}

// category returns the index of a category named in any spelling (-1 if none).
func (r *Round) category(name string) int {
	k := NormaliseKey(name)
	return slices.IndexFunc(r.Categories, func(c string) bool { return NormaliseKey(c) == k })
}

// Has tells whether an entry is among the selected ones.
func (s *Selection) Has(id string) bool {
	return slices.ContainsFunc(s.Selected, func(x Ranked) bool { return x.EntryID == id })
}

// Room refuses a command that could grow the state past MaxRoundStateBytes.
// Only the entry's identity and a sheet's one number enter the state, so a
// command adds at most its keys and a little bookkeeping.
func (st *RoundState) Room(cmd RallyCommand) error {
	state, err := json.Marshal(st)
	if err == nil && len(state)+len(cmd.Caller.Organisation)+len(cmd.Caller.OrganisationID)+2*len(cmd.Caller.UserID)+1024 > MaxRoundStateBytes {
		return E(CodeConflict, "error.rally_full")
	}
	return nil
}

// WeightedScore is a sheet's score on the grid: the weighted mean of its
// criteria, 0..10.
func (r *Round) WeightedScore(scores map[string]*float64) float64 {
	var sum, weights float64
	for _, c := range r.Criteria {
		if v := scores[c.Key]; v != nil {
			sum += c.Weight * *v
		}
		weights += c.Weight
	}
	if weights == 0 {
		return 0
	}
	return roundScore(sum / weights)
}

// roundScore keeps six decimals, so that equal means compare equal however
// their sums were ordered.
func roundScore(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// Rank orders the entries for a selection of count: by weighted mean of
// their sheets, best first, ties broken by the earliest submission (then
// the id, so that the order is total). An entry with fewer sheets than half
// the jurors who may score it (those of another organisation) is listed
// apart, never ranked. jury holds one organisation key per active juror.
func Rank(entries []EntryMark, jury []string, count int) (selected, apart []Ranked) {
	type cand struct {
		Ranked
		at time.Time
	}
	var ranked []cand
	for _, e := range entries {
		eligible := 0
		for _, k := range jury {
			if !slices.Contains(e.Keys, k) {
				eligible++
			}
		}
		x := Ranked{EntryID: e.ID, Sheets: len(e.Sheets)}
		if len(e.Sheets) > 0 {
			var sum float64
			for _, s := range e.Sheets {
				sum += s.Score
			}
			x.Mean = roundScore(sum / float64(len(e.Sheets)))
		}
		if len(e.Sheets) == 0 || 2*len(e.Sheets) < eligible {
			x.Needed = max(1, (eligible+1)/2)
			apart = append(apart, x)
			continue
		}
		ranked = append(ranked, cand{x, e.At})
	}
	slices.SortStableFunc(ranked, func(a, b cand) int {
		switch {
		case a.Mean != b.Mean:
			if a.Mean > b.Mean {
				return -1
			}
			return 1
		case !a.at.Equal(b.at):
			return a.at.Compare(b.at)
		}
		return strings.Compare(a.EntryID, b.EntryID)
	})
	for i, c := range ranked {
		if i >= count {
			break
		}
		c.Rank = i + 1
		selected = append(selected, c.Ranked)
	}
	if selected == nil {
		selected = []Ranked{}
	}
	if apart == nil {
		apart = []Ranked{}
	}
	return selected, apart
}

// Apply carries out an authorised, valid command and returns its events.
// Deterministic: same state, command and time, same result.
func (st *RoundState) Apply(cmd RallyCommand, now time.Time) []Event {
	r, b := &st.Round, &st.Book
	switch cmd.Action {
	case RallyAdvance:
		from := r.CurrentPhase(now)
		to := Phases[from.index()+1]
		return []Event{r.reach(cmd.Caller, RallyAdvance, from, to, now)}
	case RallyEnter:
		// The entrant and their account's organisation: the name typed on
		// the entry is a label and never keeps a juror from scoring.
		keys := append([]string{"user:" + cmd.Caller.UserID}, cmd.Caller.OrganisationKeys()...)
		b.Entries = append(b.Entries, EntryMark{ID: cmd.EntryID, Keys: keys, Category: r.category(cmd.Entry.Category), At: now})
		ev := r.record(cmd.Caller, RallyEnter, "", "", now)
		ev.Data = map[string]string{"entry_id": cmd.EntryID, "title": cmd.Entry.Title, "organisation": cmd.Entry.Organisation}
		return []Event{ev}
	case RallyScore:
		e := &b.Entries[b.entry(cmd.EntryID)]
		j := slices.Index(b.Jurors, cmd.Caller.UserID)
		if j < 0 {
			b.Jurors = append(b.Jurors, cmd.Caller.UserID)
			j = len(b.Jurors) - 1
		}
		score := r.WeightedScore(cmd.Scores)
		ev := r.record(cmd.Caller, RallyScore, "", "", now)
		ev.Data = map[string]string{"entry_id": cmd.EntryID, "score": strconv.FormatFloat(score, 'f', -1, 64)}
		if k := slices.IndexFunc(e.Sheets, func(s SheetMark) bool { return s.J == j }); k >= 0 {
			e.Sheets[k].Score = score
			ev.Data["replaced"] = "true"
		} else {
			e.Sheets = append(e.Sheets, SheetMark{J: j, Score: score})
		}
		return []Event{ev}
	case RallySelect:
		jury := cmd.Jury
		if len(r.Jury) > 0 {
			jury = make([]string, len(r.Jury))
			for i, j := range r.Jury {
				jury[i] = j.Key
			}
		}
		redone := r.Selection != nil
		r.Selection = r.selection(b.Entries, jury, cmd, now)
		ev := r.record(cmd.Caller, RallySelect, "", "", now)
		ids := make([]string, len(r.Selection.Selected))
		for i, s := range r.Selection.Selected {
			ids[i] = s.EntryID
		}
		ev.Data = map[string]string{"count": strconv.Itoa(r.Selection.Count), "selected": strings.Join(ids, ","),
			"apart": strconv.Itoa(len(r.Selection.Apart)), "jury": strconv.Itoa(len(jury))}
		if redone {
			ev.Data["redone"] = "true"
		}
		return []Event{ev}
	case RallyNameJury:
		var ids, added []string
		for _, j := range cmd.Jurors {
			ids = append(ids, j.ID)
			if !slices.ContainsFunc(r.Jury, func(o Juror) bool { return o.ID == j.ID }) {
				added = append(added, j.ID)
			}
		}
		r.Jury = slices.Clone(cmd.Jurors)
		ev := r.record(cmd.Caller, RallyNameJury, "", "", now)
		ev.Data = map[string]string{"jurors": strings.Join(ids, ","), "added": strings.Join(added, ",")}
		return []Event{ev}
	case RallySchedule:
		ev := r.record(cmd.Caller, RallySchedule, "", "", now)
		s := Stop{ID: DerivedID(r.ID, "stage", strconv.Itoa(ev.Seq)), Place: cmd.Stop.Place, Date: Date(cmd.Stop.Day),
			EntryIDs: slices.Clone(cmd.Stop.EntryIDs)}
		r.Stops = append(r.Stops, s)
		slices.SortStableFunc(r.Stops, func(a, b Stop) int { return strings.Compare(string(a.Date), string(b.Date)) })
		ev.Data = map[string]string{"stage_id": s.ID, "place": s.Place, "date": string(s.Date), "entries": strings.Join(s.EntryIDs, ",")}
		return []Event{ev}
	case RallyAward:
		r.Trophies = append(r.Trophies, Trophy{Category: cmd.Category, EntryID: cmd.EntryID, AwardedAt: now})
		ev := r.record(cmd.Caller, RallyAward, "", "", now)
		ev.Data = map[string]string{"category": cmd.Category, "entry_id": cmd.EntryID}
		return []Event{ev}
	}
	return nil
}

// selection ranks the entries in all (count) or category by category
// (count_per_category, counts): an entry's rank is then its place in its category.
func (r *Round) selection(entries []EntryMark, jury []string, cmd RallyCommand, now time.Time) *Selection {
	if cmd.Count != nil {
		sel, apart := Rank(entries, jury, *cmd.Count)
		return &Selection{At: now, Count: *cmd.Count, Selected: sel, Apart: apart}
	}
	s := &Selection{At: now, Counts: map[string]int{}, Selected: []Ranked{}, Apart: []Ranked{}}
	for ci, name := range r.Categories {
		n := 0
		if i := slices.IndexFunc(cmd.Counts, func(c CategoryCount) bool { return c.Category == name }); i >= 0 {
			n = cmd.Counts[i].Count
		}
		if cmd.CountPerCategory != nil {
			n = *cmd.CountPerCategory
		}
		var in []EntryMark
		for _, e := range entries {
			if e.Category == ci {
				in = append(in, e)
			}
		}
		sel, apart := Rank(in, jury, n)
		s.Counts[name] = n
		s.Count += n
		s.Selected = append(s.Selected, sel...)
		s.Apart = append(s.Apart, apart...)
	}
	return s
}

// reach moves the round to phase to, marking every phase up to it as passed
// (their start deadlines no longer wait).
func (r *Round) reach(by Caller, a RallyAction, from, to Phase, now time.Time) Event {
	for _, p := range Phases[:to.index()+1] {
		if k := phaseKey(p); !slices.Contains(r.Fired, k) {
			r.Fired = append(r.Fired, k)
		}
	}
	r.Phase = to
	ev := r.record(by, a, from, to, now)
	return ev
}

func phaseKey(p Phase) string { return "phase:" + string(p) }

// archiveKey names the deadline that ends a round's workflow.
const archiveKey = "archive"

// Deadlines are the round's moments: each phase's start, and its archiving
// after the closing.
func (r *Round) Deadlines() []Deadline {
	var all []Deadline
	for _, sp := range r.Phases {
		all = append(all, Deadline{Key: phaseKey(sp.Phase), Kind: "phase_started", Action: Action(RallyPhaseStarted), At: sp.StartsAt})
	}
	if n := len(r.Phases); n > 0 {
		all = append(all, Deadline{Key: archiveKey, Kind: "round_archived", Action: Action(RallyArchive), At: r.Phases[n-1].EndsAt.Add(RoundArchiveAfter)})
	}
	return all
}

// PendingDeadlines are the round's deadlines still to fire, earliest first.
func (r *Round) PendingDeadlines() []Deadline {
	if r.Archived {
		return nil
	}
	return PendingDeadlines(r.Deadlines(), r.Fired)
}

// Fire records that a deadline passed: a phase started, or the round is archived.
func (r *Round) Fire(d Deadline, now time.Time) Event {
	if d.Key == archiveKey {
		r.Fired = append(r.Fired, d.Key)
		r.Archived = true
		cur := r.CurrentPhase(now)
		return r.record(System, RallyArchive, cur, cur, now)
	}
	to := Phase(strings.TrimPrefix(d.Key, "phase:"))
	from := r.Phase
	ev := r.reach(System, RallyPhaseStarted, from, to, now)
	ev.Data = map[string]string{"due": d.At.UTC().Format(time.RFC3339)}
	return ev
}

// record bumps the round's version and returns the event (phases travel in
// the audit trail's stage columns).
func (r *Round) record(by Caller, a RallyAction, from, to Phase, now time.Time) Event {
	r.Seq++
	r.Version++
	r.UpdatedAt = now
	return Event{Seq: r.Seq, At: now, ActorID: by.UserID, ActorName: by.Name, Action: Action(a), FromStage: Stage(from), ToStage: Stage(to)}
}

// Clone is a deep copy (to undo a change the read model refused).
func (st *RoundState) Clone() RoundState {
	c := *st
	r := &c.Round
	r.Phases = slices.Clone(st.Round.Phases)
	r.Categories = slices.Clone(st.Round.Categories)
	r.Criteria = slices.Clone(st.Round.Criteria)
	r.Fired = slices.Clone(st.Round.Fired)
	r.Trophies = slices.Clone(st.Round.Trophies)
	r.Jury = slices.Clone(st.Round.Jury)
	r.Stops = slices.Clone(st.Round.Stops)
	for i := range r.Stops {
		r.Stops[i].EntryIDs = slices.Clone(st.Round.Stops[i].EntryIDs)
	}
	if s := st.Round.Selection; s != nil {
		sel := *s
		sel.Selected, sel.Apart = slices.Clone(s.Selected), slices.Clone(s.Apart)
		sel.Counts = maps.Clone(s.Counts)
		r.Selection = &sel
	}
	c.Book.Jurors = slices.Clone(st.Book.Jurors)
	c.Book.Entries = slices.Clone(st.Book.Entries)
	for i := range c.Book.Entries {
		c.Book.Entries[i].Keys = slices.Clone(st.Book.Entries[i].Keys)
		c.Book.Entries[i].Sheets = slices.Clone(st.Book.Entries[i].Sheets)
	}
	return c
}

// InJury tells whether an account may score the round: any juror when the
// round has no jury of its own, else its named jurors only.
func (r *Round) InJury(userID string) bool {
	return len(r.Jury) == 0 || slices.ContainsFunc(r.Jury, func(j Juror) bool { return j.ID == userID })
}
