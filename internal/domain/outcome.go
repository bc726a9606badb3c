package domain

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The approved budget, the pilot's indicators and evaluation, and the
// outcome recorded at `complete`: their allowed values live here once; the
// pages, templates and the OpenAPI document read them from these slices.

// LegalForm is the legal form of the structure that carries a project.
type LegalForm string

const (
	LegalFormSCOP        LegalForm = "scop"
	LegalFormSCIC        LegalForm = "scic"
	LegalFormAssociation LegalForm = "association"
	LegalFormCompany     LegalForm = "company" // SAS, SARL…
	LegalFormOther       LegalForm = "other"
)

// LegalForms are the allowed legal forms, in the order forms show them.
var LegalForms = []LegalForm{LegalFormSCOP, LegalFormSCIC, LegalFormAssociation, LegalFormCompany, LegalFormOther}

// StructureOrigin says whether the carrying structure was created for the
// project or an existing one took it over.
type StructureOrigin string

const (
	OriginCreated   StructureOrigin = "created"
	OriginTakenOver StructureOrigin = "taken_over"
)

// StructureOrigins are the allowed origins.
var StructureOrigins = []StructureOrigin{OriginCreated, OriginTakenOver}

// FunderKind is who financed a project.
type FunderKind string

const (
	FunderRegion  FunderKind = "region"
	FunderFCA     FunderKind = "fca"
	FunderCDC     FunderKind = "cdc" // Caisse des dépôts
	FunderState   FunderKind = "state"
	FunderPrivate FunderKind = "private"
	FunderOther   FunderKind = "other"
)

// FunderKinds are the allowed kinds of funder.
var FunderKinds = []FunderKind{FunderRegion, FunderFCA, FunderCDC, FunderState, FunderPrivate, FunderOther}

// EvaluationRecommendation is what a pilot's evaluation (bilan) recommends.
type EvaluationRecommendation string

const (
	EvaluationDeploy EvaluationRecommendation = "deploy"
	EvaluationAdapt  EvaluationRecommendation = "adapt"
	EvaluationStop   EvaluationRecommendation = "stop" // refused by deploy: the project is abandoned instead
)

// EvaluationRecommendations are the allowed recommendations.
var EvaluationRecommendations = []EvaluationRecommendation{EvaluationDeploy, EvaluationAdapt, EvaluationStop}

// Bounds on what a pilot and an outcome hold (they keep the state small).
const (
	MaxIndicators        = 10
	MaxMeasures          = 200 // per need
	MaxFunders           = 20
	MaxDeployTerritories = 50
	MaxJobsCreated       = 100000
	MaxAmountEUR         = 1e10
	maxMeasureValue      = 1e12
)

// Indicator is one thing the pilot follows.
type Indicator struct {
	Key    string   `json:"key"`
	Label  string   `json:"label"`
	Target *float64 `json:"target,omitempty"`
	Unit   string   `json:"unit,omitempty"`
}

// Measure is one value recorded for an indicator during the pilot.
type Measure struct {
	Key        string    `json:"key"`
	Value      float64   `json:"value"`
	At         Date      `json:"at"`
	RecordedAt time.Time `json:"recorded_at"`
	By         string    `json:"by,omitempty"` // the officer's account id
}

// IndicatorResult is the evaluation's result for one indicator.
type IndicatorResult struct {
	Key   string   `json:"key"`
	Value *float64 `json:"value"`
}

// Evaluation is the pilot's bilan.
type Evaluation struct {
	Results        []IndicatorResult        `json:"results"`
	Lessons        string                   `json:"lessons"`
	Recommendation EvaluationRecommendation `json:"recommendation"`
}

// Deployment is the evaluation that allowed it and where the model spreads.
type Deployment struct {
	Evaluation  Evaluation `json:"evaluation"`
	Territories []string   `json:"territories"`
}

// Structure is the structure that carries the project once deployed.
type Structure struct {
	Name      string          `json:"name"`
	LegalForm LegalForm       `json:"legal_form"`
	SIRET     string          `json:"siret,omitempty"`
	Origin    StructureOrigin `json:"origin"`
}

