package domain

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// Carrier matching (api.md "Carrier matching"): the directory's
// organisations ranked for a need in carrier search, each with the reasons
// of its score. The weights live here, once: the storage ranks with them in
// SQL and the page and API explain the twenty it kept with Score.

// CarrierWeights are what each reason adds to a score (at most 1 in all).
var CarrierWeights = struct {
	Theme                                    float64
	Commune, EPCI, Departement, Zone, Region float64
	Family, FamilyNear, LegalForm            float64
	Carried, Hosted, Won, Supporter          float64
}{
	Theme:   0.30,
	Commune: 0.25, EPCI: 0.20, Departement: 0.15, Zone: 0.15, Region: 0.05,
	Family: 0.10, FamilyNear: 0.05, LegalForm: 0.05,
	Carried: 0.15, Hosted: 0.05, Won: 0.05, Supporter: 0.10,
}

// CarrierFacts is what Essor knows of an organisation against one need.
type CarrierFacts struct {
	SameTheme bool
	// Territory is the kind of the nearest territory both share (the need's
	// own, or one of its parents: commune, epci, departement,
	// employment_zone, region), "" when none; TerritoryName names it.
	Territory     string
	TerritoryName string
	Family        string
	LegalForm     string
	Carried       int // pilots or deployments it carried on the need's theme
	Hosted        int // study-actions of the Fonds de confiance it hosted
	Won           int // Rally'nov trophies it won
	Supporter     bool
}

// Reason is one line of a suggestion's explanation: a message key and its
// argument.
type Reason struct {
	Key string
	Arg string
}

// FamiliesCarrying are the families whose structures usually carry an
// emergence project; FamiliesNear may.
var (
	FamiliesCarrying = []Family{FamilyAssociation, FamilyCooperative, FamilyESUS, FamilyInsertion}
	FamiliesNear     = []Family{FamilyMutual, FamilyFoundation}
	LegalFormsFit    = []LegalForm{LegalFormSCOP, LegalFormSCIC, LegalFormAssociation}
)

// TerritoryWeight is what sharing a territory of this kind adds.
func TerritoryWeight(kind string) float64 {
	w := CarrierWeights
	return map[string]float64{"commune": w.Commune, "epci": w.EPCI, "departement": w.Departement,
		"employment_zone": w.Zone, "region": w.Region}[kind]
}

// ScoreCarrier is an organisation's score for a need (0..1, two decimals)
// and its reasons, strongest first.
func ScoreCarrier(f CarrierFacts) (float64, []Reason) {
	w := CarrierWeights
	score := 0.0
	var reasons []Reason
	add := func(v float64, key, arg string) {
		if v > 0 {
			score += v
			reasons = append(reasons, Reason{key, arg})
		}
	}
	if f.SameTheme {
		add(w.Theme, "match.theme", "")
	}
	if f.Territory != "" {
		add(TerritoryWeight(f.Territory), "match.territory."+f.Territory, f.TerritoryName)
	}
	if f.Carried > 0 {
		add(w.Carried, "match.carried", strconv.Itoa(f.Carried))
	}
	if f.Supporter {
		add(w.Supporter, "match.supporter", "")
	}
	switch {
	case containsFamily(FamiliesCarrying, f.Family):
		add(w.Family, "match.family", "@family."+f.Family)
	case containsFamily(FamiliesNear, f.Family):
		add(w.FamilyNear, "match.family", "@family."+f.Family)
	}
	for _, l := range LegalFormsFit {
		if string(l) == f.LegalForm {
			add(w.LegalForm, "match.legal_form", "@legal_form."+f.LegalForm)
		}
	}
	if f.Hosted > 0 {
		add(w.Hosted, "match.hosted", strconv.Itoa(f.Hosted))
	}
	if f.Won > 0 {
		add(w.Won, "match.won", strconv.Itoa(f.Won))
	}
	return math.Round(math.Min(score, 1)*100) / 100, reasons
}

func containsFamily(fs []Family, f string) bool {
	for _, x := range fs {
		if string(x) == f {
			return true
		}
	}
	return false
}

// validateCarrierOrganisation checks the directory record a proposal stands
// for: a member proposes for their own organisation (the default), an
// officer records any.
func (n *Need) validateCarrierOrganisation(cmd *NeedCommand, fe FieldErrors) {
	in := &cmd.NeedInput
	in.OrganisationID = strings.ToLower(strings.TrimSpace(in.OrganisationID))
	switch {
	case in.OrganisationID == "" && !cmd.Caller.Has(RoleOfficer):
		in.OrganisationID = cmd.Caller.OrganisationID
	case in.OrganisationID == "":
	case !IsUUID(in.OrganisationID):
		fe.Add("organisation_id", "field.uuid")
	case !cmd.Caller.Has(RoleOfficer) && in.OrganisationID != cmd.Caller.OrganisationID:
		fe.Add("organisation_id", "field.not_own_organisation")
	}
}

// validateInvitation checks an invitation to carry the need: a directory
// record not yet invited, with no proposal of its own (live or declined).
func (n *Need) validateInvitation(in *NeedInput, fe FieldErrors) error {
	in.OrganisationID = strings.ToLower(strings.TrimSpace(in.OrganisationID))
	switch {
	case in.OrganisationID == "":
		fe.Add("organisation_id", "field.required")
	case !IsUUID(in.OrganisationID):
		fe.Add("organisation_id", "field.uuid")
	case slices.Contains(n.Invited, in.OrganisationID):
		return E(CodeConflict, "error.carrier_already_invited")
	case slices.ContainsFunc(n.Carriers, func(c Carrier) bool { return c.OrganisationID == in.OrganisationID }):
		return E(CodeConflict, "error.carrier_invite_proposed")
	}
	return nil
}
