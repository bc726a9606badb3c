package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"essor/internal/domain"
)

// Both catalogues have the same keys, with the same number of arguments.
func TestCataloguesMatch(t *testing.T) {
	for _, k := range Keys(FR) {
		e, ok := en[k]
		if !ok {
			t.Errorf("%q has no English text", k)
			continue
		}
		if strings.Count(fr[k], "%") != strings.Count(e, "%") {
			t.Errorf("%q: arguments differ: %q / %q", k, fr[k], e)
		}
	}
	for _, k := range Keys(EN) {
		if _, ok := fr[k]; !ok {
			t.Errorf("%q has no French text", k)
		}
	}
}

// Every message key written in the Go code exists, and every stage, role
// and action has a label.
func TestEveryKeyUsedExists(t *testing.T) {
	re := regexp.MustCompile(`"((?:error|field)\.[a-z_]+)"`)
	root := filepath.Join("..", "..")
	for _, dir := range []string{"internal/domain", "internal/server", "internal/storage", "internal/auth", "internal/emergence"} {
		files, _ := filepath.Glob(filepath.Join(root, dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range re.FindAllStringSubmatch(string(src), -1) {
				if !Has(m[1]) {
					t.Errorf("%s uses %q, which no catalogue has", f, m[1])
				}
			}
		}
	}
	for _, s := range domain.Stages {
		if !Has("stage." + string(s)) {
			t.Errorf("stage %s has no label", s)
		}
	}
	for _, r := range domain.Roles {
		if !Has("role." + string(r)) {
			t.Errorf("role %s has no label", r)
		}
	}
	for _, a := range append(domain.RequestedActions(), domain.ActionDecide, domain.ActionRemind, domain.ActionEscalate, domain.ActionAbsorb) {
		if !Has("action." + string(a)) {
			t.Errorf("action %s has no label", a)
		}
	}
}

func TestTranslateWithNestedKeys(t *testing.T) {
	got := M(FR, domain.Msg("field.min_len", "@field.title", "5"))
	if got != "Le champ « titre » doit contenir au moins 5 caractères." {
		t.Fatal(got)
	}
	if got := M(EN, domain.Msg("error.stage", "@stage.pilot")); got != "This action is not possible at the project's current stage: “Pilot”." {
		t.Fatal(got)
	}
	if Parse("en-US,en;q=0.9") != EN || Parse("fr-FR") != FR || Parse("") != FR || Parse("de") != FR {
		t.Fatal("Parse")
	}
}

// A moment in a message reads as each language writes it, in Paris time.
func TestMomentArguments(t *testing.T) {
	m := domain.Msg("error.call_not_open", domain.TimeArg(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)),
		domain.TimeArg(time.Date(2027, 7, 14, 8, 5, 0, 0, time.UTC)), "@stage.closed")
	if got := M(FR, m); !strings.Contains(got, "du 1er décembre 2026 à 9 h 00 au 14 juillet 2027 à 10 h 05") {
		t.Errorf("fr: %s", got)
	}
	if got := M(EN, m); !strings.Contains(got, "from 1 December 2026 at 9:00 to 14 July 2027 at 10:05") {
		t.Errorf("en: %s", got)
	}
}
