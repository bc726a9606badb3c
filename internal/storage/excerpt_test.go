package storage_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"essor/internal/storage"
)

func TestExcerpt(t *testing.T) {
	short := "Les aînés isolés ne peuvent plus aller chez le médecin."
	if got, cut := (storage.NeedRow{Description: short}).Excerpt(); got != short || cut {
		t.Fatalf("short: %q %v", got, cut)
	}
	exact := strings.Repeat("é", storage.ExcerptRunes)
	if got, cut := (storage.NeedRow{Description: exact}).Excerpt(); got != exact || cut {
		t.Fatalf("exactly the limit: cut %v", cut)
	}
	long := strings.Repeat("Épicerie solidaire, ", 40)
	got, cut := (storage.NeedRow{Description: long}).Excerpt()
	if !cut || !strings.HasSuffix(got, "solidaire…") || utf8.RuneCountInString(got) > storage.ExcerptRunes+1 {
		t.Fatalf("long: %q %v", got, cut)
	}
	word := strings.Repeat("x", 400) // no space to cut at: cut at the limit
	if got, cut := (storage.NeedRow{Description: word}).Excerpt(); !cut || utf8.RuneCountInString(got) != storage.ExcerptRunes+1 {
		t.Fatalf("one long word: %d runes, cut %v", utf8.RuneCountInString(got), cut)
	}
}
