package storage_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"essor/internal/storage"
	"essor/internal/testdb"
)

// The sample file imports whole, and a second import changes nothing.
func TestImportSampleIsIdempotent(t *testing.T) {
	db, _ := testdb.Fresh(t)
	f, err := os.Open("../demo/annuaire.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := db.ImportOrganisations(ctx, f, nil)
	if err != nil || len(res.Refused) != 0 || res.Inserted != 8 {
		t.Fatalf("first import: %+v %v", res, err)
	}
	f2, _ := os.Open("../demo/annuaire.csv")
	defer f2.Close()
	res, err = db.ImportOrganisations(ctx, f2, nil)
	if err != nil || res.Inserted != 0 || res.Updated != 0 || res.Unchanged != 8 {
		t.Fatalf("second import: %+v %v", res, err)
	}
	list, _, err := db.Organisations(ctx, storage.OrganisationFilter{Q: "épicerie lure"})
	if err != nil || len(list) != 1 || list[0].Family != "association" || list[0].Themes[0] != "food" {
		t.Fatalf("imported: %+v %v", list, err)
	}
}

// A BOM, quoted fields with ';' and '"' inside, French labels; each refused
// line is reported with its number and reason, the rest is taken; a changed
// line updates its record.
func TestImportRefusesLinesAndUpdates(t *testing.T) {
	db, _ := testdb.Fresh(t)
	file := "\xEF\xBB\xBFsiret;nom;forme_juridique;famille;code_commune;themes;site;email\n" +
		"81000000000010;\"Mobilités \"\"solidaires\"\" ; Jura\";SCIC;Coopérative;39198;mobility,health;;\n" + // 2: taken
		"81000000000011;Clé fausse;scic;cooperative;39198;;;\n" + // 3: bad Luhn key
		"81000791900014;Association Les Lucioles;Association loi 1901;association;25056;espace;;\n" + // 4: unknown theme
		"81001583800016;Épicerie;club;association;;;;\n" + // 5: legal form
		"81002375700018;Ressourcerie;scop;insertion;ABCDE;;;\n" + // 6: commune
		"81003167600010;Fondation;other;foundation;;;ftp://x;\n" + // 7: website
		"81003959500014;Mutuelle;other;mutual;;;;pas-une-adresse\n" + // 8: e-mail
		"81000000000010;Doublon;scic;cooperative;;;;\n" + // 9: same SIRET as line 2
		"81004751400015;Trop;de;colonnes;;;;;;\n" + // 10: columns
		"81005543300017;Jardins de Cocagne;association;siae;90010;food;;\n" // 11: taken
	res, err := db.ImportOrganisations(ctx, strings.NewReader(file), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{3: "SIRET invalide", 4: "thématique inconnue", 5: "forme juridique", 6: "code commune", 7: "site invalide",
		8: "adresse e-mail", 9: "SIRET déjà vu ligne 2", 10: "colonnes"}
	if res.Inserted != 2 || len(res.Refused) != len(want) {
		t.Fatalf("%+v", res)
	}
	for _, r := range res.Refused {
		if !strings.Contains(r.Reason, want[r.Line]) {
			t.Errorf("line %d: %q, want %q", r.Line, r.Reason, want[r.Line])
		}
	}
	list, _, _ := db.Organisations(ctx, storage.OrganisationFilter{Q: "jura"})
	if len(list) != 1 || list[0].Name != `Mobilités "solidaires" ; Jura` || list[0].LegalForm != "scic" || list[0].Family != "cooperative" {
		t.Fatalf("quoted line: %+v", list)
	}
	res, err = db.ImportOrganisations(ctx, strings.NewReader("siret;nom;forme_juridique;famille;code_commune;themes;site;email\n"+
		"81005543300017;Jardins de Cocagne du Territoire de Belfort;association;insertion;90010;food;;\n"), nil)
	if err != nil || res.Updated != 1 {
		t.Fatalf("update: %+v %v", res, err)
	}
	if _, err := db.ImportOrganisations(ctx, strings.NewReader("nom;siret\n"), nil); err == nil || !strings.Contains(err.Error(), "en-tête attendu") {
		t.Fatalf("a wrong header: %v", err)
	}
}

// luhnSIRET is the i-th SIRET of a benchmark file, with a valid key.
func luhnSIRET(i int) string {
	base := fmt.Sprintf("9%012d", i)
	for d := 0; d < 10; d++ {
		s := base + fmt.Sprint(d)
		sum := 0
		for j := 0; j < 14; j++ {
			x := int(s[13-j] - '0')
			if j%2 == 1 {
				if x *= 2; x > 9 {
					x -= 9
				}
			}
			sum += x
		}
		if sum%10 == 0 {
			return s
		}
	}
	return ""
}

// BenchmarkImport100k imports a file of 100,000 organisations (the goal: well
// under a minute), then the same file again (nothing changes).
func BenchmarkImport100k(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(strings.Join(storage.ImportHeader, ";") + "\n")
	for i := range 100000 {
		fmt.Fprintf(&sb, "%s;Structure de l'ESS n°%d;association;association;39198;mobility,health;https://s%d.example.org;contact@s%d.example.org\n", luhnSIRET(i), i, i, i)
	}
	file := sb.String()
	for b.Loop() {
		db, _ := testdb.Fresh(b)
		start := time.Now()
		res, err := db.ImportOrganisations(ctx, strings.NewReader(file), nil)
		if err != nil || res.Inserted != 100000 {
			b.Fatalf("%+v %v", res.Inserted, err)
		}
		first := time.Since(start)
		start = time.Now()
		if res, err = db.ImportOrganisations(ctx, strings.NewReader(file), nil); err != nil || res.Unchanged != 100000 {
			b.Fatalf("again: %+v %v", res.Unchanged, err)
		}
		b.ReportMetric(first.Seconds(), "s/first")
		b.ReportMetric(time.Since(start).Seconds(), "s/again")
	}
}

// A file whose line never ends stops the import with a message, before
// it fills the memory.
func TestImportRefusesAnEndlessLine(t *testing.T) {
	db, _ := testdb.Fresh(t)
	in := strings.NewReader(strings.Join(storage.ImportHeader, ";") + "\n" + strings.Repeat("x", storage.MaxImportLine+1))
	if _, err := db.ImportOrganisations(ctx, in, nil); !errors.Is(err, storage.ErrImportLineTooLong) {
		t.Fatalf("got %v", err)
	}
}
