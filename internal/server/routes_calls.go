package server

import "essor/internal/domain"

// callsRoutes are the routes of calls for projects.
func (s *Server) CallsRoutes() []Route {
	return []Route{
		// Calls for projects
		Write("POST", "/api/v1/calls", s.createCall, domain.RoleOfficer),
		Token("GET", "/api/v1/calls", s.listCalls),
		Token("GET", "/api/v1/calls/:id", s.getCall),
		Write("POST", "/api/v1/calls/:id/applications", s.applyToCall, domain.RoleActor),
		Token("GET", "/api/v1/calls/:id/applications", s.callApplications),
		Write("POST", "/api/v1/calls/:id/proposal", s.proposeSelection, domain.RoleOfficer),
		Write("POST", "/api/v1/calls/:id/transitions", s.callTransitions),
		Token("GET", "/api/v1/calls/:id/events", s.callEvents),
		Token("GET", "/api/v1/calls/:id/votes", s.callVotes),
		Open("GET", PagePath["calls.csv"], s.callsCSV),
		Open("GET", PagePath["calls"], s.callsList),
		SignedIn("GET", PagePath["calls.new"], s.callForm, domain.RoleOfficer),
		SignedInPost("POST", PagePath["calls.new"], s.createCallPage, domain.RoleOfficer),
		Open("GET", PagePath["call"], s.callView),
		SignedInPost("POST", PagePath["call.apply"], s.callApply, domain.RoleActor),
		SignedInPost("POST", PagePath["call.propose"], s.callPropose, domain.RoleOfficer),
		SignedInPost("POST", PagePath["call.close"], s.callCloseUnsuccessful, domain.RoleOfficer),
	}
}
