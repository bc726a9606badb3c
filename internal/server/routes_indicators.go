package server

// indicatorsRoutes are the routes of the plan's indicators and the open data.
func (s *Server) IndicatorsRoutes() []Route {
	return []Route{
		// The plan's indicators (public: aggregates only)
		Open("GET", "/api/v1/indicators", s.apiIndicators),
		Open("GET", "/api/v1/indicators.csv", s.apiIndicatorsCSV),
		Open("GET", PagePath["indicators"], s.indicatorsDashboard),
		Open("GET", PagePath["indicators.sheet"], s.territorySheet),
		Open("GET", PagePath["indicators.report"], s.annualReport),
		Open("GET", PagePath["opendata.csv"], s.openDataCSV),
		Open("GET", PagePath["opendata.json"], s.openDataJSON),
		// The open data page and the notices of a public service (page_notices.go)
		Open("GET", PagePath["opendata"], s.openDataNotice),
	}
}
