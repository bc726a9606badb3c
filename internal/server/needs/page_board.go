package needs

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// boardPerStage bounds each column; the count says how many there are in
// all, and a link leads to the rest in the list of needs.
const boardPerStage = 12

type boardColumn struct {
	Stage   domain.Stage
	Count   int
	Overdue int
	Items   []kit.NeedItem
	Rest    string // the list of the column's needs, with the board's filters
}

// More is how many needs of the stage the column does not show.
func (b boardColumn) More() int { return max(b.Count-len(b.Items), 0) }

// OverdueAtLeast tells that Overdue is a lower bound (storage.OverdueCap).
func (b boardColumn) OverdueAtLeast() bool { return b.Overdue >= storage.OverdueCap }

type boardPage struct {
	kit.Layout
	kit.RefLabels
	Columns        []boardColumn
	Overdue        int
	OverdueAtLeast bool
	Filter         *kit.Form    // ?officer= (all, me or one officer), ?territory=, ?theme=
	Officer        string       // the account id the board is narrowed to
	People         []kit.Option // the officer filter's choices
}

// Filtered tells whether the board is narrowed.
func (p boardPage) Filtered() bool {
	for _, n := range p.Filter.Names {
		if p.Filter.Value(n) != "" {
			return true
		}
	}
	return false
}

// board is the officers' view of the running projects, one column per
// stage: its count, read from the counters, and the projects that need
// attention first (overdue, then waiting longest), a bounded number.
func (s *Handlers) board(c *fiber.Ctx) error {
	ctx := c.UserContext()
	filter, people, officer, status, err := s.officerChoice(c)
	if err != nil {
		return err
	}
	filter.Names = append(filter.Names, "territory", "theme")
	f := storage.CountFilter{Officer: officer, Territory: strings.TrimSpace(c.Query("territory")), Theme: strings.TrimSpace(c.Query("theme"))}
	filter.Set("territory", f.Territory)
	filter.Set("theme", f.Theme)
	counts, err := s.DB.CountByStage(ctx, f)
	if err != nil {
		return err
	}
	overdue, err := s.DB.OverdueByStage(ctx, domain.ActiveStages, f)
	if err != nil {
		return err
	}
	rows, err := s.DB.BoardNeeds(ctx, domain.ActiveStages, boardPerStage, f)
	if err != nil {
		return err
	}
	ref, err := s.RefLabels(c)
	if err != nil {
		return err
	}
	page := boardPage{Layout: s.Layout(c, "board", "web.board.title"), RefLabels: ref, Filter: filter, Officer: officer}
	page.People, page.Failed = people, filter.Invalid()
	rest := url.Values{}
	for n, v := range map[string]string{"officer": officer, "territory": f.Territory, "theme": f.Theme} {
		if v != "" {
			rest.Set(n, v)
		}
	}
	index := map[domain.Stage]int{}
	for i, st := range domain.ActiveStages {
		index[st] = i
		rest.Set("stage", string(st))
		col := boardColumn{Stage: st, Count: counts[st], Overdue: overdue[st], Rest: kit.PageURL("needs") + "?" + rest.Encode()}
		page.Columns = append(page.Columns, col)
		page.Overdue += col.Overdue
		page.OverdueAtLeast = page.OverdueAtLeast || col.OverdueAtLeast()
	}
	for _, it := range ref.Items(rows) {
		i := index[it.Stage]
		page.Columns[i].Items = append(page.Columns[i].Items, it)
	}
	return s.Render(c, status, "board", page)
}
