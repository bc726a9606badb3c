package committee

import (
	"essor/internal/domain"
	"essor/internal/server/kit"
)

// Routes are the routes of the committee of every programme.
func (s *Handlers) Routes() []kit.Route {
	return []kit.Route{
		// The committee of every programme
		kit.Token("GET", "/api/v1/committee/pending", s.committeePending, domain.RoleCommittee),
		kit.Token("GET", "/api/v1/committee/institutions", s.listInstitutions, domain.RoleCommittee, domain.RoleOfficer, domain.RoleAdmin),
		kit.Write("POST", "/api/v1/committee/institutions", s.createInstitution, domain.RoleAdmin),
		kit.Write("PUT", "/api/v1/committee/institutions/:slug/members", s.setInstitutionMembers, domain.RoleAdmin),
		kit.Write("POST", "/api/v1/committee/sessions", s.planSession, domain.RoleOfficer, domain.RoleAdmin),
		kit.Token("GET", "/api/v1/committee/sessions", s.listSessions, domain.RoleCommittee, domain.RoleOfficer, domain.RoleAdmin),
		kit.Token("GET", "/api/v1/committee/sessions/:id", s.getSession, domain.RoleCommittee, domain.RoleOfficer, domain.RoleAdmin),
		kit.Token("GET", "/api/v1/committee/sessions/:id/minutes", s.sessionMinutes, domain.RoleCommittee, domain.RoleOfficer, domain.RoleAdmin),
		kit.Write("POST", "/api/v1/committee/sessions/:id/agenda", s.addAgendaItem, domain.RoleOfficer, domain.RoleAdmin),
		kit.Write("POST", "/api/v1/committee/sessions/:id/transitions", s.sessionTransition, domain.RoleOfficer, domain.RoleAdmin),
		kit.Write("POST", "/api/v1/committee/sessions/:id/items/:n/decision", s.decideItem, domain.RoleOfficer, domain.RoleAdmin),
		kit.SignedIn("GET", kit.PagePath["committee"], s.committee, domain.RoleCommittee),
		kit.SignedIn("GET", kit.PagePath["institutions"], s.institutionsPage, domain.RoleAdmin),
		kit.SignedIn("GET", kit.PagePath["sessions"], s.sessionsList, domain.RoleCommittee, domain.RoleOfficer, domain.RoleAdmin),
		kit.SignedInPost("POST", kit.PagePath["sessions"], s.planSessionPage, domain.RoleOfficer, domain.RoleAdmin),
		kit.SignedIn("GET", kit.PagePath["session"], s.sessionPage, domain.RoleCommittee, domain.RoleOfficer, domain.RoleAdmin),
		kit.SignedInPost("POST", kit.PagePath["session.actions"], s.sessionActionPage, domain.RoleOfficer, domain.RoleAdmin),
		kit.SignedIn("GET", kit.PagePath["session.ics"], s.sessionInvitation, domain.RoleCommittee, domain.RoleOfficer, domain.RoleAdmin),
		kit.SignedIn("GET", kit.PagePath["session.minutes"], s.sessionMinutes, domain.RoleCommittee, domain.RoleOfficer, domain.RoleAdmin),
		kit.SignedInPost("POST", kit.PagePath["institutions"], s.addInstitutionPage, domain.RoleAdmin),
		kit.SignedInPost("POST", kit.PagePath["institution.members"], s.institutionMembersPage, domain.RoleAdmin),
		kit.SignedInPost("POST", kit.PagePath["committee.vote"], s.committeeVote, domain.RoleCommittee),
	}
}