// Funder is who financed the project, with how much.
type Funder struct {
	Kind      FunderKind `json:"kind"`
	Name      string     `json:"name"`
	AmountEUR *float64   `json:"amount_eur"`
}

// Outcome is what a deployed project produced (the plan's indicators count it).
type Outcome struct {
	Structure   Structure `json:"structure"`
	JobsCreated float64   `json:"jobs_created"`
	Funders     []Funder  `json:"funders"`
}

// FundedEUR is the total of the funders' amounts.
func (o *Outcome) FundedEUR() float64 {
	var t float64
	for _, f := range o.Funders {
		if f.AmountEUR != nil {
			t += *f.AmountEUR
		}
	}
	return roundCents(t)
}

// Latest is the indicator's most recent measure (by date, then as recorded).
func (p *Pilot) Latest(key string) *Measure {
	var out *Measure
	for i := range p.Measures {
		m := &p.Measures[i]
		if m.Key == key && (out == nil || !m.At.Before(out.At)) {
			out = m
		}
	}
	return out
}

// Indicator returns the pilot's indicator named key.
func (p *Pilot) Indicator(key string) (Indicator, bool) {
	i := slices.IndexFunc(p.Indicators, func(x Indicator) bool { return x.Key == key })
	if i < 0 {
		return Indicator{}, false
	}
	return p.Indicators[i], true
}

// newRules tells whether the need was created under the rules that require
// budgets, indicators, evaluations and outcomes.
func (n *Need) newRules() bool { return n.Rules >= 1 }

// checkNumber adds a field error when v is missing (and required), not a
// finite number, or out of [min, max] (min excluded when above is set).
func checkNumber(fe FieldErrors, field string, v *float64, required bool, min, max float64, above bool) {
	switch {
	case v == nil:
		if required {
			fe.Add(field, "field.required")
		}
	case math.IsNaN(*v) || math.IsInf(*v, 0):
		fe.Add(field, "field.number")
	case above && *v <= min:
		fe.Add(field, "field.above", formatPlain(min))
	case !above && *v < min:
		fe.Add(field, "field.min", formatPlain(min))
	case *v > max:
		fe.Add(field, "field.max", formatPlain(max))
	}
}

func formatPlain(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// checkText trims *v and checks its length in characters.
func checkText(fe FieldErrors, field string, v *string, required bool, min, max int) {
	*v = strings.TrimSpace(*v)
	l := len([]rune(*v))
	switch {
	case l == 0 && required:
		fe.Add(field, "field.required")
	case l > 0 && l < min:
		fe.Add(field, "field.min_len", strconv.Itoa(min))
	case l > max:
		fe.Add(field, "field.max_len", strconv.Itoa(max))
	}
}

// ValidSIRET tells whether s is 14 digits with a valid Luhn checksum (La
// Poste's establishments, SIREN 356000000, follow their own rule: the sum of
// the digits is a multiple of 5).
func ValidSIRET(s string) bool {
	if len(s) != 14 {
		return false
	}
	sum, digits := 0, 0
	for i := 0; i < 14; i++ {
		c := s[13-i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		digits += d
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	if strings.HasPrefix(s, "356000000") {
		return digits%5 == 0
	}
	return sum%10 == 0
}

// FormatEUR writes an amount the French way: "45 000,50 €".
func FormatEUR(v float64) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', 2, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 {
		b.WriteString("-")
	}
	for i, ch := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteRune('\u202f')
		}
		b.WriteRune(ch)
	}
	return b.String() + "," + frac + "\u00a0€"
}

// validateStudyBudget checks the experiment budget a study proposes:
// required with a "go" recommendation on needs under the new rules.
func (n *Need) validateStudyBudget(in *NeedInput, fe FieldErrors) {
	if !n.newRules() {
		return
	}
	checkNumber(fe, "budget_eur", in.BudgetEUR, in.Recommendation == RecommendGo, 0, MaxAmountEUR, false)
}

