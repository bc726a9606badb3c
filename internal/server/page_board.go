package server

import (
	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
)

// boardPerStage bounds each column; the count says how many there are in all.
const boardPerStage = 50

type boardColumn struct {
	Stage   domain.Stage
	Count   int
	Overdue int
	Items   []needItem
}

// More is how many needs of the stage the column does not show.
func (b boardColumn) More() int { return b.Count - len(b.Items) }

type boardPage struct {
	layout
	Columns []boardColumn
	Overdue int
	Filter  *form    // ?officer=: all, me or one officer
	Officer string   // the account id the board is narrowed to
	People  []option // the officer filter's choices
}

// board is the officers' view of every running project, one column per
// stage, overdue ones first and flagged.
func (s *Server) board(c *fiber.Ctx) error {
	ctx := c.UserContext()
	filter, people, officer, status, err := s.officerChoice(c)
	if err != nil {
		return err
	}
	counts, err := s.db.CountByStageOf(ctx, officer)
	if err != nil {
		return err
	}
	rows, err := s.db.BoardNeeds(ctx, domain.ActiveStages, boardPerStage, officer)
	if err != nil {
		return err
	}
	ref, err := s.refLabels(c)
	if err != nil {
		return err
	}
	page := boardPage{layout: s.layout(c, "board", "web.board.title"), Filter: filter, Officer: officer}
	page.People, page.Failed = people, filter.Invalid()
	index := map[domain.Stage]int{}
	for i, st := range domain.ActiveStages {
		index[st] = i
		page.Columns = append(page.Columns, boardColumn{Stage: st})
	}
	for _, sc := range counts {
		if i, ok := index[sc.Stage]; ok {
			page.Columns[i].Count, page.Columns[i].Overdue = sc.Count, sc.Overdue
			page.Overdue += sc.Overdue
		}
	}
	for _, it := range ref.items(rows) {
		i := index[it.Stage]
		page.Columns[i].Items = append(page.Columns[i].Items, it)
	}
	return s.render(c, status, "board", page)
}
