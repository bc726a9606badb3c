package admin

import (
	"essor/internal/domain"
	"essor/internal/server/kit"
)

// Routes are the routes of accounts, reference data and personal data (RGPD).
func (s *Handlers) Routes() []kit.Route {
	return []kit.Route{
		kit.Open("GET", "/api/v1/themes", s.listThemes),
		kit.Open("GET", "/api/v1/territories", s.listTerritories),
		kit.Write("POST", "/api/v1/themes", s.apiCreateTheme, domain.RoleAdmin),
		kit.Write("PATCH", "/api/v1/themes/:slug", s.apiUpdateTheme, domain.RoleAdmin),
		kit.Write("POST", "/api/v1/territories", s.apiCreateTerritory, domain.RoleAdmin),
		kit.Write("PATCH", "/api/v1/territories/:code", s.apiUpdateTerritory, domain.RoleAdmin),
		// Personal data (RGPD), for admins
		kit.Token("GET", "/api/v1/admin/users/:id/export", s.apiExportUser, domain.RoleAdmin),
		kit.Write("POST", "/api/v1/admin/users/:id/erase", s.apiEraseUser, domain.RoleAdmin),
		// The territories an officer covers: reminders of needs nobody is in charge of
		kit.Token("GET", "/api/v1/admin/users/:id/territories", s.apiOfficerTerritories, domain.RoleAdmin),
		kit.Write("PUT", "/api/v1/admin/users/:id/territories", s.apiSetOfficerTerritories, domain.RoleAdmin),
		kit.Write("PUT", "/api/v1/admin/users/:id/organisation", s.setAccountOrganisation, domain.RoleAdmin),
		// Webhooks: the targets that hear of Essor's events
		kit.Write("POST", "/api/v1/admin/webhooks", s.createWebhook, domain.RoleAdmin),
		kit.Token("GET", "/api/v1/admin/webhooks", s.listWebhooks, domain.RoleAdmin),
		kit.Write("DELETE", "/api/v1/admin/webhooks/:id", s.deleteWebhook, domain.RoleAdmin),
		kit.Token("GET", "/api/v1/admin/webhooks/:id/deliveries", s.webhookDeliveries, domain.RoleAdmin),
		kit.SignedIn("GET", kit.PagePath["accounts"], s.accounts, domain.RoleAdmin),
		kit.SignedInPost("POST", kit.PagePath["accounts"], s.addAccount, domain.RoleAdmin),
		kit.SignedIn("GET", kit.PagePath["account"], s.account, domain.RoleAdmin),
		kit.SignedInPost("POST", kit.PagePath["account"], s.updateAccount, domain.RoleAdmin),
		kit.SignedInPost("POST", kit.PagePath["account.state"], s.setAccountState, domain.RoleAdmin),
		kit.SignedIn("GET", kit.PagePath["account.export"], s.exportAccount, domain.RoleAdmin),
		kit.SignedIn("GET", kit.PagePath["account.erase"], s.eraseForm, domain.RoleAdmin),
		kit.SignedInPost("POST", kit.PagePath["account.erase"], s.eraseAccount, domain.RoleAdmin),
		kit.SignedIn("GET", kit.PagePath["reference"], s.referencePage, domain.RoleAdmin),
		kit.SignedInPost("POST", kit.PagePath["reference.themes"], s.addThemePage, domain.RoleAdmin),
		kit.SignedInPost("POST", kit.PagePath["reference.theme"], s.changeThemePage, domain.RoleAdmin),
		kit.SignedInPost("POST", kit.PagePath["reference.territories"], s.addTerritoryPage, domain.RoleAdmin),
		kit.SignedInPost("POST", kit.PagePath["reference.territory"], s.changeTerritoryPage, domain.RoleAdmin),
	}
}