// validatePilotPlan checks start_pilot's indicators and, on needs under the
// new rules, that the budget stays within what the committee approved.
func (n *Need) validatePilotPlan(in *NeedInput, fe FieldErrors) {
	if !n.newRules() && len(in.Indicators) == 0 {
		return
	}
	switch {
	case len(in.Indicators) == 0:
		fe.Add("indicators", "field.required")
	case len(in.Indicators) > MaxIndicators:
		fe.Add("indicators", "field.max_items", strconv.Itoa(MaxIndicators))
	default:
		seen := map[string]bool{}
		for i := range in.Indicators {
			ind := &in.Indicators[i]
			row := strconv.Itoa(i + 1)
			ind.Key = strings.TrimSpace(ind.Key)
			sub := FieldErrors{}
			switch {
			case ind.Key == "":
				sub.Add("key", "field.required")
			case !slugPattern.MatchString(ind.Key): // as theme slugs
				sub.Add("key", "field.slug_format")
			case seen[ind.Key]:
				sub.Add("key", "field.duplicate_key", ind.Key)
			}
			seen[ind.Key] = true
			checkText(sub, "label", &ind.Label, true, 2, 200)
			checkText(sub, "unit", &ind.Unit, false, 1, 30)
			checkNumber(sub, "target", ind.Target, false, -maxMeasureValue, maxMeasureValue, false)
			addRow(fe, "indicators", row, sub)
		}
	}
	if n.newRules() && n.ApprovedBudgetEUR != nil && in.BudgetEUR != nil && !math.IsNaN(*in.BudgetEUR) &&
		roundCents(*in.BudgetEUR) > *n.ApprovedBudgetEUR {
		fe.Add("budget_eur", "field.budget_over_approved", FormatEUR(*n.ApprovedBudgetEUR))
	}
}

// addRow reports the first mistake of a list's row on the list's field
// ("indicateurs, ligne 2 : « libellé » est obligatoire"): field.row.<key>
// takes the list's label, the row number, the row field's label and the
// mistake's own arguments.
func addRow(fe FieldErrors, list, row string, sub FieldErrors) {
	for _, name := range []string{"key", "label", "unit", "target", "value", "kind", "name", "amount_eur"} {
		if m, ok := sub[name]; ok {
			args := append([]string{row, m.Args[0]}, m.Args[1:]...)
			fe.Add(list, "field.row."+strings.TrimPrefix(m.Key, "field."), args...)
			return
		}
	}
}

// validateMeasure checks record_indicator.
func (n *Need) validateMeasure(in *NeedInput, now time.Time, fe FieldErrors) error {
	if n.Pilot != nil && len(n.Pilot.Measures) >= MaxMeasures {
		return E(CodeConflict, "error.too_many_measures", strconv.Itoa(MaxMeasures))
	}
	in.Key = strings.TrimSpace(in.Key)
	switch {
	case in.Key == "":
		fe.Add("key", "field.required")
	case n.Pilot == nil:
		// the read model's copy has no pilot: the workflow checks the key
	default:
		if _, ok := n.Pilot.Indicator(in.Key); !ok {
			fe.Add("key", "field.unknown_indicator")
		}
	}
	checkNumber(fe, "value", in.Value, true, -maxMeasureValue, maxMeasureValue, false)
	if strings.TrimSpace(in.At) != "" {
		d, ok := ParseDate(in.At)
		if lo, hi := DateBounds(now); !ok {
			fe.Add("at", "field.date")
		} else if d.Before(lo) || hi.Before(d) {
			fe.Add("at", "field.date_range", string(lo), string(hi))
		} else {
			in.At = string(d)
		}
	}
	return nil
}

