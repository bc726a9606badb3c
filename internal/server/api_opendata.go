package server

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/indicators"
	"essor/internal/storage"
)

// openDataCSV publishes every public need and project as CSV for French
// spreadsheets: no personal data (no submitter, supporter, officer, contact).
func (s *Server) openDataCSV(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="essor-besoins-donnees-ouvertes.csv"`)
	db, log := s.db, s.log
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		_, _ = w.WriteString("\ufeff")
		cw := csv.NewWriter(w)
		cw.Comma, cw.UseCRLF = ';', true
		_ = cw.Write([]string{"id", "titre", "description", "thematique", "territoire", "etape", "remonte_le",
			"etape_depuis", "soutiens", "structure", "forme_juridique", "origine", "emplois_crees"})
		opt := func(p *string) string {
			if p == nil {
				return ""
			}
			return *p
		}
		err := db.EachOpenNeed(ctx, func(n storage.OpenNeed) error {
			jobs := ""
			if n.JobsCreated != nil {
				jobs = indicators.Decimal(*n.JobsCreated)
			}
			return cw.Write([]string{n.ID, n.Title, n.Description, n.Theme, n.TerritoryCode, n.Stage,
				n.CreatedAt.UTC().Format(time.RFC3339), n.StageEnteredAt.UTC().Format(time.RFC3339), strconv.Itoa(n.Supports),
				opt(n.Structure), opt(n.LegalForm), opt(n.Origin), jobs})
		})
		cw.Flush()
		if err != nil {
			log.Error("open data export cut short", "error", err)
		}
	})
	return nil
}

// openDataJSON is the same as a JSON array.
func (s *Server) openDataJSON(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="essor-besoins-donnees-ouvertes.json"`)
	db, log := s.db, s.log
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		_, _ = w.WriteString("[")
		first := true
		enc := json.NewEncoder(w)
		err := db.EachOpenNeed(ctx, func(n storage.OpenNeed) error {
			if !first {
				_, _ = w.WriteString(",")
			}
			first = false
			return enc.Encode(n)
		})
		_, _ = w.WriteString("]\n")
		if err != nil {
			log.Error("open data export cut short", "error", err)
		}
	})
	return nil
}
