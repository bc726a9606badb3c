// Package indicators answers the plan's indicators (domain.md §4) from the
// read model: the pipeline by stage, territory and theme, time in stage and
// overdue items, pilots and deployments, the structures and jobs the
// projects created, who financed them, and each programme's own figures.
// The API, its CSV, the indicators page, the territorial sheets and the
// annual report all read one Report.
package indicators

import (
	"context"
	"errors"
	"time"

	"golang.org/x/sync/errgroup"

	"essor/internal/domain"
	"essor/internal/storage"
)

// Service computes reports.
type Service struct {
	DB          *storage.DB
	Ref         *storage.Reference // the territories, cached: no query per request for them
	FundTargets domain.FundTargets // the Fonds de confiance's period and targets
}

// Filter is what a reader asks for: a territory (a département includes
// its employment zones) and a period, both optional.
type Filter struct {
	Territory string      `json:"territory,omitempty"`
	From      domain.Date `json:"from,omitempty"`
	To        domain.Date `json:"to,omitempty"` // included
}

// Count is one figure of a breakdown.
type Count struct {
	Key string `json:"key"`
	N   int    `json:"n"`
}

// Rates are needs per 10,000 inhabitants, by département and by EPCI.
type Rates struct {
	Departements []TerritoryRate `json:"departements"`
	EPCIs        []TerritoryRate `json:"epcis"`
}

// TerritoryRate is a territory's needs for its population: the needs
// located in it or in a territory inside it (a commune's count for its EPCI
// and its département, a département's for the département only), the
// population the sum of its communes'.
type TerritoryRate struct {
	Code       string  `json:"code"`
	Name       string  `json:"name"`
	N          int     `json:"n"`
	Population int     `json:"population"`
	Per10000   float64 `json:"per_10000"`
}

// TerritoryCount is a territory's needs, with its employment zones' under a département.
type TerritoryCount struct {
	Code  string           `json:"code"`
	Name  string           `json:"name"`
	Kind  string           `json:"kind"`
	N     int              `json:"n"`
	Zones []TerritoryCount `json:"zones,omitempty"`
}

// StageTime is the average days spent in a stage by the needs that left it.
type StageTime struct {
	Stage   domain.Stage `json:"stage"`
	AvgDays float64      `json:"avg_days"`
	Left    int          `json:"left"`
}

// Report is every indicator for one filter.
type Report struct {
	Filter      Filter    `json:"filter"`
	GeneratedAt time.Time `json:"generated_at"`
	Needs       struct {
		Total       int              `json:"total"`
		ByStage     []Count          `json:"by_stage"`
		ByTerritory []TerritoryCount `json:"by_territory"`
		ByTheme     []Count          `json:"by_theme"`
		// PerInhabitants is the needs per 10,000 inhabitants of each
		// département and EPCI (within the filter's territory).
		PerInhabitants Rates `json:"per_10000_inhabitants"`
	} `json:"needs"`
	TimeInStage []StageTime `json:"time_in_stage"`
	Overdue     struct {
		Total   int     `json:"total"`
		ByStage []Count `json:"by_stage"`
	} `json:"overdue"`
	Pilots      int `json:"pilots"`
	Deployments int `json:"deployments"`
	Projects    struct {
		Deployed          int                `json:"deployed"`
		StructuresCreated int                `json:"structures_created"`
		StructuresTaken   int                `json:"structures_taken_over"`
		SCOP              int                `json:"scop"`
		SCIC              int                `json:"scic"`
		ByLegalForm       map[string]int     `json:"by_legal_form"`
		JobsCreated       float64            `json:"jobs_created"`
		FCAAndRegion      int                `json:"supported_by_fca_cofinanced_by_region"`
		FundingEUR        map[string]float64 `json:"funding_eur"`
	} `json:"projects"`
	StudyActions struct {
		ByStage            []Count            `json:"by_stage"`
		EnterprisesCreated int                `json:"enterprises_created"`
		JobsCreated        float64            `json:"jobs_created"`
		CommittedEUR       map[string]float64 `json:"committed_eur"`
		Leverage           *float64           `json:"leverage"`
		Targets            domain.FundTargets `json:"programme"`
	} `json:"study_actions"`
	// Rally is the Rally'nov rounds created within the period.
	Rally storage.RallyFigures `json:"rally"`
	// Committee is the committee's decisions by programme (every territory).
	Committee []storage.CommitteeFigures `json:"committee"`
	// SessionsHeld is the committee's sessions held (closed) in the period.
	SessionsHeld int     `json:"committee_sessions_held"`
	Months       []Month `json:"months"`
}

// Month is what happened in one month.
type Month struct {
	Month     string  `json:"month"` // 2026-11
	Submitted int     `json:"needs_submitted"`
	Deployed  int     `json:"projects_deployed"`
	Jobs      float64 `json:"jobs_created"`
}

