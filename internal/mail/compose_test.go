package mail

import (
	"strings"
	"testing"

	"essor/internal/i18n"
)

// The greeting is a paragraph of its own in the HTML part, as in the text part.
func TestGreetingIsItsOwnParagraph(t *testing.T) {
	it := Item{Kind: "stage_changed", Subject: "need", SubjectID: "n1", Data: map[string]string{"title": "Crèche", "stage": "qualified"}}
	for _, w := range []Written{Compose(i18n.FR, "https://essor.example", "", it),
		ComposeDigest(i18n.FR, "https://essor.example", "", []Item{it, it})} {
		if !strings.Contains(w.HTML, "<p>Bonjour,</p><p>") || strings.Contains(w.HTML, "Bonjour,\n") {
			t.Fatalf("the greeting runs into the first sentence:\n%s", w.HTML)
		}
		if !strings.HasPrefix(w.Text, "Bonjour,\n\n") {
			t.Fatalf("text part: %q", w.Text)
		}
	}
}
