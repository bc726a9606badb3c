package studyactions

import (
	"essor/internal/domain"
	"essor/internal/server/kit"
)

// Routes are the routes of the Fonds de confiance's study-actions.
func (s *Handlers) Routes() []kit.Route {
	return []kit.Route{
		// The Fonds de confiance (study-actions)
		kit.Write("POST", "/api/v1/study-actions", s.createStudyAction, domain.RoleActor),
		kit.Token("GET", "/api/v1/study-actions", s.listStudyActions),
		kit.Token("GET", "/api/v1/study-actions/figures", s.studyActionFigures),
		kit.Token("GET", "/api/v1/study-actions/:id", s.getStudyAction),
		kit.Write("POST", "/api/v1/study-actions/:id/transitions", s.transitionStudyAction),
		kit.Token("GET", "/api/v1/study-actions/:id/events", s.studyActionEvents),
		kit.Token("GET", "/api/v1/study-actions/:id/votes", s.studyActionVotes),
		kit.Open("GET", kit.PagePath["studyactions"], s.studyActions),
		kit.SignedIn("GET", kit.PagePath["studyactions.apply"], s.applyForm, domain.RoleActor),
		kit.SignedInPost("POST", kit.PagePath["studyactions.apply"], s.apply, domain.RoleActor),
		kit.SignedIn("GET", kit.PagePath["studyactions.followup"], s.studyActionFollowUp, domain.RoleOfficer),
		kit.Open("GET", kit.PagePath["studyaction"], s.studyActionView),
		kit.SignedInPost("POST", kit.PagePath["studyaction.actions"], s.studyAction),
		kit.Open("GET", kit.PagePath["studyactions.csv"], s.studyActionsCSV),
	}
}
