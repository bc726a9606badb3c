package committee

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"essor/internal/domain"
	"essor/internal/i18n"
)

// Minutes is a session's procès-verbal as a PDF, written by go-pdf/fpdf
// (a maintained fork of gofpdf; no headless browser in production): its
// date and place, the attendance and the quorum, then each item with the
// officer's report, the conflicts declared, the votes, the decision, the
// budget and the conditions. The core fonts speak Windows-1252, which holds
// every French letter; the translator carries the text there.
func Minutes(s domain.Session, approvedAt *time.Time, lang i18n.Lang) ([]byte, error) {
	t := func(key string, args ...string) string { return i18n.T(lang, key, args...) }
	pdf := fpdf.New("P", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("cp1252")
	pdf.SetTitle(t("minutes.title", s.Title), true)
	pdf.SetAuthor("Essor", true)
	pdf.SetMargins(20, 20, 20)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-15)
		pdf.SetFont("Helvetica", "I", 8)
		pdf.CellFormat(0, 10, tr(t("minutes.page", strconv.Itoa(pdf.PageNo()), "{nb}")), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	heading := func(size float64, text string) {
		pdf.SetFont("Helvetica", "B", size)
		pdf.MultiCell(0, size*0.5, tr(text), "", "L", false)
		pdf.Ln(2)
	}
	para := func(text string) {
		pdf.SetFont("Helvetica", "", 10)
		pdf.MultiCell(0, 5, tr(text), "", "L", false)
		pdf.Ln(1)
	}
	heading(16, t("minutes.title", s.Title))
	para(t("minutes.when", domain.TimeArg(s.StartsAt), s.Place))
	para(t("minutes.stage", "@stage.session."+string(s.Stage)))
	if approvedAt != nil {
		para(t("minutes.approved", domain.TimeArg(*approvedAt)))
	} else {
		para(t("minutes.draft"))
	}

	heading(13, t("web.sessions.attendance"))
	if len(s.Attendance) == 0 {
		para(t("minutes.no_attendance"))
	}
	for _, a := range s.Attendance {
		line := a.Name
		if a.Institution != "" {
			line += " (" + a.Institution + ")"
		}
		para("- " + line + " : " + t("web.sessions.status."+a.Status))
	}
	if s.Quorum > 0 {
		para(t("web.sessions.quorum") + " : " + t("web.sessions.quorum_value", strconv.Itoa(s.Present), strconv.Itoa(s.Quorum)))
	}

	heading(13, t("web.sessions.agenda"))
	for _, it := range s.Agenda {
		heading(11, strconv.Itoa(it.N)+". "+it.Title+" — "+t("web.committee.subject."+string(it.Subject)))
		if it.Report != "" {
			para(t("minutes.report") + " : " + it.Report)
		}
		d := it.Decision
		if d == nil {
			para(t("web.sessions.undecided"))
			continue
		}
		if len(d.Conflicts) > 0 {
			para(t("minutes.conflicts", strconv.Itoa(len(d.Conflicts))))
		}
		line := t("web.sessions.decision." + d.Decision)
		if d.Decision != "adjourn" {
			v := d.Votes.Values()
			line += " — " + t("web.sessions.votes", strconv.Itoa(v[0]), strconv.Itoa(v[1]), strconv.Itoa(v[2]))
		}
		para(line)
		if d.BudgetEUR != nil {
			para(t("web.sessions.budget") + " : " + strings.ReplaceAll(strconv.FormatFloat(*d.BudgetEUR, 'f', 2, 64), ".", ",") + " €")
		}
		if d.Conditions != "" {
			para(t("web.sessions.conditions") + " : " + d.Conditions)
		}
		if d.Reason != "" {
			para(t("web.sessions.reason") + " : " + d.Reason)
		}
	}
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