// validateDeployment checks deploy's evaluation and territories (required
// on needs under the new rules; checked when given on older ones).
func (n *Need) validateDeployment(in *NeedInput, ref Reference, fe FieldErrors) {
	if n.newRules() || in.Evaluation != nil {
		ev := in.Evaluation
		if ev == nil {
			fe.Add("evaluation", "field.required")
		} else {
			if n.newRules() && len(ev.Results) == 0 {
				fe.Add("evaluation.results", "field.required")
			}
			if len(ev.Results) > MaxIndicators {
				fe.Add("evaluation.results", "field.max_items", strconv.Itoa(MaxIndicators))
			}
			seen := map[string]bool{}
			for i := range ev.Results {
				if i >= MaxIndicators {
					break
				}
				r := &ev.Results[i]
				r.Key = strings.TrimSpace(r.Key)
				sub := FieldErrors{}
				switch {
				case r.Key == "":
					sub.Add("key", "field.required")
				case seen[r.Key]:
					sub.Add("key", "field.duplicate_key", r.Key)
				case n.Pilot != nil:
					if _, ok := n.Pilot.Indicator(r.Key); !ok {
						sub.Add("key", "field.unknown_indicator")
					}
				}
				seen[r.Key] = true
				checkNumber(sub, "value", r.Value, true, -maxMeasureValue, maxMeasureValue, false)
				addRow(fe, "evaluation.results", strconv.Itoa(i+1), sub)
			}
			checkText(fe, "evaluation.lessons", &ev.Lessons, true, 10, 5000)
			switch {
			case ev.Recommendation == "":
				fe.Add("evaluation.recommendation", "field.required")
			case !slices.Contains(EvaluationRecommendations, ev.Recommendation):
				fe.Add("evaluation.recommendation", "field.oneof", joinValues(EvaluationRecommendations))
			case ev.Recommendation == EvaluationStop:
				fe.Add("evaluation.recommendation", "field.evaluation_stop")
			}
		}
	}
	if n.newRules() || len(in.Territories) > 0 {
		checkTerritories(fe, in.Territories, ref, MaxDeployTerritories)
	}
}

// checkTerritories checks a list of territory codes: at least one, known,
// not retired, each once.
func checkTerritories(fe FieldErrors, codes []string, ref Reference, max int) {
	if len(codes) == 0 {
		fe.Add("territories", "field.required")
		return
	}
	if len(codes) > max {
		fe.Add("territories", "field.max_items", strconv.Itoa(max))
		return
	}
	seen := map[string]bool{}
	for _, t := range codes {
		if !ref.TerritoryExists(t) {
			fe.Add("territories", "field.unknown_territories", t)
		} else if seen[t] {
			fe.Add("territories", "field.duplicate_territory", t)
		}
		seen[t] = true
	}
}

// validateOutcome checks complete's structure, jobs and funders (required
// on needs under the new rules; checked when given on older ones).
func (n *Need) validateOutcome(in *NeedInput, fe FieldErrors) {
	if !n.newRules() && in.Structure == nil && in.JobsCreated == nil && len(in.Funders) == 0 {
		return
	}
	if s := in.Structure; s == nil {
		fe.Add("structure", "field.required")
	} else {
		checkText(fe, "structure.name", &s.Name, true, 2, 200)
		switch {
		case s.LegalForm == "":
			fe.Add("structure.legal_form", "field.required")
		case !slices.Contains(LegalForms, s.LegalForm):
			fe.Add("structure.legal_form", "field.oneof", joinValues(LegalForms))
		}
		s.SIRET = strings.Join(strings.Fields(s.SIRET), "")
		if s.SIRET != "" && !ValidSIRET(s.SIRET) {
			fe.Add("structure.siret", "field.siret")
		}
		switch {
		case s.Origin == "":
			fe.Add("structure.origin", "field.required")
		case !slices.Contains(StructureOrigins, s.Origin):
			fe.Add("structure.origin", "field.oneof", joinValues(StructureOrigins))
		}
	}
	checkNumber(fe, "jobs_created", in.JobsCreated, true, 0, MaxJobsCreated, false)
	switch {
	case len(in.Funders) == 0:
		fe.Add("funders", "field.required")
	case len(in.Funders) > MaxFunders:
		fe.Add("funders", "field.max_items", strconv.Itoa(MaxFunders))
	default:
		for i := range in.Funders {
			f := &in.Funders[i]
			sub := FieldErrors{}
			switch {
			case f.Kind == "":
				sub.Add("kind", "field.required")
			case !slices.Contains(FunderKinds, f.Kind):
				sub.Add("kind", "field.oneof", joinValues(FunderKinds))
			}
			checkText(sub, "name", &f.Name, true, 2, 200)
			checkNumber(sub, "amount_eur", f.AmountEUR, true, 0, MaxAmountEUR, true)
			addRow(fe, "funders", strconv.Itoa(i+1), sub)
		}
	}
}