// ErrUnknownTerritory is returned for a territory filter naming no territory.
var ErrUnknownTerritory = errors.New("unknown territory")

// Report computes every indicator for f; its queries run side by side.
func (s *Service) Report(ctx context.Context, f Filter) (Report, error) {
	r := Report{Filter: f, GeneratedAt: time.Now().UTC().Truncate(time.Second)}
	sf := storage.IndicatorFilter{}
	if f.From != "" {
		sf.From = f.From.Start()
	}
	if f.To != "" {
		sf.To = f.To.End()
	}
	_, territories, err := s.Ref.Load(ctx)
	if err != nil {
		return r, err
	}
	tree, err := s.Ref.Tree(ctx)
	if err != nil {
		return r, err
	}
	if f.Territory != "" {
		if _, ok := tree.Get(f.Territory); !ok {
			return r, ErrUnknownTerritory
		}
		sf.Territories = tree.Within(f.Territory)
	}
	var (
		byStage, byTerritory, byTheme, overdue, studies []storage.Count
		times                                           []storage.StageTime
		outcomes                                        storage.Outcomes
		months                                          []storage.MonthFigures
		fund                                            storage.StudyActionFigures
	)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4) // a share of the pool, not all of it
	g.Go(func() (err error) { byStage, err = s.DB.NeedsBy(gctx, "stage", sf); return })
	g.Go(func() (err error) { byTerritory, err = s.DB.NeedsBy(gctx, "territory", sf); return })
	g.Go(func() (err error) { byTheme, err = s.DB.NeedsBy(gctx, "theme", sf); return })
	g.Go(func() (err error) { overdue, err = s.DB.Overdue(gctx, sf); return })
	g.Go(func() (err error) { times, err = s.DB.StageTimes(gctx, sf); return })
	g.Go(func() (err error) { outcomes, err = s.DB.Outcomes(gctx, sf); return })
	g.Go(func() (err error) { months, err = s.DB.Months(gctx, sf); return })
	g.Go(func() (err error) { studies, err = s.DB.StudyActionsBy(gctx, sf); return })
	g.Go(func() (err error) { r.Rally, err = s.DB.RallyFigures(gctx, sf); return })
	g.Go(func() (err error) { r.Committee, err = s.DB.CommitteeFiguresBy(gctx, sf); return })
	g.Go(func() (err error) { r.SessionsHeld, err = s.DB.SessionsHeld(gctx, sf); return })
	g.Go(func() (err error) {
		from, to := s.FundTargets.From.Start(), s.FundTargets.To.End()
		if f.From != "" || f.To != "" {
			from, to = sf.From, sf.To
			if to.IsZero() {
				to = time.Now().AddDate(100, 0, 0)
			}
		}
		fund, err = s.DB.StudyActionFigures(gctx, from, to, sf.Territories...)
		return
	})
	if err := g.Wait(); err != nil {
		return r, err
	}

	r.Needs.ByStage = ordered(byStage, domain.Stages)
	for _, c := range r.Needs.ByStage {
		r.Needs.Total += c.N
	}
	r.Needs.ByTerritory = append([]TerritoryCount{}, nest(byTerritory, territories, tree)...) // [] rather than null: the document says an array
	r.Needs.PerInhabitants = rates(byTerritory, tree, f.Territory)
	r.TimeInStage = []StageTime{}
	r.Needs.ByTheme = counts(byTheme)
	r.Overdue.ByStage = ordered(overdue, domain.Stages)
	for _, c := range r.Overdue.ByStage {
		r.Overdue.Total += c.N
	}
	for _, st := range domain.Stages {
		for _, t := range times {
			if t.Stage == string(st) {
				r.TimeInStage = append(r.TimeInStage, StageTime{Stage: st, AvgDays: round1(t.AvgDays), Left: t.N})
			}
		}
	}
	for _, c := range byStage {
		switch domain.Stage(c.Key) {
		case domain.StagePilot:
			r.Pilots = c.N
		case domain.StageDeployment:
			r.Deployments = c.N
		}
	}
	p := &r.Projects
	p.Deployed, p.StructuresCreated, p.StructuresTaken = outcomes.Deployed, outcomes.Created, outcomes.TakenOver
	p.SCOP, p.SCIC, p.ByLegalForm, p.JobsCreated = outcomes.SCOP, outcomes.SCIC, outcomes.ByLegalForm, round2(outcomes.Jobs)
	p.FCAAndRegion, p.FundingEUR = outcomes.FCARegion, outcomes.ByFunder
	sa := &r.StudyActions
	sa.ByStage = ordered(studies, domain.StudyActionStages)
	sa.EnterprisesCreated, sa.JobsCreated = fund.Enterprises, round2(fund.JobsCreated)
	sa.CommittedEUR = map[string]float64{string(domain.FunderRegion): fund.Committed.RegionEUR,
		string(domain.FunderCDC): fund.Committed.CDCEUR, string(domain.FunderPrivate): fund.Committed.PrivateEUR}
	sa.Leverage, sa.Targets = fund.Committed.Leverage(), s.FundTargets
	for _, m := range months {
		r.Months = append(r.Months, Month{Month: m.Month.Format("2006-01"), Submitted: m.Submitted, Deployed: m.Deployed, Jobs: round2(m.Jobs)})
	}
	return r, nil
}

