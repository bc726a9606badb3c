package domain

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

func f64(v float64) *float64 { return &v }

// completeFollowUp adds to validInput what record_indicator, deploy and
// complete require of needs under the new rules.
func completeFollowUp(in *NeedInput) {
	switch in.Action {
	case ActionRecordIndicator:
		in.Key, in.Value = "families", f64(12)
	case ActionDeploy:
		in.Evaluation = &Evaluation{Results: []IndicatorResult{{Key: "families", Value: f64(38)}},
			Lessons: "Le samedi matin concentre la demande.", Recommendation: EvaluationAdapt}
		in.Territories = []string{"39", "ze-dole"}
	case ActionComplete:
		in.Structure = &Structure{Name: "SCIC Les Lucioles", LegalForm: LegalFormSCIC, SIRET: "732 829 320 00074", Origin: OriginCreated}
		in.JobsCreated = f64(2.5)
		in.Funders = []Funder{{Kind: FunderRegion, Name: "Région", AmountEUR: f64(30000)}, {Kind: FunderCDC, Name: "Banque des territoires", AmountEUR: f64(15000.5)}}
	}
}

// oldNeedIn is needIn for a need created before the rules version 1.
func oldNeedIn(s Stage) *Need {
	n := needIn(s)
	n.Rules = 0
	return n
}

func validateErr(t *testing.T, n *Need, in NeedInput) FieldErrors {
	t.Helper()
	cmd := NeedCommand{NeedInput: in, Caller: Caller{UserID: "00000000-0000-0000-0000-0000000000c3", Name: "Chloé", Roles: []Role{RoleOfficer}}}
	if err := n.Authorize(cmd); err != nil {
		t.Fatalf("authorize %s: %v", in.Action, err)
	}
	err := n.Validate(&cmd, t0, refOf{territories: []string{"39", "ze-dole"}})
	if err == nil {
		return nil
	}
	de, ok := As(err)
	if !ok || de.Code != CodeInvalid {
		t.Fatalf("%s: want a 422, got %v", in.Action, err)
	}
	return de.Fields
}

