package domain

import (
	"math"
	"testing"
)

// TestScoreCarrier: each reason moves the score by its documented weight,
// and the reasons come strongest first.
func TestScoreCarrier(t *testing.T) {
	w := CarrierWeights
	cases := []struct {
		name  string
		facts CarrierFacts
		want  float64
		first string
	}{
		{"nothing in common", CarrierFacts{Family: "other", LegalForm: "company"}, 0, ""},
		{"same theme", CarrierFacts{SameTheme: true}, w.Theme, "match.theme"},
		{"same commune", CarrierFacts{Territory: "commune", TerritoryName: "Dole"}, w.Commune, "match.territory.commune"},
		{"same intercommunality", CarrierFacts{Territory: "epci"}, w.EPCI, "match.territory.epci"},
		{"same département", CarrierFacts{Territory: "departement"}, w.Departement, "match.territory.departement"},
		{"same employment zone", CarrierFacts{Territory: "employment_zone"}, w.Zone, "match.territory.employment_zone"},
		{"the region", CarrierFacts{Territory: "region"}, w.Region, "match.territory.region"},
		{"carried before", CarrierFacts{Carried: 2}, w.Carried, "match.carried"},
		{"supporter", CarrierFacts{Supporter: true}, w.Supporter, "match.supporter"},
		{"carrying family", CarrierFacts{Family: "cooperative"}, w.Family, "match.family"},
		{"near family", CarrierFacts{Family: "foundation"}, w.FamilyNear, "match.family"},
		{"fitting legal form", CarrierFacts{LegalForm: "scic"}, w.LegalForm, "match.legal_form"},
		{"hosted a study-action", CarrierFacts{Hosted: 1}, w.Hosted, "match.hosted"},
		{"won a trophy", CarrierFacts{Won: 3}, w.Won, "match.won"},
		{"everything, capped at 1", CarrierFacts{SameTheme: true, Territory: "commune", Carried: 1, Supporter: true,
			Family: "association", LegalForm: "association", Hosted: 1, Won: 1}, 1, "match.theme"},
	}
	for _, c := range cases {
		got, reasons := ScoreCarrier(c.facts)
		if got != round2(c.want) {
			t.Errorf("%s: score %v, want %v", c.name, got, c.want)
		}
		if c.first == "" && len(reasons) > 0 || c.first != "" && (len(reasons) == 0 || reasons[0].Key != c.first) {
			t.Errorf("%s: reasons %v, want %s first", c.name, reasons, c.first)
		}
	}
	theme, _ := ScoreCarrier(CarrierFacts{SameTheme: true, Territory: "epci"})
	place, _ := ScoreCarrier(CarrierFacts{Territory: "commune", Family: "association"})
	if theme <= place {
		t.Errorf("theme and intercommunality %v should outrank commune and family %v", theme, place)
	}
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// TestInviteCarrier: an invitation names a directory record, once, and
// never one that already volunteered.
func TestInviteCarrier(t *testing.T) {
	const org = "44444444-4444-4444-4444-444444444444"
	n := carrierSearch()
	invite := func(id string) NeedCommand {
		return NeedCommand{Caller: officer, NeedInput: NeedInput{Action: ActionInviteCarrier, OrganisationID: id, Organisation: "Mobil Jura"}}
	}
	if _, err := act(n, invite(""), t0); !hasField(err, "organisation_id") {
		t.Fatalf("no organisation: %v", err)
	}
	if _, err := act(n, invite("pas-un-id"), t0); !hasField(err, "organisation_id") {
		t.Fatalf("bad id: %v", err)
	}
	evs, err := act(n, invite(org), t0)
	if err != nil || evs[0].Data["organisation_id"] != org || n.Stage != StageCarrierSearch {
		t.Fatalf("invite: %v %+v", err, evs)
	}
	if _, err := act(n, invite(org), t0); !IsCode(err, CodeConflict) {
		t.Fatalf("second invitation: %v", err)
	}
	if _, err := act(n, NeedCommand{Caller: mobil, NeedInput: NeedInput{Action: ActionInviteCarrier, OrganisationID: org}}, t0); !IsCode(err, CodeForbidden) {
		t.Fatalf("an actor invites: %v", err)
	}
	// A member volunteers for their own organisation by default; an
	// invitation to an organisation that volunteered is refused.
	member := mobil
	member.OrganisationID = "55555555-5555-5555-5555-555555555555"
	if _, err := act(n, propose(member, "Mobil Jura"), t0); err != nil {
		t.Fatal(err)
	}
	if c := n.Carriers[len(n.Carriers)-1]; c.OrganisationID != member.OrganisationID || c.Key != "id:"+member.OrganisationID {
		t.Fatalf("proposal %+v", c)
	}
	if _, err := act(n, invite(member.OrganisationID), t0); !IsCode(err, CodeConflict) {
		t.Fatalf("invite a volunteer: %v", err)
	}
	// Nobody but an officer proposes another organisation than their own.
	cmd := propose(other, "Régie de quartier")
	cmd.OrganisationID = org
	if _, err := act(n, cmd, t0); !hasField(err, "organisation_id") {
		t.Fatalf("someone else's organisation: %v", err)
	}
	cmd = propose(officer, "Régie de quartier")
	cmd.OrganisationID = org
	if _, err := act(n, cmd, t0); err != nil {
		t.Fatalf("an officer records another organisation: %v", err)
	}
}

func hasField(err error, field string) bool {
	e, ok := As(err)
	return ok && e.Fields[field].Key != ""
}

// TestEntryNameNeverExcludesAJuror: the organisation typed on a Rally'nov
// entry is a label; the entrant's account (its record or label) is the stake.
func TestEntryNameNeverExcludesAJuror(t *testing.T) {
	st := seedRound(t)
	now := at("2026-12-01 10:00")
	entrant := company
	entrant.OrganisationID = "66666666-6666-6666-6666-666666666666"
	e := entry("Ressourcerie", "Emploi")
	e.Organisation = "Région"
	if err := do(t, st, RallyCommand{Action: RallyEnter, Caller: entrant, EntryID: "e1", Entry: e}, now); err != nil {
		t.Fatal(err)
	}
	if err := do(t, st, RallyCommand{Action: RallyScore, Caller: juror("j1", "Région"), EntryID: "e1", Scores: scores(8, 6, 4)}, now); err != nil {
		t.Fatalf("a juror of the typed organisation: %v", err)
	}
	colleague := juror("j2", "Autre libellé")
	colleague.OrganisationID = entrant.OrganisationID
	if got := code(do(t, st, RallyCommand{Action: RallyScore, Caller: colleague, EntryID: "e1", Scores: scores(8, 6, 4)}, now)); got != "forbidden:error.rally_own_entry" {
		t.Fatalf("a juror of the entrant's organisation: %s", got)
	}
}
