package needs

import (
	"essor/internal/domain"
	"essor/internal/server/kit"
)

// Routes are the routes of the emergence pipeline: needs, their pages, board and exports.
func (s *Handlers) Routes() []kit.Route {
	return []kit.Route{
		// The emergence pipeline
		kit.Write("POST", "/api/v1/needs", s.createNeed, domain.RoleActor),
		kit.Token("GET", "/api/v1/needs", s.listNeeds),
		kit.Token("GET", "/api/v1/needs/:id", s.getNeed),
		kit.Write("POST", "/api/v1/needs/:id/transitions", s.transitionNeed),
		kit.Token("GET", "/api/v1/needs/:id/events", s.needEvents),
		kit.Token("GET", "/api/v1/needs/:id/votes", s.needVotes),
		kit.Write("POST", "/api/v1/needs/:id/supports", s.supportNeed, domain.RoleActor),
		kit.Token("GET", "/api/v1/needs/:id/carrier-suggestions", s.carrierSuggestions, domain.RoleOfficer),
		kit.Open("GET", kit.PagePath["needs"], s.needsList),
		kit.Open("GET", kit.PagePath["seeking"], s.seekingList),
		kit.Open("GET", kit.PagePath["seeking.atom"], s.seekingFeed),
		kit.SignedIn("GET", kit.PagePath["needs.new"], s.submitForm, domain.RoleActor),
		kit.SignedInPost("POST", kit.PagePath["needs.new"], s.submitNeed, domain.RoleActor),
		kit.SignedIn("GET", kit.PagePath["needs.similar"], s.similarNeeds, domain.RoleActor),
		kit.Open("GET", kit.PagePath["need"], s.needView),
		kit.SignedInPost("POST", kit.PagePath["need.actions"], s.needAction),
		kit.SignedInPost("POST", kit.PagePath["need.support"], s.supportNeedPage, domain.RoleActor),
		kit.SignedIn("GET", kit.PagePath["my.needs"], s.myNeeds),
		kit.SignedIn("GET", kit.PagePath["my.files"], s.myFiles, domain.RoleOfficer),
		kit.SignedIn("GET", kit.PagePath["board"], s.board, domain.RoleOfficer),
		kit.Open("GET", kit.PagePath["needs.csv"], s.needsCSV),
		kit.SignedInPost("POST", kit.PagePath["need.comments"], s.commentPage),
		kit.SignedInPost("POST", kit.PagePath["need.comment"], s.commentChangePage),
	}
}
