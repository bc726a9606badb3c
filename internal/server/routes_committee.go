package server

import "essor/internal/domain"

// committeeRoutes are the routes of the committee of every programme.
func (s *Server) CommitteeRoutes() []Route {
	return []Route{
		// The committee of every programme
		Token("GET", "/api/v1/committee/pending", s.committeePending, domain.RoleCommittee),
		SignedIn("GET", PagePath["committee"], s.committee, domain.RoleCommittee),
		SignedInPost("POST", PagePath["committee.vote"], s.committeeVote, domain.RoleCommittee),
	}
}
