package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `essor directory import` takes the sample file whole (exit 0), again
// without changing anything, and lists a refused line with its number (exit 1).
func TestDirectoryImportCommand(t *testing.T) {
	in := newInstance(t)
	if code, out := in.run("", "migrate"); code != 0 {
		t.Fatalf("migrate: %s", out)
	}
	if code, out := in.run("", "directory", "import", "../../internal/demo/annuaire.csv"); code != 0 || !strings.Contains(out, "8 ajoutées") {
		t.Fatalf("import: %d %s", code, out)
	}
	if code, out := in.run("", "directory", "import", "../../internal/demo/annuaire.csv"); code != 0 || !strings.Contains(out, "8 inchangées") {
		t.Fatalf("again: %d %s", code, out)
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(bad, []byte("siret;nom;forme_juridique;famille;code_commune;themes;site;email\n12345678901234;X;scic;;;;;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out := in.run("", "directory", "import", bad); code != 1 || !strings.Contains(out, "ligne 2 refusée : SIRET invalide") {
		t.Fatalf("refused: %d %s", code, out)
	}
	if code, out := in.run("mot-de-passe-solide\n", "user", "add", "--email", "a@dole.fr", "--name", "A", "--role", "actor",
		"--organisation-id", "00000000-0000-0000-0000-000000000000"); code != 2 || !strings.Contains(out, "aucune structure de l'annuaire") {
		t.Fatalf("an unknown --organisation-id: %d %s", code, out)
	}
}