// ordered lists counts in the order of keys, zeros included.
func ordered[T ~string](cs []storage.Count, keys []T) []Count {
	out := make([]Count, 0, len(keys))
	for _, k := range keys {
		n := 0
		for _, c := range cs {
			if c.Key == string(k) {
				n = c.N
			}
		}
		out = append(out, Count{Key: string(k), N: n})
	}
	return out
}

func counts(cs []storage.Count) []Count {
	out := make([]Count, 0, len(cs))
	for _, c := range cs {
		out = append(out, Count{Key: c.Key, N: c.N})
	}
	return out
}

// nest groups employment zones under their département; a département's
// figure includes its zones' and, folded in, its communes' and EPCIs'. Each
// territory counts once, under the département its first parents lead to
// (a zone spanning several départements under its first), so that the
// figures add up to the total.
func nest(cs []storage.Count, territories []storage.Territory, tree storage.TerritoryTree) []TerritoryCount {
	n := map[string]int{}
	for _, c := range cs {
		n[c.Key] = c.N
	}
	departementOf := func(code string) string {
		for seen := 0; code != "" && seen < 10; seen++ {
			t, ok := tree.Get(code)
			if !ok {
				return ""
			}
			if t.Kind == domain.KindDepartement {
				return t.Code
			}
			code = t.Parent()
		}
		return ""
	}
	byDept := map[string]*TerritoryCount{}
	var out []TerritoryCount
	var outside []TerritoryCount
	for _, t := range territories {
		if t.Kind == domain.KindDepartement {
			byDept[t.Code] = &TerritoryCount{Code: t.Code, Name: t.Name, Kind: t.Kind}
		}
	}
	for _, t := range territories {
		if n[t.Code] == 0 {
			continue
		}
		d := byDept[departementOf(t.Code)]
		switch {
		case d == nil: // what lies in no département (the region itself, others)
			outside = append(outside, TerritoryCount{Code: t.Code, Name: t.Name, Kind: t.Kind, N: n[t.Code]})
		case t.Kind == domain.KindEmploymentZone:
			d.Zones = append(d.Zones, TerritoryCount{Code: t.Code, Name: t.Name, Kind: t.Kind, N: n[t.Code]})
			d.N += n[t.Code]
		default:
			d.N += n[t.Code]
		}
	}
	for _, t := range territories {
		if d := byDept[t.Code]; d != nil && d.N > 0 {
			out = append(out, *d)
		}
	}
	return append(out, outside...)
}

// rates are the needs per 10,000 inhabitants of the départements and EPCIs
// (those inside within when it is set).
func rates(cs []storage.Count, tree storage.TerritoryTree, within string) Rates {
	n := map[string]int{}
	for _, c := range cs {
		n[c.Key] = c.N
	}
	var inside map[string]bool
	if within != "" {
		inside = map[string]bool{}
		for _, code := range tree.Ancestors(within) {
			inside[code] = true
		}
		for _, code := range tree.Within(within) {
			inside[code] = true
		}
	}
	rate := func(t storage.Territory) (TerritoryRate, bool) {
		r := TerritoryRate{Code: t.Code, Name: t.Name}
		for _, code := range tree.Within(t.Code) {
			r.N += n[code]
			if c, ok := tree.Get(code); ok && c.Kind == storage.KindCommune && c.Population != nil {
				r.Population += *c.Population
			}
		}
		if r.Population > 0 {
			r.Per10000 = round2(float64(r.N) * 10_000 / float64(r.Population))
		}
		return r, r.Population > 0 && (inside == nil || inside[t.Code])
	}
	out := Rates{Departements: []TerritoryRate{}, EPCIs: []TerritoryRate{}}
	for _, t := range tree.OfKind(domain.KindDepartement) {
		if r, ok := rate(t); ok {
			out.Departements = append(out.Departements, r)
		}
	}
	for _, t := range tree.OfKind(storage.KindEPCI) {
		if r, ok := rate(t); ok {
			out.EPCIs = append(out.EPCIs, r)
		}
	}
	return out
}

// Within is a territory's code and the codes of all that lies within it,
// through every parent (a département's employment zones, EPCIs and
// communes), read from the reference data.
func Within(territories []storage.Territory, code string) []string {
	return storage.NewTerritoryTree(territories).Within(code)
}

func round1(v float64) float64 { return float64(int64(v*10+0.5)) / 10 }
func round2(v float64) float64 { return float64(int64(v*100+0.5)) / 100 }
