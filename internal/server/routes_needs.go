package server

import "essor/internal/domain"

// needsRoutes are the routes of the emergence pipeline: needs, their pages, board and exports.
func (s *Server) NeedsRoutes() []Route {
	return []Route{
		// The emergence pipeline
		Write("POST", "/api/v1/needs", s.createNeed, domain.RoleActor),
		Token("GET", "/api/v1/needs", s.listNeeds),
		Token("GET", "/api/v1/needs/:id", s.getNeed),
		Write("POST", "/api/v1/needs/:id/transitions", s.transitionNeed),
		Token("GET", "/api/v1/needs/:id/events", s.needEvents),
		Token("GET", "/api/v1/needs/:id/votes", s.needVotes),
		Write("POST", "/api/v1/needs/:id/supports", s.supportNeed, domain.RoleActor),
		Open("GET", PagePath["needs"], s.needsList),
		SignedIn("GET", PagePath["needs.new"], s.submitForm, domain.RoleActor),
		SignedInPost("POST", PagePath["needs.new"], s.submitNeed, domain.RoleActor),
		SignedIn("GET", PagePath["needs.similar"], s.similarNeeds, domain.RoleActor),
		Open("GET", PagePath["need"], s.needView),
		SignedInPost("POST", PagePath["need.actions"], s.needAction),
		SignedInPost("POST", PagePath["need.support"], s.supportNeedPage, domain.RoleActor),
		SignedIn("GET", PagePath["my.needs"], s.myNeeds),
		SignedIn("GET", PagePath["my.files"], s.myFiles, domain.RoleOfficer),
		SignedIn("GET", PagePath["board"], s.board, domain.RoleOfficer),
		Open("GET", PagePath["needs.csv"], s.needsCSV),
		SignedInPost("POST", PagePath["need.comments"], s.commentPage),
		SignedInPost("POST", PagePath["need.comment"], s.commentChangePage),
	}
}
