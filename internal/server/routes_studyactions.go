package server

import "essor/internal/domain"

// studyactionsRoutes are the routes of the Fonds de confiance's study-actions.
func (s *Server) StudyactionsRoutes() []Route {
	return []Route{
		// The Fonds de confiance (study-actions)
		Write("POST", "/api/v1/study-actions", s.createStudyAction, domain.RoleActor),
		Token("GET", "/api/v1/study-actions", s.listStudyActions),
		Token("GET", "/api/v1/study-actions/figures", s.studyActionFigures),
		Token("GET", "/api/v1/study-actions/:id", s.getStudyAction),
		Write("POST", "/api/v1/study-actions/:id/transitions", s.transitionStudyAction),
		Token("GET", "/api/v1/study-actions/:id/events", s.studyActionEvents),
		Token("GET", "/api/v1/study-actions/:id/votes", s.studyActionVotes),
		Open("GET", PagePath["fund"], s.studyActions),
		SignedIn("GET", PagePath["fund.apply"], s.applyForm, domain.RoleActor),
		SignedInPost("POST", PagePath["fund.apply"], s.apply, domain.RoleActor),
		SignedIn("GET", PagePath["fund.followup"], s.studyFollowUp, domain.RoleOfficer),
		Open("GET", PagePath["study"], s.studyView),
		SignedInPost("POST", PagePath["study.actions"], s.studyAction),
		Open("GET", PagePath["fund.csv"], s.studyActionsCSV),
	}
}
