package mail

import (
	"bytes"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"essor/internal/domain"
	"essor/internal/i18n"
)

// DecisionLetter is the letter that tells a submitter or a host company the
// committee's decision on their file, as a PDF (go-pdf/fpdf, core fonts in
// Windows-1252): the file, the decision, the budget approved and the
// conditions, the reason of a refusal.
func DecisionLetter(lang i18n.Lang, it Item) ([]byte, error) {
	t := func(key string, args ...string) string { return i18n.T(lang, key, args...) }
	d := it.Data
	pdf := fpdf.New("P", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("cp1252")
	pdf.SetTitle(t("letter.title", d["title"]), true)
	pdf.SetAuthor("Essor", true)
	pdf.SetMargins(25, 25, 25)
	pdf.AddPage()
	line := func(style string, size float64, text string) {
		pdf.SetFont("Helvetica", style, size)
		pdf.MultiCell(0, size*0.55, tr(text), "", "L", false)
		pdf.Ln(3)
	}
	line("", 10, t("letter.sender"))
	line("", 10, t("letter.date", domain.TimeArg(time.Now())))
	line("B", 14, t("letter.title", d["title"]))
	line("", 11, t("letter.decision", t("decision.outcome."+d["decision"])))
	if b := d["approved_budget_eur"]; b != "" && d["decision"] == string(domain.DecisionApprove) {
		line("", 11, t("letter.budget", strings.ReplaceAll(b, ".", ",")))
	}
	if c := d["conditions"]; c != "" {
		line("", 11, t("letter.conditions", c))
	}
	if r := d["comment"]; r != "" && d["decision"] == string(domain.DecisionReject) {
		line("", 11, t("letter.reason", r))
	}
	line("", 11, t("letter.closing"))
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
