package domain_test

import (
	"strings"
	"testing"
	"time"

	"essor/internal/domain"
)

// BenchmarkCleanText is what the input gate pays per text: a typical
// description (clean, NFC already) and one that needs normalising.
func BenchmarkCleanText(b *testing.B) {
	clean := strings.Repeat("Les parents qui travaillent la nuit à Dole n'ont aucune solution de garde. ", 20)
	nfd := strings.Repeat("Cre\u0300che a\u0300 horaires de\u0301cale\u0301s\r\n", 40)
	b.Run("clean-1.5KB", func(b *testing.B) {
		for b.Loop() {
			if _, p := domain.CleanText(clean); p != domain.TextOK {
				b.Fatal(p)
			}
		}
	})
	b.Run("nfd-crlf-1KB", func(b *testing.B) {
		for b.Loop() {
			if _, p := domain.CleanText(nfd); p != domain.TextOK {
				b.Fatal(p)
			}
		}
	})
}

// BenchmarkRoom is the state-size guard every action pays inside the
// workflow: a typical need, and one near its bound.
func BenchmarkRoom(b *testing.B) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	actor := domain.Caller{UserID: "a", Name: "Alice", Organisation: "Mairie de Dole", Roles: []domain.Role{domain.RoleActor}}
	sub := domain.NeedSubmission{Title: "Crèche à horaires décalés", Description: strings.Repeat("Une description de besoin. ", 40),
		Theme: "early_childhood", TerritoryCode: "39"}
	cmd := domain.NeedCommand{Caller: actor, NeedInput: domain.NeedInput{Action: domain.ActionSupport}}
	typical, _ := domain.NewNeed("0b6f3a52-1c2d-4e5f-8a9b-0c1d2e3f4a5b", sub, actor, now)
	big, _ := domain.NewNeed("0b6f3a52-1c2d-4e5f-8a9b-0c1d2e3f4a5c", sub, actor, now)
	for i := 0; i < domain.MaxCarriers; i++ {
		big.Carriers = append(big.Carriers, domain.Carrier{ID: "c", Organisation: "Org", Contact: "c@x.fr", Motivation: strings.Repeat("é", 4000)})
	}
	for name, n := range map[string]*domain.Need{"typical": typical, "near-bound-400KB": big} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				_ = n.Room(cmd)
			}
		})
	}
}
