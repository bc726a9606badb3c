package calls

import (
	"essor/internal/domain"
	"essor/internal/server/kit"
)

// Routes are the routes of calls for projects.
func (s *Handlers) Routes() []kit.Route {
	return []kit.Route{
		// Calls for projects
		kit.Write("POST", "/api/v1/calls", s.createCall, domain.RoleOfficer),
		kit.Token("GET", "/api/v1/calls", s.listCalls),
		kit.Token("GET", "/api/v1/calls/:id", s.getCall),
		kit.Write("POST", "/api/v1/calls/:id/applications", s.applyToCall, domain.RoleActor),
		kit.Token("GET", "/api/v1/calls/:id/applications", s.callApplications),
		kit.Write("POST", "/api/v1/calls/:id/proposal", s.proposeSelection, domain.RoleOfficer),
		kit.Write("POST", "/api/v1/calls/:id/transitions", s.callTransitions),
		kit.Token("GET", "/api/v1/calls/:id/events", s.callEvents),
		kit.Token("GET", "/api/v1/calls/:id/votes", s.callVotes),
		kit.Open("GET", kit.PagePath["calls.csv"], s.callsCSV),
		kit.Open("GET", kit.PagePath["calls"], s.callsList),
		kit.SignedIn("GET", kit.PagePath["calls.new"], s.callForm, domain.RoleOfficer),
		kit.SignedInPost("POST", kit.PagePath["calls.new"], s.createCallPage, domain.RoleOfficer),
		kit.Open("GET", kit.PagePath["call"], s.callView),
		kit.SignedInPost("POST", kit.PagePath["call.apply"], s.callApply, domain.RoleActor),
		kit.SignedInPost("POST", kit.PagePath["call.propose"], s.callPropose, domain.RoleOfficer),
		kit.SignedInPost("POST", kit.PagePath["call.close"], s.callCloseUnsuccessful, domain.RoleOfficer),
	}
}
