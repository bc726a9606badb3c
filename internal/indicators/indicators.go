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
	"slices"
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
	Rally  storage.RallyFigures `json:"rally"`
	Months []Month              `json:"months"`
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
	if f.Territory != "" {
		if !slices.ContainsFunc(territories, func(t storage.Territory) bool { return t.Code == f.Territory }) {
			return r, ErrUnknownTerritory
		}
		sf.Territories = Within(territories, f.Territory)
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
	r.Needs.ByTerritory = append([]TerritoryCount{}, nest(byTerritory, territories)...) // [] rather than null: the document says an array
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
// figure includes its zones'.
func nest(cs []storage.Count, territories []storage.Territory) []TerritoryCount {
	n := map[string]int{}
	for _, c := range cs {
		n[c.Key] = c.N
	}
	var out []TerritoryCount
	for _, t := range territories {
		if t.Kind != "departement" {
			continue
		}
		d := TerritoryCount{Code: t.Code, Name: t.Name, Kind: t.Kind, N: n[t.Code]}
		for _, z := range territories {
			if z.ParentCode != nil && *z.ParentCode == t.Code && n[z.Code] > 0 {
				d.Zones = append(d.Zones, TerritoryCount{Code: z.Code, Name: z.Name, Kind: z.Kind, N: n[z.Code]})
				d.N += n[z.Code]
			}
		}
		if d.N > 0 {
			out = append(out, d)
		}
	}
	for _, t := range territories { // what lies in no département (the region itself, others)
		if t.Kind != "departement" && (t.ParentCode == nil || !isDepartement(*t.ParentCode, territories)) && n[t.Code] > 0 {
			out = append(out, TerritoryCount{Code: t.Code, Name: t.Name, Kind: t.Kind, N: n[t.Code]})
		}
	}
	return out
}

// Within is a territory's code and the codes of all that lies within it (a
// département's employment zones), read from the reference data.
func Within(territories []storage.Territory, code string) []string {
	codes := []string{code}
	for i := 0; i < len(codes); i++ { // breadth first: each code's children join the list
		for _, t := range territories {
			if t.ParentCode != nil && *t.ParentCode == codes[i] && !slices.Contains(codes, t.Code) {
				codes = append(codes, t.Code)
			}
		}
	}
	return codes
}

func isDepartement(code string, territories []storage.Territory) bool {
	return slices.ContainsFunc(territories, func(t storage.Territory) bool { return t.Code == code && t.Kind == "departement" })
}

func round1(v float64) float64 { return float64(int64(v*10+0.5)) / 10 }
func round2(v float64) float64 { return float64(int64(v*100+0.5)) / 100 }
