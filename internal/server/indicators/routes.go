package indicators

import (
	"essor/internal/server/kit"
)

// Routes are the routes of the plan's indicators and the open data.
func (s *Handlers) Routes() []kit.Route {
	return []kit.Route{
		// The plan's indicators (public: aggregates only)
		kit.Open("GET", "/api/v1/indicators", s.apiIndicators),
		kit.Open("GET", "/api/v1/indicators.csv", s.apiIndicatorsCSV),
		kit.Open("GET", kit.PagePath["indicators"], s.indicatorsDashboard),
		kit.Open("GET", kit.PagePath["indicators.sheet"], s.territorySheet),
		kit.Open("GET", kit.PagePath["indicators.report"], s.annualReport),
		kit.Open("GET", kit.PagePath["opendata.csv"], s.openDataCSV),
		kit.Open("GET", kit.PagePath["opendata.json"], s.openDataJSON),
		// The open data page
		kit.Open("GET", kit.PagePath["opendata"], s.openDataNotice),
	}
}
