package discussion

import (
	"essor/internal/domain"
	"essor/internal/server/kit"
)

// Routes are the routes of discussion and e-mail notifications.
func (s *Handlers) Routes() []kit.Route {
	return []kit.Route{
		// Discussion and e-mail notifications (api_comments.go, page_comments.go, api_notifications.go, page_notifications.go)
		kit.Token("GET", "/api/v1/needs/:id/comments", s.listNeedComments),
		kit.Write("POST", "/api/v1/needs/:id/comments", s.createNeedComment, domain.CommentRoles...),
		kit.Token("PATCH", "/api/v1/needs/:id/comments/:cid", s.editNeedComment),
		kit.Token("DELETE", "/api/v1/needs/:id/comments/:cid", s.deleteNeedComment),
		kit.Write("POST", "/api/v1/needs/:id/comments/:cid/hide", s.hideNeedComment, domain.RoleOfficer),
		kit.Token("GET", "/api/v1/me/notifications", s.getNotifications),
		kit.Token("PUT", "/api/v1/me/notifications", s.putNotifications),
		kit.Token("GET", "/api/v1/admin/outbox", s.apiOutbox, domain.RoleAdmin),
		kit.SignedIn("GET", kit.PagePath["my.notifications"], s.notificationsPage),
		kit.SignedInPost("POST", kit.PagePath["my.notifications"], s.saveNotificationsPage),
		// One-click unsubscribe (RFC 8058): the token is the authority, no session or form token.
		kit.Open("GET", kit.PagePath["unsubscribe"], s.unsubscribeForm),
		kit.Open("POST", kit.PagePath["unsubscribe"], s.unsubscribe),
		kit.SignedIn("GET", kit.PagePath["outbox"], s.outboxPage, domain.RoleAdmin),
	}
}
