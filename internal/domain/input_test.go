package domain_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"essor/internal/domain"
)

func TestCleanText(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		problem  domain.TextProblem
	}{
		{"Crèche à horaires décalés", "Crèche à horaires décalés", domain.TextOK},
		{"ligne 1\r\nligne 2\tcolonne", "ligne 1\nligne 2\tcolonne", domain.TextOK},
		{"Cre\u0300che", "Crèche", domain.TextOK}, // NFD becomes NFC: one spelling for search
		{"a\x00b", "", domain.TextControl},
		{"a\rb", "", domain.TextControl}, // a lone CR is no line end
		{"bell\x07", "", domain.TextControl},
		{"del\x7f", "", domain.TextControl},
		{"c1\u0085", "", domain.TextControl},
		{"\xff", "", domain.TextNotUTF8},
		{"\xc3\x28", "", domain.TextNotUTF8},
		{"\xed\xa0\x80", "", domain.TextNotUTF8}, // a UTF-8 encoded surrogate
		{strings.Repeat("é", domain.MaxTextBytes/2+1), "", domain.TextTooLarge},
		{"", "", domain.TextOK},
	} {
		got, p := domain.CleanText(tc.in)
		if p != tc.problem || (p == domain.TextOK && got != tc.want) {
			t.Errorf("CleanText(%q) = %q, %q; want %q, %q", tc.in, got, p, tc.want, tc.problem)
		}
	}
}

// FuzzCleanText: whatever comes in, what is accepted is valid UTF-8 with no
// control character but newline and tab, bounded, and stable when cleaned again.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"", "abc", "a\x00b", "\xff\xfe", "e\u0301", "\r\n", "\t", "\u2028", "\ufeff", "\U0001F600"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, p := domain.CleanText(s)
		if p != domain.TextOK {
			return
		}
		if !utf8.ValidString(got) || len(got) > domain.MaxTextBytes {
			t.Fatalf("accepted %q", got)
		}
		for _, r := range got {
			if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || (r >= 0x80 && r < 0xa0) {
				t.Fatalf("control %U accepted in %q", r, got)
			}
		}
		if again, p2 := domain.CleanText(got); p2 != domain.TextOK || again != got {
			t.Fatalf("not stable: %q → %q (%s)", got, again, p2)
		}
	})
}

func TestParseID(t *testing.T) {
	const id = "0b6f3a52-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
	for in, ok := range map[string]bool{
		id: true, strings.ToUpper(id): true, " " + id + " ": true,
		"{" + id + "}": false, "urn:uuid:" + id: false, strings.ReplaceAll(id, "-", ""): false,
		"0b6f3a52-1c2d-4e5f-8a9b-0c1d2e3f4a5g": false, "": false, "\x00": false,
	} {
		got, gotOK := domain.ParseID(in)
		if gotOK != ok || (ok && got != id) {
			t.Errorf("ParseID(%q) = %q, %v", in, got, gotOK)
		}
	}
}

func FuzzParseID(f *testing.F) {
	f.Add("0b6f3a52-1c2d-4e5f-8a9b-0c1d2e3f4a5b")
	f.Add("0B6F3A52-1C2D-4E5F-8A9B-0C1D2E3F4A5B")
	f.Add("not-an-id")
	f.Fuzz(func(t *testing.T, s string) {
		id, ok := domain.ParseID(s)
		if !ok {
			return
		}
		if id != strings.ToLower(id) || !domain.IsUUID(id) {
			t.Fatalf("ParseID(%q) = %q, not canonical", s, id)
		}
		if again, ok := domain.ParseID(id); !ok || again != id {
			t.Fatalf("canonical form %q not stable", id)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2027-01-31", "2026-11-26T10:00:00+01:00", "9999-12-31", "0000-01-01", "2027-02-30", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := domain.ParseDate(s)
		if !ok {
			return
		}
		if _, err := time.Parse(time.DateOnly, string(d)); err != nil {
			t.Fatalf("ParseDate(%q) = %q, not a day", s, d)
		}
		_ = d.End() // never panics
	})
}

func TestValidateBoundsDatesNumbersAndIDs(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	officer := domain.Caller{UserID: "o", Name: "Olivier", Roles: []domain.Role{domain.RoleOfficer}}
	const id = "0b6f3a52-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
	n := &domain.Need{ID: id, Tracked: domain.Tracked{Stage: domain.StageQualified}}
	fields := func(in domain.NeedInput) map[string]domain.Message {
		cmd := domain.NeedCommand{NeedInput: in, Caller: officer}
		de, ok := domain.As(n.Validate(&cmd, now, domain.AnyReference{}))
		if !ok {
			return nil
		}
		return de.Fields
	}
	bounds := func(in domain.NeedInput) map[string]domain.Message {
		de, ok := domain.As(n.Bounds(domain.NeedCommand{NeedInput: in, Caller: officer}, now))
		if !ok {
			return nil
		}
		return de.Fields
	}
	if f := bounds(domain.NeedInput{Action: domain.ActionStartStudy, DueDate: "9999-12-31"}); f["due_date"].Key != "field.date_range" {
		t.Errorf("9999-12-31 accepted: %v", f)
	}
	if f := bounds(domain.NeedInput{Action: domain.ActionStartStudy, DueDate: "2027-03-01"}); f != nil {
		t.Errorf("a sensible due date refused: %v", f)
	}
	if f := fields(domain.NeedInput{Action: domain.ActionStartStudy, DueDate: "2027-03-01"}); f != nil {
		t.Errorf("a sensible due date refused: %v", f)
	}
	if f := bounds(domain.NeedInput{Action: domain.ActionMerge, Into: strings.ToUpper(id)}); f["into"].Key != "field.merge_self" {
		t.Errorf("merge into itself in capitals: %v", f)
	}
	n.Stage = domain.StageCarrierSearch
	n.Carriers = []domain.Carrier{{ID: "c1"}}
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		b := v
		f := fields(domain.NeedInput{Action: domain.ActionStartPilot, CarrierID: "c1", Territories: []string{"39"},
			StartDate: "2027-01-01", EndDate: "2027-12-31", BudgetEUR: &b})
		if f["budget_eur"].Key != "field.number" {
			t.Errorf("budget %v: %v", v, f)
		}
	}
}

