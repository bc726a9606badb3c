package server

import (
	"essor/internal/domain"
	"essor/internal/storage"
)

// addMailSpec describes the discussion and the notifications' routes; the
// kinds and modes come from internal/domain/notification.go.
func addMailSpec(schemas, paths obj) {
	dateTime := obj{"type": "string", "format": "date-time"}
	uuid := obj{"type": "string", "format": "uuid"}
	nullable := func(o obj) obj { o = clone(o); o["nullable"] = true; return o }
	mode := obj{"type": "string", "enum": enumOf(domain.NotifyModes)}
	kinds := obj{}
	for _, k := range domain.NotificationKinds {
		kinds[string(k)] = mode
	}

	schemas["Comment"] = object(nil, obj{
		"id": uuid, "author": nullable(object(nil, obj{"id": nullable(uuid), "name": str("")})),
		"body":       str("plain text; empty once deleted, or hidden (officers still see it)"),
		"internal":   obj{"type": "boolean", "description": "an internal note: officers and the committee only"},
		"created_at": dateTime, "edited_at": nullable(dateTime),
		"deleted": obj{"type": "boolean"}, "hidden": obj{"type": "boolean"},
		"hidden_reason": str("officers only")})
	schemas["CommentPage"] = object([]string{"items", "next_cursor"}, obj{"items": arr(ref("Comment")), "next_cursor": nullable(obj{"type": "string"})})
	schemas["NewComment"] = object([]string{"body"}, obj{
		"body":     obj{"type": "string", "minLength": domain.CommentMinLen, "maxLength": domain.CommentMaxLen, "description": "plain text; @first.last mentions a person"},
		"internal": obj{"type": "boolean", "description": "officers only"}})
	schemas["CommentEdit"] = object([]string{"body"}, obj{
		"body": obj{"type": "string", "minLength": domain.CommentMinLen, "maxLength": domain.CommentMaxLen}})
	schemas["HideComment"] = object([]string{"reason"}, obj{
		"reason": obj{"type": "string", "minLength": domain.HideReasonMin, "maxLength": domain.HideReasonMax, "description": "kept in the comment's audit trail"}})
	schemas["Notifications"] = object(nil, obj{
		"kinds":    obj{"type": "object", "properties": kinds, "additionalProperties": false, "description": "every kind with its mode (default digest); PUT may name some"},
		"language": obj{"type": "string", "enum": []any{"fr", "en"}, "description": "the language of e-mails"}})
	schemas["OutboxMessage"] = object(nil, obj{
		"id": uuid, "subject": str("need, study_action, comment"), "subject_id": uuid, "seq": obj{"type": "integer"},
		"recipient_id": uuid, "email": str(""), "name": str(""), "language": str(""),
		"kind":       obj{"type": "string", "enum": enumOf(domain.NotificationKinds)},
		"data":       obj{"type": "object", "additionalProperties": obj{"type": "string"}},
		"created_at": dateTime, "status": obj{"type": "string", "enum": enumOf(storage.OutboxStatuses)},
		"attempts": obj{"type": "integer"}, "digest": obj{"type": "boolean"}, "message_id": nullable(str("")),
		"sent_at": nullable(dateTime), "last_error": str("")})
	schemas["OutboxPage"] = object([]string{"items", "next_cursor"}, obj{"items": arr(ref("OutboxMessage")), "next_cursor": nullable(obj{"type": "string"})})

	cid := obj{"name": "cid", "in": "path", "required": true, "schema": uuid}
	limit := obj{"name": "limit", "in": "query", "schema": obj{"type": "integer", "minimum": 1, "maximum": 200, "default": 50}}
	paths["/api/v1/needs/{id}/comments"] = obj{
		"get": withParams(op("A need's discussion, newest first (internal notes for officers and the committee only)", true, nil,
			"200", ref("CommentPage"), "A page of comments", "401", "404", "422"), idParam, limit, query("cursor", "next_cursor of the previous page")),
		"post": withParams(op("Comment on a need (actor, officer, committee); mentions and the submitter are told by e-mail", true,
			jsonBody(ref("NewComment")), "201", ref("Comment"), "The comment", "400", "401", "403", "404", "413", "422"), idParam),
	}
	paths["/api/v1/needs/{id}/comments/{cid}"] = obj{
		"patch": withParams(op("Edit one's comment, within 15 minutes of posting", true, jsonBody(ref("CommentEdit")),
			"200", ref("Comment"), "The comment", "400", "401", "403", "404", "409", "413", "422"), idParam, cid),
		"delete": withParams(op("Delete one's comment, within 15 minutes of posting (a trace stays)", true, nil,
			"200", ref("Comment"), "The deleted comment", "401", "403", "404", "409"), idParam, cid),
	}
	paths["/api/v1/needs/{id}/comments/{cid}/hide"] = obj{"post": withParams(op("Hide an abusive comment (officer), with a reason kept in the audit trail", true,
		jsonBody(ref("HideComment")), "200", ref("Comment"), "The hidden comment", "400", "401", "403", "404", "409", "413", "422"), idParam, cid)}
	paths["/api/v1/me/notifications"] = obj{
		"get": op("How the caller gets each kind of e-mail, and in which language", true, nil, "200", ref("Notifications"), "Every kind with its mode", "401"),
		"put": op("Change some or all kinds (and the language)", true, jsonBody(ref("Notifications")), "200", ref("Notifications"),
			"Every kind with its mode", "400", "401", "413", "422"),
	}
	paths["/api/v1/admin/outbox"] = obj{"get": withParams(op("E-mails queued, sent, failed or skipped, newest first (admin)", true, nil,
		"200", ref("OutboxPage"), "A page of messages", "401", "403", "422"),
		query("status", "pending, sending, sent, failed or skipped"), limit, query("cursor", "next_cursor of the previous page"))}
}