func joinValues[T ~string](vals []T) string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = string(v)
	}
	return strings.Join(out, ", ")
}

func cents(v *float64) *float64 {
	if v == nil {
		return nil
	}
	c := roundCents(*v)
	return &c
}

func amount(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

// ActionRecordIndicator records a measured value of a pilot's indicator.
const ActionRecordIndicator Action = "record_indicator"

// cloneFollowUp deep-copies the budget, deployment and outcome (Clone).
func (c *Need) cloneFollowUp(n *Need) {
	c.ApprovedBudgetEUR = cents(n.ApprovedBudgetEUR)
	if n.Study != nil && c.Study != nil {
		c.Study.BudgetEUR = cents(n.Study.BudgetEUR)
	}
	if n.Deployment != nil {
		d := *n.Deployment
		d.Territories = slices.Clone(n.Deployment.Territories)
		d.Evaluation.Results = slices.Clone(n.Deployment.Evaluation.Results)
		c.Deployment = &d
	}
	if n.Outcome != nil {
		o := *n.Outcome
		o.Funders = slices.Clone(n.Outcome.Funders)
		c.Outcome = &o
	}
}

// approveBudget records, on an approval, the budget the study proposed.
func (n *Need) approveBudget(ev *Event) {
	if n.Study == nil || n.Study.BudgetEUR == nil {
		return
	}
	n.ApprovedBudgetEUR = cents(n.Study.BudgetEUR)
	ev.Data["approved_budget_eur"] = amount(*n.ApprovedBudgetEUR)
}

// applyFollowUp stores what the budget, indicators, measures, evaluation
// and outcome add to an action already applied; ev is the action's event.
func (n *Need) applyFollowUp(cmd NeedCommand, now time.Time, ev *Event) {
	in := cmd.NeedInput
	data := func(k, v string) {
		if ev.Data == nil {
			ev.Data = map[string]string{}
		}
		ev.Data[k] = v
	}
	switch cmd.Action {
	case ActionSubmitStudy:
		if n.newRules() && in.BudgetEUR != nil && n.Study != nil {
			n.Study.BudgetEUR = cents(in.BudgetEUR)
			data("budget_eur", amount(*n.Study.BudgetEUR))
		}
	case ActionStartPilot:
		if len(in.Indicators) > 0 && n.Pilot != nil {
			n.Pilot.Indicators = slices.Clone(in.Indicators)
			keys := make([]string, len(in.Indicators))
			for i, x := range in.Indicators {
				keys[i] = x.Key
			}
			data("indicators", strings.Join(keys, ","))
		}
	case ActionRecordIndicator:
		at := Today(now)
		if d, ok := ParseDate(in.At); ok {
			at = d
		}
		m := Measure{Key: in.Key, Value: *in.Value, At: at, RecordedAt: now, By: cmd.Caller.UserID}
		n.Pilot.Measures = append(n.Pilot.Measures, m)
		data("key", m.Key)
		data("value", formatPlain(m.Value))
		data("at", string(m.At))
	case ActionDeploy:
		if in.Evaluation == nil {
			return
		}
		n.Deployment = &Deployment{Evaluation: *in.Evaluation, Territories: slices.Clone(in.Territories)}
		n.Deployment.Evaluation.Results = slices.Clone(in.Evaluation.Results)
		data("recommendation", string(in.Evaluation.Recommendation))
		data("territories", strings.Join(in.Territories, ","))
	case ActionComplete:
		if in.Structure == nil {
			return
		}
		o := &Outcome{Structure: *in.Structure, Funders: slices.Clone(in.Funders)}
		if in.JobsCreated != nil {
			o.JobsCreated = math.Round(*in.JobsCreated*100) / 100
		}
		for i := range o.Funders {
			o.Funders[i].AmountEUR = cents(o.Funders[i].AmountEUR)
		}
		n.Outcome = o
		data("structure", o.Structure.Name)
		data("legal_form", string(o.Structure.LegalForm))
		data("origin", string(o.Structure.Origin))
		data("jobs_created", formatPlain(o.JobsCreated))
		data("funded_eur", amount(o.FundedEUR()))
	}
}