// TestFollowUpRules is every new requirement and refusal, on a need under
// the new rules and on an older one (which keeps its old behaviour).
func TestFollowUpRules(t *testing.T) {
	with := func(a Action, change func(*NeedInput)) NeedInput {
		in := validInput(a)
		change(&in)
		return in
	}
	approved := func(n *Need) *Need { n.ApprovedBudgetEUR = f64(40000); return n }
	cases := []struct {
		name   string
		stage  Stage
		in     NeedInput
		field  string // "" accepted
		key    string
		oldToo bool // an older need refuses it as well
	}{
		{"go without budget", StageFeasibility, with(ActionSubmitStudy, func(in *NeedInput) { in.BudgetEUR = nil }), "budget_eur", "field.required", false},
		{"no_go without budget", StageFeasibility, with(ActionSubmitStudy, func(in *NeedInput) { in.BudgetEUR, in.Recommendation = nil, "no_go" }), "", "", false},
		{"negative budget", StageFeasibility, with(ActionSubmitStudy, func(in *NeedInput) { in.BudgetEUR = f64(-1) }), "budget_eur", "field.min", false},
		{"infinite budget", StageFeasibility, with(ActionSubmitStudy, func(in *NeedInput) { in.BudgetEUR = f64(math.Inf(1)) }), "budget_eur", "field.number", false},
		{"pilot without indicators", StageCarrierSearch, with(ActionStartPilot, func(in *NeedInput) { in.Indicators = nil }), "indicators", "field.required", false},
		{"eleven indicators", StageCarrierSearch, with(ActionStartPilot, func(in *NeedInput) {
			in.Indicators = nil
			for i := range 11 {
				in.Indicators = append(in.Indicators, Indicator{Key: "k" + strconv.Itoa(i), Label: "Indicateur"})
			}
		}), "indicators", "field.max_items", true},
		{"indicator key not a slug", StageCarrierSearch, with(ActionStartPilot, func(in *NeedInput) { in.Indicators[0].Key = "Familles accueillies" }), "indicators", "field.row.slug_format", true},
		{"indicator key twice", StageCarrierSearch, with(ActionStartPilot, func(in *NeedInput) {
			in.Indicators = append(in.Indicators, Indicator{Key: "families", Label: "Encore"})
		}), "indicators", "field.row.duplicate_key", true},
		{"indicator without label", StageCarrierSearch, with(ActionStartPilot, func(in *NeedInput) { in.Indicators[0].Label = " " }), "indicators", "field.row.required", true},
		{"indicator target NaN", StageCarrierSearch, with(ActionStartPilot, func(in *NeedInput) { in.Indicators[0].Target = f64(math.NaN()) }), "indicators", "field.row.number", true},
		{"measure of an unknown indicator", StagePilot, with(ActionRecordIndicator, func(in *NeedInput) { in.Key = "jobs" }), "key", "field.unknown_indicator", true},
		{"measure without value", StagePilot, with(ActionRecordIndicator, func(in *NeedInput) { in.Value = nil }), "value", "field.required", true},
		{"measure NaN", StagePilot, with(ActionRecordIndicator, func(in *NeedInput) { in.Value = f64(math.NaN()) }), "value", "field.number", true},
		{"measure in 9999", StagePilot, with(ActionRecordIndicator, func(in *NeedInput) { in.At = "9999-12-31" }), "at", "field.date_range", true},
		{"measure on a bad date", StagePilot, with(ActionRecordIndicator, func(in *NeedInput) { in.At = "hier" }), "at", "field.date", true},
		{"deploy without evaluation", StagePilot, with(ActionDeploy, func(in *NeedInput) { in.Evaluation = nil }), "evaluation", "field.required", false},
		{"deploy without territories", StagePilot, with(ActionDeploy, func(in *NeedInput) { in.Territories = nil }), "territories", "field.required", false},
		{"deploy to an unknown territory", StagePilot, with(ActionDeploy, func(in *NeedInput) { in.Territories = []string{"75"} }), "territories", "field.unknown_territories", true},
		{"deploy recommending stop", StagePilot, with(ActionDeploy, func(in *NeedInput) { in.Evaluation.Recommendation = EvaluationStop }), "evaluation.recommendation", "field.evaluation_stop", true},
		{"deploy with an unknown recommendation", StagePilot, with(ActionDeploy, func(in *NeedInput) { in.Evaluation.Recommendation = "maybe" }), "evaluation.recommendation", "field.oneof", true},
		{"deploy without lessons", StagePilot, with(ActionDeploy, func(in *NeedInput) { in.Evaluation.Lessons = "" }), "evaluation.lessons", "field.required", true},
		{"result of an unknown indicator", StagePilot, with(ActionDeploy, func(in *NeedInput) { in.Evaluation.Results[0].Key = "jobs" }), "evaluation.results", "field.row.unknown_indicator", true},
		{"complete without outcome", StageDeployment, NeedInput{Action: ActionComplete}, "structure", "field.required", false},
		{"bad SIRET", StageDeployment, with(ActionComplete, func(in *NeedInput) { in.Structure.SIRET = "73282932000075" }), "structure.siret", "field.siret", true},
		{"SIRET too short", StageDeployment, with(ActionComplete, func(in *NeedInput) { in.Structure.SIRET = "7328293200007" }), "structure.siret", "field.siret", true},
		{"no SIRET", StageDeployment, with(ActionComplete, func(in *NeedInput) { in.Structure.SIRET = "" }), "", "", true},
		{"unknown legal form", StageDeployment, with(ActionComplete, func(in *NeedInput) { in.Structure.LegalForm = "sarl" }), "structure.legal_form", "field.oneof", true},
		{"unknown origin", StageDeployment, with(ActionComplete, func(in *NeedInput) { in.Structure.Origin = "bought" }), "structure.origin", "field.oneof", true},
		{"negative jobs", StageDeployment, with(ActionComplete, func(in *NeedInput) { in.JobsCreated = f64(-1) }), "jobs_created", "field.min", true},
		{"too many jobs", StageDeployment, with(ActionComplete, func(in *NeedInput) { in.JobsCreated = f64(100001) }), "jobs_created", "field.max", true},
		{"infinite jobs", StageDeployment, with(ActionComplete, func(in *NeedInput) { in.JobsCreated = f64(math.Inf(-1)) }), "jobs_created", "field.number", true},
		{"zero jobs", StageDeployment, with(ActionComplete, func(in *NeedInput) { in.JobsCreated = f64(0) }), "", "", true},
		{"no funders", StageDeployment, with(ActionComplete, func(in *NeedInput) { in.Funders = nil }), "funders", "field.required", true},
		{"funder amount zero", StageDeployment, with(ActionComplete, func(in *NeedInput) { in.Funders[1].AmountEUR = f64(0) }), "funders", "field.row.above", true},
		{"funder of an unknown kind", StageDeployment, with(ActionComplete, func(in *NeedInput) { in.Funders[0].Kind = "bank" }), "funders", "field.row.oneof", true},
		{"21 funders", StageDeployment, with(ActionComplete, func(in *NeedInput) {
			for len(in.Funders) < 21 {
				in.Funders = append(in.Funders, in.Funders[0])
			}
		}), "funders", "field.max_items", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, old := range []bool{false, true} {
				n := needIn(c.stage)
				if old {
					n = oldNeedIn(c.stage)
				}
				fe := validateErr(t, approved(n), c.in)
				want := c.field
				if old && !c.oldToo {
					want = ""
				}
				if want == "" {
					if fe != nil {
						t.Fatalf("old=%v: refused %v", old, fe)
					}
					continue
				}
				if fe[want].Key != c.key {
					t.Fatalf("old=%v: want %s on %s, got %v", old, c.key, want, fe)
				}
			}
		})
	}
}