// TestNeedAtItsBoundsStaysFarBelowTemporalLimits fills a need to every bound
// with the widest characters (4 bytes each) and checks that its state, the
// input of a continue-as-new, stays far below Temporal's 2 MB payload limit,
// and that the state guard refuses what would grow it further.
func TestNeedAtItsBoundsStaysFarBelowTemporalLimits(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	wide := func(n int) string { return strings.Repeat("😀", n) }
	actor := domain.Caller{UserID: "a", Name: wide(200), Organisation: wide(200), Roles: []domain.Role{domain.RoleActor}}
	officer := domain.Caller{UserID: "o", Name: wide(200), Roles: []domain.Role{domain.RoleOfficer}}
	sub := domain.NeedSubmission{Title: wide(200), Description: wide(10000), Theme: "housing", TerritoryCode: "39",
		Organisation: wide(200), Evidence: wide(10000)}
	n, _ := domain.NewNeed("0b6f3a52-1c2d-4e5f-8a9b-0c1d2e3f4a5b", sub, actor, now)
	n.Stage = domain.StageCarrierSearch
	accepted, full := 0, false
	for i := 0; i < domain.MaxCarriers+5; i++ {
		cmd := domain.NeedCommand{Caller: officer, NeedInput: domain.NeedInput{Action: domain.ActionProposeCarrier,
			Organisation: wide(200), Contact: wide(200), Motivation: wide(5000), Comment: wide(5000)}}
		err := n.Bounds(cmd, now)
		if err == nil {
			err = n.Validate(&cmd, now, domain.AnyReference{})
		}
		if err != nil {
			if !domain.IsCode(err, domain.CodeConflict) {
				t.Fatalf("carrier %d refused with %v", i, err)
			}
			full = true
			break
		}
		n.Apply(cmd, now, time.Hour)
		accepted++
	}
	state, _ := json.Marshal(n)
	t.Logf("%d carriers accepted, state %d bytes", accepted, len(state))
	if !full {
		t.Fatalf("no bound stopped %d carrier proposals", accepted)
	}
	if len(state) > domain.MaxStateBytes+64<<10 || len(state) > 1<<20 {
		t.Fatalf("state of %d bytes at the bounds: too close to Temporal's 2 MB limit", len(state))
	}
}

// FuzzValidate: the rules never panic on any text, and what they accept
// stays within the stated lengths.
func FuzzValidate(f *testing.F) {
	f.Add("Crèche de nuit", "Les parents qui travaillent la nuit n'ont aucune solution.", "propose_carrier", "Une motivation assez longue pour passer.", "2027-01-01")
	f.Add("", "", "merge", "0B6F3A52-1C2D-4E5F-8A9B-0C1D2E3F4A5B", "9999-12-31")
	f.Fuzz(func(t *testing.T, title, description, action, text, date string) {
		now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
		sub := domain.NeedSubmission{Title: title, Description: description, Theme: "housing", TerritoryCode: "39"}
		if sub.Validate(domain.AnyReference{}) == nil {
			if l := utf8.RuneCountInString(sub.Title); l < 5 || l > 200 {
				t.Fatalf("title of %d characters accepted", l)
			}
		}
		officer := domain.Caller{UserID: "o", Name: "Olivier", Roles: []domain.Role{domain.RoleOfficer, domain.RoleActor}}
		for _, stage := range []domain.Stage{domain.StageCaptured, domain.StageQualified, domain.StageCarrierSearch} {
			n := &domain.Need{ID: "0b6f3a52-1c2d-4e5f-8a9b-0c1d2e3f4a5b", Carriers: []domain.Carrier{{ID: text}}, Tracked: domain.Tracked{Stage: stage}}
			budget := 10.0
			cmd := domain.NeedCommand{Caller: officer, NeedInput: domain.NeedInput{Action: domain.Action(action), Comment: text,
				Reason: text, Into: text, DueDate: date, Summary: text, Organisation: title, Contact: title, Motivation: text,
				CarrierID: text, Territories: []string{"39"}, StartDate: date, EndDate: date, BudgetEUR: &budget}}
			if n.Authorize(cmd) != nil {
				continue
			}
			if n.Validate(&cmd, now, domain.AnyReference{}) == nil && utf8.RuneCountInString(cmd.Comment) > 5000 {
				t.Fatalf("comment of %d characters accepted", utf8.RuneCountInString(cmd.Comment))
			}
		}
	})
}
