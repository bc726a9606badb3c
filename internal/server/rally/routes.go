package rally

import (
	"essor/internal/domain"
	"essor/internal/server/kit"
)

// Routes are the routes of Rally'nov rounds.
func (s *Handlers) Routes() []kit.Route {
	return []kit.Route{
		// Rally'nov rounds
		kit.Write("POST", "/api/v1/rally/rounds", s.createRound, domain.RoleOrganiser),
		kit.Token("GET", "/api/v1/rally/rounds", s.listRounds),
		kit.Token("GET", "/api/v1/rally/rounds/:id", s.getRound),
		kit.Write("POST", "/api/v1/rally/rounds/:id/phase", s.roundPhase, domain.RoleOrganiser),
		kit.Write("POST", "/api/v1/rally/rounds/:id/entries", s.createEntry, domain.RoleActor),
		kit.Token("GET", "/api/v1/rally/rounds/:id/entries", s.listEntries),
		kit.Write("POST", "/api/v1/rally/rounds/:id/entries/:entry_id/scores", s.scoreEntry, domain.RoleJury),
		kit.Token("GET", "/api/v1/rally/rounds/:id/jurors", s.roundJurors, domain.RoleOrganiser, domain.RoleJury),
		kit.Write("PUT", "/api/v1/rally/rounds/:id/jurors", s.nameJurors, domain.RoleOrganiser),
		kit.Write("POST", "/api/v1/rally/rounds/:id/selection", s.selectEntries, domain.RoleOrganiser),
		kit.Write("POST", "/api/v1/rally/rounds/:id/stages", s.scheduleStage, domain.RoleOrganiser),
		kit.Write("POST", "/api/v1/rally/rounds/:id/trophies", s.awardTrophy, domain.RoleOrganiser),
		kit.Open("GET", "/api/v1/rally/rounds/:id/results", s.roundResults),
		kit.Open("GET", "/api/v1/rally/rounds/:id/calendar.ics", s.roundCalendar),
		kit.Open("GET", kit.PagePath["rally.csv"], s.roundsCSV),
		kit.Open("GET", kit.PagePath["rally"], s.rallyList),
		kit.SignedIn("GET", kit.PagePath["rally.new"], s.roundSetupForm, domain.RoleOrganiser),
		kit.SignedInPost("POST", kit.PagePath["rally.new"], s.roundSetup, domain.RoleOrganiser),
		kit.Open("GET", kit.PagePath["rally.round"], s.roundPageView),
		kit.SignedInPost("POST", kit.PagePath["rally.phase"], s.roundAdvancePage, domain.RoleOrganiser),
		kit.SignedInPost("POST", kit.PagePath["rally.selection"], s.roundSelectPage, domain.RoleOrganiser),
		kit.SignedInPost("POST", kit.PagePath["rally.jurors"], s.roundJuryPage, domain.RoleOrganiser),
		kit.SignedInPost("POST", kit.PagePath["rally.stages"], s.roundStagePage, domain.RoleOrganiser),
		kit.SignedInPost("POST", kit.PagePath["rally.trophies"], s.roundTrophyPage, domain.RoleOrganiser),
		kit.SignedIn("GET", kit.PagePath["rally.enter"], s.entryForm, domain.RoleActor),
		kit.SignedInPost("POST", kit.PagePath["rally.enter"], s.submitEntry, domain.RoleActor),
		kit.SignedIn("GET", kit.PagePath["rally.jury"], s.juryEntries, domain.RoleJury),
		kit.SignedInPost("POST", kit.PagePath["rally.score"], s.scoreEntryPage, domain.RoleJury),
	}
}