// TestApprovedBudget: the study's proposal becomes the approved budget on
// approval, and start_pilot may not exceed it (the message names it).
func TestApprovedBudget(t *testing.T) {
	n := needIn(StageFeasibility)
	officer := Caller{UserID: "00000000-0000-0000-0000-0000000000c3", Name: "Chloé", Roles: []Role{RoleOfficer}}
	in := validInput(ActionSubmitStudy)
	in.BudgetEUR = f64(45000.504)
	ev := n.Apply(NeedCommand{NeedInput: in, Caller: officer, Quorum: 1}, t0, DefaultPolicy.StudyDefault)
	if *n.Study.BudgetEUR != 45000.5 || ev[0].Data["budget_eur"] != "45000.50" {
		t.Fatalf("study %+v, event %v", n.Study, ev[0].Data)
	}
	evs := vote(n, "00000000-0000-0000-0000-0000000000d1", DecisionApprove, 1, t0.Add(time.Hour))
	if n.Stage != StageCarrierSearch || n.ApprovedBudgetEUR == nil || *n.ApprovedBudgetEUR != 45000.5 ||
		evs[len(evs)-1].Data["approved_budget_eur"] != "45000.50" {
		t.Fatalf("approved %v, stage %s, events %+v", n.ApprovedBudgetEUR, n.Stage, evs)
	}
	c := n.Clone()
	*c.ApprovedBudgetEUR = 1
	if *n.ApprovedBudgetEUR != 45000.5 {
		t.Fatal("Clone shares the approved budget")
	}
	pilot := validInput(ActionStartPilot)
	for _, b := range []float64{45000.5, 45000.504} {
		pilot.BudgetEUR = f64(b)
		if fe := validateErr(t, n, pilot); fe != nil {
			t.Fatalf("%v within the approved budget refused: %v", b, fe)
		}
	}
	pilot.BudgetEUR = f64(45000.51)
	fe := validateErr(t, n, pilot)
	if m := fe["budget_eur"]; m.Key != "field.budget_over_approved" || m.Args[1] != "45\u202f000,50\u00a0€" {
		t.Fatalf("over budget: %v", fe)
	}

	// An older need's study records no budget, and its approval none either.
	old := oldNeedIn(StageFeasibility)
	in.BudgetEUR = f64(10)
	old.Apply(NeedCommand{NeedInput: in, Caller: officer, Quorum: 1}, t0, DefaultPolicy.StudyDefault)
	vote(old, "00000000-0000-0000-0000-0000000000d1", DecisionApprove, 1, t0.Add(time.Hour))
	if old.Study.BudgetEUR != nil || old.ApprovedBudgetEUR != nil {
		t.Fatalf("old need recorded a budget: %+v %v", old.Study, old.ApprovedBudgetEUR)
	}
}

