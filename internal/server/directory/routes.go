package directory

import (
	"essor/internal/domain"
	"essor/internal/server/kit"
)

// Routes are the routes of the directory.
func (s *Handlers) Routes() []kit.Route {
	return []kit.Route{
		kit.Token("GET", "/api/v1/organisations", s.listOrganisations),
		kit.Token("GET", "/api/v1/organisations/:id", s.getOrganisation),
		kit.Write("POST", "/api/v1/organisations", s.createOrganisation, domain.RoleOfficer, domain.RoleAdmin),
		kit.Write("PATCH", "/api/v1/organisations/:id", s.updateOrganisation, domain.RoleOfficer, domain.RoleAdmin),
		kit.Open("GET", kit.PagePath["directory"], s.directoryPage),
		kit.SignedIn("GET", kit.PagePath["directory.links"], s.linksPage, domain.RoleOfficer, domain.RoleAdmin),
		kit.SignedInPost("POST", kit.PagePath["directory.links"], s.linkLabel, domain.RoleOfficer, domain.RoleAdmin),
		kit.Open("GET", kit.PagePath["organisation"], s.organisationPage),
		kit.Open("GET", kit.PagePath["directory.csv"], s.directoryCSV),
		kit.Open("GET", kit.PagePath["directory.json"], s.directoryJSON),
	}
}
