// Package csvexport writes every CSV file Essor offers for download: as
// French spreadsheets open them (UTF-8 with a byte order mark, ";" between
// fields, CRLF line ends, decimal commas) and so that no cell can run as a
// formula. It is a leaf package so that every export (the server's lists and
// open data, the indicators' table) writes through the same rule.
package csvexport

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// Cell is one field. Text is anything a person may have typed (or a label):
// it is neutralised when a spreadsheet would read it as a formula. A number
// is one Essor formatted itself (Int, Decimal): it may start with "-" and is
// written as is, so that a spreadsheet still reads it as a number.
type Cell struct {
	value  string
	number bool
}

// Text is a cell of text.
func Text(s string) Cell { return Cell{value: s} }

// Int is a whole number written by Essor.
func Int(n int) Cell { return Cell{value: strconv.Itoa(n), number: true} }

// Decimal is a number written by Essor with a decimal comma.
func Decimal(v float64) Cell { return Cell{value: FormatDecimal(v), number: true} }

// Texts turns a row of strings into text cells.
func Texts(values ...string) []Cell {
	cells := make([]Cell, len(values))
	for i, v := range values {
		cells[i] = Text(v)
	}
	return cells
}

// FormatDecimal writes a number with a decimal comma and no thousands
// separator (what French spreadsheets read as a number).
func FormatDecimal(v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1)
}

// Safe is how a cell is written. OWASP's rule for CSV injection: a field
// that starts with "=", "+", "-", "@", a tab or a carriage return is a
// formula (or becomes one) to Excel or LibreOffice, so it is prefixed with
// "'" and the spreadsheet shows it as text. A number cell passes only when it
// really is a plain number ("-12", "3,5"): a mistake elsewhere cannot open
// the door again.
func (c Cell) Safe() string {
	if c.value == "" || (c.number && plainNumber(c.value)) {
		return c.value
	}
	switch c.value[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + c.value
	}
	return c.value
}

// plainNumber tells whether s is an optional minus, digits and at most one
// decimal comma between digits.
func plainNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasComma := strings.Cut(s, ",")
	return digits(whole) && (!hasComma || digits(frac))
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Writer writes one CSV file. Writes are buffered: Flush at the end (and
// between pages, to hand them on).
type Writer struct {
	cw     *csv.Writer
	record []string
}

// NewWriter starts a file on w with its byte order mark.
func NewWriter(w io.Writer) (*Writer, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = ';', true
	return &Writer{cw: cw}, nil
}

// Header writes the column names (text like any other).
func (w *Writer) Header(names ...string) error { return w.Row(Texts(names...)...) }

// Row writes one line; fields holding ";", quotes or line breaks are quoted.
func (w *Writer) Row(cells ...Cell) error {
	w.record = w.record[:0]
	for _, c := range cells {
		w.record = append(w.record, c.Safe())
	}
	return w.cw.Write(w.record)
}

// Flush hands what is buffered to the underlying writer.
func (w *Writer) Flush() error {
	w.cw.Flush()
	return w.cw.Error()
}

// Write is a whole file at once, for the small ones.
func Write(w io.Writer, header []string, rows [][]Cell) error {
	cw, err := NewWriter(w)
	if err != nil {
		return err
	}
	if err := cw.Header(header...); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Row(r...); err != nil {
			return err
		}
	}
	return cw.Flush()
}