// TestIndicatorsMeasuresEvaluationOutcome applies the whole follow-up and
// checks the state and the events' data.
func TestIndicatorsMeasuresEvaluationOutcome(t *testing.T) {
	officer := Caller{UserID: "00000000-0000-0000-0000-0000000000c3", Name: "Chloé", Roles: []Role{RoleOfficer}}
	n := needIn(StageCarrierSearch)
	n.Pilot = nil
	apply := func(in NeedInput, at time.Time) Event {
		t.Helper()
		cmd := NeedCommand{NeedInput: in, Caller: officer}
		if err := n.Authorize(cmd); err != nil {
			t.Fatal(err)
		}
		if err := n.Validate(&cmd, at, allRef{}); err != nil {
			t.Fatalf("%s: %v", in.Action, err)
		}
		return n.Apply(cmd, at, DefaultPolicy.StudyDefault)[0]
	}
	start := validInput(ActionStartPilot)
	start.Indicators = []Indicator{{Key: " families ", Label: " Familles accueillies ", Target: f64(40), Unit: "familles"}, {Key: "hours", Label: "Heures de garde"}}
	ev := apply(start, t0)
	if len(n.Pilot.Indicators) != 2 || n.Pilot.Indicators[0].Key != "families" || n.Pilot.Indicators[0].Label != "Familles accueillies" ||
		ev.Data["indicators"] != "families,hours" {
		t.Fatalf("indicators %+v, data %v", n.Pilot.Indicators, ev.Data)
	}
	ev = apply(NeedInput{Action: ActionRecordIndicator, Key: "families", Value: f64(12)}, t0.Add(24*time.Hour))
	apply(NeedInput{Action: ActionRecordIndicator, Key: "families", Value: f64(30), At: "2027-03-01"}, t0.Add(48*time.Hour))
	apply(NeedInput{Action: ActionRecordIndicator, Key: "families", Value: f64(20), At: "2027-02-01"}, t0.Add(72*time.Hour))
	if n.Stage != StagePilot || len(n.Pilot.Measures) != 3 || n.Pilot.Measures[0].At != "2026-11-03" || ev.Data["value"] != "12" || ev.Data["key"] != "families" {
		t.Fatalf("measures %+v, data %v", n.Pilot.Measures, ev.Data)
	}
	if m := n.Pilot.Latest("families"); m == nil || m.Value != 30 {
		t.Fatalf("latest %+v", m)
	}
	if n.Pilot.Latest("hours") != nil {
		t.Fatal("a measure for hours")
	}
	deploy := validInput(ActionDeploy)
	ev = apply(deploy, t0.Add(96*time.Hour))
	if n.Stage != StageDeployment || n.Deployment == nil || n.Deployment.Evaluation.Recommendation != EvaluationAdapt ||
		strings.Join(n.Deployment.Territories, ",") != "39,ze-dole" || ev.Data["territories"] != "39,ze-dole" || ev.Data["recommendation"] != "adapt" {
		t.Fatalf("deployment %+v, data %v", n.Deployment, ev.Data)
	}
	ev = apply(validInput(ActionComplete), t0.Add(120*time.Hour))
	o := n.Outcome
	if n.Stage != StageDeployed || o == nil || o.Structure.SIRET != "73282932000074" || o.JobsCreated != 2.5 || o.FundedEUR() != 45000.5 ||
		ev.Data["funded_eur"] != "45000.50" || ev.Data["legal_form"] != "scic" || ev.Data["jobs_created"] != "2.5" {
		t.Fatalf("outcome %+v, data %v", o, ev.Data)
	}
	c := n.Clone()
	c.Outcome.Funders[0].Name = "changed"
	c.Deployment.Territories[0] = "changed"
	if n.Outcome.Funders[0].Name != "Région" || n.Deployment.Territories[0] != "39" {
		t.Fatal("Clone shares the outcome or the deployment")
	}
}

// TestMeasuresAreBounded: beyond MaxMeasures a measure is refused (409), and
// a need filled to every bound stays far below MaxStateBytes.
func TestMeasuresAreBounded(t *testing.T) {
	n := needIn(StagePilot)
	for i := range MaxIndicators {
		n.Pilot.Indicators = append(n.Pilot.Indicators, Indicator{Key: "indicator_" + strconv.Itoa(i), Label: strings.Repeat("é", 200), Unit: strings.Repeat("u", 30), Target: f64(1e12)})
	}
	for len(n.Pilot.Measures) < MaxMeasures {
		n.Pilot.Measures = append(n.Pilot.Measures, Measure{Key: "indicator_9", Value: -123456789.123456, At: "2027-01-01", RecordedAt: t0, By: "00000000-0000-0000-0000-0000000000c3"})
	}
	cmd := NeedCommand{NeedInput: validInput(ActionRecordIndicator), Caller: Caller{UserID: "c", Roles: []Role{RoleOfficer}}}
	if err := n.Validate(&cmd, t0, allRef{}); !IsCode(err, CodeConflict) || err.(*Error).Message.Key != "error.too_many_measures" {
		t.Fatalf("measure %d: %v", MaxMeasures+1, err)
	}
	n.Deployment = &Deployment{Evaluation: Evaluation{Lessons: strings.Repeat("x", 5000)}}
	n.Outcome = &Outcome{Structure: Structure{Name: strings.Repeat("é", 200)}}
	for range MaxFunders {
		n.Outcome.Funders = append(n.Outcome.Funders, Funder{Kind: FunderPrivate, Name: strings.Repeat("é", 200), AmountEUR: f64(1e10)})
	}
	for range MaxDeployTerritories {
		n.Deployment.Territories = append(n.Deployment.Territories, strings.Repeat("t", 40))
	}
	b, _ := json.Marshal(n)
	if len(b) > MaxStateBytes/4 {
		t.Fatalf("a need at every follow-up bound is %d bytes", len(b))
	}
}

func TestValidSIRET(t *testing.T) {
	for s, want := range map[string]bool{
		"73282932000074": true, "44306184100047": true, "73282932000075": false, "7328293200007": false,
		"7328293200007a": false, "35600000000048": false, "35600000049837": true, "": false,
	} {
		if ValidSIRET(s) != want {
			t.Errorf("%q: want %v", s, want)
		}
	}
}
