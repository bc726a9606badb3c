package server

import "essor/internal/domain"

// discussionRoutes are the routes of discussion and e-mail notifications.
func (s *Server) DiscussionRoutes() []Route {
	return []Route{
		// Discussion and e-mail notifications (api_comments.go, page_comments.go, api_notifications.go, page_notifications.go)
		Token("GET", "/api/v1/needs/:id/comments", s.listNeedComments),
		Write("POST", "/api/v1/needs/:id/comments", s.createNeedComment, domain.CommentRoles...),
		Token("PATCH", "/api/v1/needs/:id/comments/:cid", s.editNeedComment),
		Token("DELETE", "/api/v1/needs/:id/comments/:cid", s.deleteNeedComment),
		Write("POST", "/api/v1/needs/:id/comments/:cid/hide", s.hideNeedComment, domain.RoleOfficer),
		Token("GET", "/api/v1/me/notifications", s.getNotifications),
		Token("PUT", "/api/v1/me/notifications", s.putNotifications),
		Token("GET", "/api/v1/admin/outbox", s.apiOutbox, domain.RoleAdmin),
		SignedIn("GET", PagePath["my.notifications"], s.notificationsPage),
		SignedInPost("POST", PagePath["my.notifications"], s.saveNotificationsPage),
		// One-click unsubscribe (RFC 8058): the token is the authority, no session or form token.
		Open("GET", PagePath["unsubscribe"], s.unsubscribeForm),
		Open("POST", PagePath["unsubscribe"], s.unsubscribe),
		SignedIn("GET", PagePath["outbox"], s.outboxPage, domain.RoleAdmin),
	}
}
