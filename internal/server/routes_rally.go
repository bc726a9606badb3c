package server

import "essor/internal/domain"

// rallyRoutes are the routes of Rally'nov rounds.
func (s *Server) RallyRoutes() []Route {
	return []Route{
		// Rally'nov rounds
		Write("POST", "/api/v1/rally/rounds", s.createRound, domain.RoleOrganiser),
		Token("GET", "/api/v1/rally/rounds", s.listRounds),
		Token("GET", "/api/v1/rally/rounds/:id", s.getRound),
		Write("POST", "/api/v1/rally/rounds/:id/phase", s.roundPhase, domain.RoleOrganiser),
		Write("POST", "/api/v1/rally/rounds/:id/entries", s.createEntry, domain.RoleActor),
		Token("GET", "/api/v1/rally/rounds/:id/entries", s.listEntries),
		Write("POST", "/api/v1/rally/rounds/:id/entries/:entry_id/scores", s.scoreEntry, domain.RoleJury),
		Token("GET", "/api/v1/rally/rounds/:id/jurors", s.roundJurors, domain.RoleOrganiser, domain.RoleJury),
		Write("PUT", "/api/v1/rally/rounds/:id/jurors", s.nameJurors, domain.RoleOrganiser),
		Write("POST", "/api/v1/rally/rounds/:id/selection", s.selectEntries, domain.RoleOrganiser),
		Write("POST", "/api/v1/rally/rounds/:id/stages", s.scheduleStage, domain.RoleOrganiser),
		Write("POST", "/api/v1/rally/rounds/:id/trophies", s.awardTrophy, domain.RoleOrganiser),
		Open("GET", "/api/v1/rally/rounds/:id/results", s.roundResults),
		Open("GET", "/api/v1/rally/rounds/:id/calendar.ics", s.roundCalendar),
		Open("GET", PagePath["rally.csv"], s.roundsCSV),
		Open("GET", PagePath["rally"], s.rallyList),
		SignedIn("GET", PagePath["rally.new"], s.roundSetupForm, domain.RoleOrganiser),
		SignedInPost("POST", PagePath["rally.new"], s.roundSetup, domain.RoleOrganiser),
		Open("GET", PagePath["rally.round"], s.roundPageView),
		SignedInPost("POST", PagePath["rally.phase"], s.roundAdvancePage, domain.RoleOrganiser),
		SignedInPost("POST", PagePath["rally.selection"], s.roundSelectPage, domain.RoleOrganiser),
		SignedInPost("POST", PagePath["rally.jurors"], s.roundJuryPage, domain.RoleOrganiser),
		SignedInPost("POST", PagePath["rally.stages"], s.roundStagePage, domain.RoleOrganiser),
		SignedInPost("POST", PagePath["rally.trophies"], s.roundTrophyPage, domain.RoleOrganiser),
		SignedIn("GET", PagePath["rally.enter"], s.entryForm, domain.RoleActor),
		SignedInPost("POST", PagePath["rally.enter"], s.submitEntry, domain.RoleActor),
		SignedIn("GET", PagePath["rally.jury"], s.juryEntries, domain.RoleJury),
		SignedInPost("POST", PagePath["rally.score"], s.scoreEntryPage, domain.RoleJury),
	}
}
