package server

import "essor/internal/domain"

// adminRoutes are the routes of accounts, reference data and personal data (RGPD).
func (s *Server) AdminRoutes() []Route {
	return []Route{
		Open("GET", "/api/v1/themes", s.listThemes),
		Open("GET", "/api/v1/territories", s.listTerritories),
		Write("POST", "/api/v1/themes", s.apiCreateTheme, domain.RoleAdmin),
		Write("PATCH", "/api/v1/themes/:slug", s.apiUpdateTheme, domain.RoleAdmin),
		Write("POST", "/api/v1/territories", s.apiCreateTerritory, domain.RoleAdmin),
		Write("PATCH", "/api/v1/territories/:code", s.apiUpdateTerritory, domain.RoleAdmin),
		// Personal data (RGPD), for admins
		Token("GET", "/api/v1/admin/users/:id/export", s.apiExportUser, domain.RoleAdmin),
		Write("POST", "/api/v1/admin/users/:id/erase", s.apiEraseUser, domain.RoleAdmin),
		// The territories an officer covers: reminders of needs nobody is in charge of
		Token("GET", "/api/v1/admin/users/:id/territories", s.apiOfficerTerritories, domain.RoleAdmin),
		Write("PUT", "/api/v1/admin/users/:id/territories", s.apiSetOfficerTerritories, domain.RoleAdmin),
		SignedIn("GET", PagePath["accounts"], s.accounts, domain.RoleAdmin),
		SignedInPost("POST", PagePath["accounts"], s.addAccount, domain.RoleAdmin),
		SignedIn("GET", PagePath["account"], s.account, domain.RoleAdmin),
		SignedInPost("POST", PagePath["account"], s.updateAccount, domain.RoleAdmin),
		SignedInPost("POST", PagePath["account.state"], s.setAccountState, domain.RoleAdmin),
		SignedIn("GET", PagePath["account.export"], s.exportAccount, domain.RoleAdmin),
		SignedIn("GET", PagePath["account.erase"], s.eraseForm, domain.RoleAdmin),
		SignedInPost("POST", PagePath["account.erase"], s.eraseAccount, domain.RoleAdmin),
		SignedIn("GET", PagePath["reference"], s.referencePage, domain.RoleAdmin),
		SignedInPost("POST", PagePath["reference.themes"], s.addThemePage, domain.RoleAdmin),
		SignedInPost("POST", PagePath["reference.theme"], s.changeThemePage, domain.RoleAdmin),
		SignedInPost("POST", PagePath["reference.territories"], s.addTerritoryPage, domain.RoleAdmin),
		SignedInPost("POST", PagePath["reference.territory"], s.changeTerritoryPage, domain.RoleAdmin),
	}
}
