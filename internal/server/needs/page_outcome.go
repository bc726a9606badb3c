package needs

import (
	"math"
	"strconv"
	"strings"

	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// The need page's part for the approved budget, the pilot's indicators and
// measures, the evaluation and the outcome: what it shows, the options of
// its forms (from the domain's lists) and how those forms are read.

// Rows the forms offer for lists (no JavaScript: empty rows are ignored).
const (
	indicatorFormRows = 3
	funderFormRows    = 3
)

// followUpView is what the page shows and offers of the follow-up.
type followUpView struct {
	ProposedBudget string // formatted; "" when none
	ApprovedBudget string
	IndicatorViews []indicatorView
	Evaluation     *evaluationView
	Outcome        *outcomeView

	// Form options and rows.
	LegalFormOptions  []kit.Option
	OriginOptions     []kit.Option
	FunderKindOptions []kit.Option
	EvaluationOptions []kit.Option
	IndicatorOptions  []kit.Option
	IndicatorRows     []formRow
	FunderRows        []formRow
	ResultRows        []formRow // one per indicator of the pilot

	lang i18n.Lang
}

type indicatorView struct {
	Label, Unit, Target, Latest string
	LatestAt                    domain.Date
	Measures                    int
}

type evaluationView struct {
	Recommendation string
	Lessons        string
	Results        []labelValue
	Territories    []string
}

type outcomeView struct {
	Name, LegalForm, SIRET, Origin, Jobs, Total string
	Funders                                     []funderView
}

type funderView struct{ Kind, Name, Amount string }

type labelValue struct{ Label, Value string }

// formRow is one row of a list in a form.
type formRow struct {
	Index  int
	Number string // shown: 1, 2, 3
	Key    string // a result row's indicator
	Label  string
}

// followUpOf builds the view of a need's follow-up in the page's language.
func followUpOf(row storage.NeedRow, lang i18n.Lang) followUpView {
	v := followUpView{lang: lang}
	eur := func(x float64) string { return i18n.T(lang, "web.fmt.eur", kit.FormatNumber(lang, x, 2)) }
	if row.Study != nil && row.Study.BudgetEUR != nil {
		v.ProposedBudget = eur(*row.Study.BudgetEUR)
	}
	if row.ApprovedBudgetEUR != nil {
		v.ApprovedBudget = eur(*row.ApprovedBudgetEUR)
	}
	labels := map[string]string{}
	if row.Pilot != nil {
		for i, ind := range row.Pilot.Indicators {
			labels[ind.Key] = ind.Label
			iv := indicatorView{Label: ind.Label, Unit: ind.Unit}
			if ind.Target != nil {
				iv.Target = kit.PlainNumber(lang, *ind.Target)
			}
			for _, m := range row.Pilot.Measures {
				if m.Key == ind.Key {
					iv.Measures++
				}
			}
			if m := row.Pilot.Latest(ind.Key); m != nil {
				iv.Latest, iv.LatestAt = kit.PlainNumber(lang, m.Value), m.At
			}
			v.IndicatorViews = append(v.IndicatorViews, iv)
			v.IndicatorOptions = append(v.IndicatorOptions, kit.Option{Value: ind.Key, Label: ind.Label, Hint: ind.Unit})
			v.ResultRows = append(v.ResultRows, formRow{Index: i, Number: strconv.Itoa(i + 1), Key: ind.Key, Label: ind.Label})
		}
	}
	if d := row.Deployment; d != nil {
		ev := &evaluationView{Recommendation: i18n.T(lang, "evaluation."+string(d.Evaluation.Recommendation)),
			Lessons: d.Evaluation.Lessons, Territories: d.Territories}
		for _, r := range d.Evaluation.Results {
			label := labels[r.Key]
			if label == "" {
				label = r.Key
			}
			if r.Value != nil {
				ev.Results = append(ev.Results, labelValue{Label: label, Value: kit.PlainNumber(lang, *r.Value)})
			}
		}
		v.Evaluation = ev
	}
	if o := row.Outcome; o != nil {
		ov := &outcomeView{Name: o.Structure.Name, SIRET: o.Structure.SIRET,
			LegalForm: i18n.T(lang, "legal_form."+string(o.Structure.LegalForm)),
			Origin:    i18n.T(lang, "origin."+string(o.Structure.Origin)),
			Jobs:      i18n.T(lang, "web.outcome.jobs_value", kit.PlainNumber(lang, o.JobsCreated)),
			Total:     eur(o.FundedEUR())}
		for _, f := range o.Funders {
			fv := funderView{Kind: i18n.T(lang, "funder."+string(f.Kind)), Name: f.Name}
			if f.AmountEUR != nil {
				fv.Amount = eur(*f.AmountEUR)
			}
			ov.Funders = append(ov.Funders, fv)
		}
		v.Outcome = ov
	}
	for _, x := range domain.LegalForms {
		v.LegalFormOptions = append(v.LegalFormOptions, kit.Option{Value: string(x), Label: i18n.T(lang, "legal_form."+string(x))})
	}
	for _, x := range domain.StructureOrigins {
		v.OriginOptions = append(v.OriginOptions, kit.Option{Value: string(x), Label: i18n.T(lang, "origin."+string(x))})
	}
	for _, x := range domain.FunderKinds {
		v.FunderKindOptions = append(v.FunderKindOptions, kit.Option{Value: string(x), Label: i18n.T(lang, "funder."+string(x))})
	}
	for _, x := range domain.EvaluationRecommendations {
		v.EvaluationOptions = append(v.EvaluationOptions, kit.Option{Value: string(x), Label: i18n.T(lang, "evaluation."+string(x))})
	}
	for i := range indicatorFormRows {
		v.IndicatorRows = append(v.IndicatorRows, formRow{Index: i, Number: strconv.Itoa(i + 1)})
	}
	for i := range funderFormRows {
		v.FunderRows = append(v.FunderRows, formRow{Index: i, Number: strconv.Itoa(i + 1)})
	}
	return v
}

// IndicatorLabel names an indicator of the pilot by its key (the key
// itself when the pilot has no such indicator).
func (v followUpView) IndicatorLabel(key string) string {
	for _, o := range v.IndicatorOptions {
		if o.Value == key {
			return o.Label
		}
	}
	return key
}

// MeasureValue writes a value recorded in an event ("12.5") the page's
// way ("12,5").
func (v followUpView) MeasureValue(s string) string {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	return kit.PlainNumber(v.lang, x)
}

// parseNumber reads a number as people type it (French decimal comma,
// spaces between thousands); NaN and infinities are refused.
func parseNumber(s string) (float64, bool) {
	v, ok := kit.ParseAmount(s)
	return v, ok && !math.IsNaN(v) && !math.IsInf(v, 0)
}

// followUpInput reads the follow-up's fields of an action's form into in.
func followUpInput(a domain.Action, f *kit.Form, in *domain.NeedInput, fe domain.FieldErrors) {
	number := func(field, v string, rowOf string, row int) *float64 {
		v = strings.TrimSpace(v)
		if v == "" {
			return nil
		}
		x, ok := parseNumber(v)
		if !ok {
			if rowOf != "" {
				fe.Add(rowOf, "field.row.number", strconv.Itoa(row+1), "@field."+field)
			} else {
				fe.Add(field, "field.number")
			}
			return nil
		}
		return &x
	}
	blank := func(vals ...string) bool {
		for _, v := range vals {
			if strings.TrimSpace(v) != "" {
				return false
			}
		}
		return true
	}
	switch a {
	case domain.ActionStartPilot:
		for i := range max(len(f.Values["indicator_key"]), len(f.Values["indicator_label"])) {
			key, label, target, unit := f.At("indicator_key", i), f.At("indicator_label", i), f.At("indicator_target", i), f.At("indicator_unit", i)
			if blank(key, label, target, unit) {
				continue
			}
			in.Indicators = append(in.Indicators, domain.Indicator{Key: key, Label: label, Unit: unit,
				Target: number("target", target, "indicators", len(in.Indicators))})
		}
	case domain.ActionRecordIndicator:
		in.Key, in.At = f.Value("key"), f.Value("at")
		in.Value = number("value", f.Value("value"), "", 0)
	case domain.ActionDeploy:
		ev := &domain.Evaluation{Lessons: f.Value("evaluation.lessons"),
			Recommendation: domain.EvaluationRecommendation(f.Value("evaluation.recommendation"))}
		for i, key := range f.Values["result_key"] {
			val := f.At("result_value", i)
			if blank(val) {
				continue
			}
			ev.Results = append(ev.Results, domain.IndicatorResult{Key: key, Value: number("value", val, "evaluation.results", len(ev.Results))})
		}
		in.Evaluation = ev
	case domain.ActionComplete:
		in.Structure = &domain.Structure{Name: f.Value("structure.name"), LegalForm: domain.LegalForm(f.Value("structure.legal_form")),
			SIRET: f.Value("structure.siret"), Origin: domain.StructureOrigin(f.Value("structure.origin"))}
		in.JobsCreated = number("jobs_created", f.Value("jobs_created"), "", 0)
		for i := range max(len(f.Values["funder_kind"]), len(f.Values["funder_name"]), len(f.Values["funder_amount"])) {
			kind, name, amount := f.At("funder_kind", i), f.At("funder_name", i), f.At("funder_amount", i)
			if blank(kind, name, amount) {
				continue
			}
			in.Funders = append(in.Funders, domain.Funder{Kind: domain.FunderKind(kind), Name: name,
				AmountEUR: number("amount_eur", amount, "funders", len(in.Funders))})
		}
	}
}
