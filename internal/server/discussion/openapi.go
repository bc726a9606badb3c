package discussion

import (
	"essor/internal/domain"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// addMailSpec describes the discussion and the notifications' routes; the
// kinds and modes come from internal/domain/notification.go.
func AddSpec(schemas, paths kit.Obj) {
	dateTime := kit.Obj{"type": "string", "format": "date-time"}
	uuid := kit.Obj{"type": "string", "format": "uuid"}
	mode := kit.Obj{"type": "string", "enum": kit.EnumOf(domain.NotifyModes)}
	kinds := kit.Obj{}
	for _, k := range domain.NotificationKinds {
		kinds[string(k)] = mode
	}

	schemas["Comment"] = kit.Object(nil, kit.Obj{
		"id": uuid, "author": kit.Nullable(kit.Object(nil, kit.Obj{"id": kit.Nullable(uuid), "name": kit.Str("")})),
		"body":       kit.Str("plain text; empty once deleted, or hidden (officers still see it)"),
		"internal":   kit.Obj{"type": "boolean", "description": "an internal note: officers and the committee only"},
		"created_at": dateTime, "edited_at": kit.Nullable(dateTime),
		"deleted": kit.Obj{"type": "boolean"}, "hidden": kit.Obj{"type": "boolean"},
		"hidden_reason": kit.Str("officers only")})
	schemas["CommentPage"] = kit.Object([]string{"items", "next_cursor"}, kit.Obj{"items": kit.Arr(kit.Ref("Comment")), "next_cursor": kit.Nullable(kit.Obj{"type": "string"})})
	schemas["NewComment"] = kit.Object([]string{"body"}, kit.Obj{
		"body":     kit.Obj{"type": "string", "minLength": domain.CommentMinLen, "maxLength": domain.CommentMaxLen, "description": "plain text; @first.last mentions a person"},
		"internal": kit.Obj{"type": "boolean", "description": "officers only"}})
	schemas["CommentEdit"] = kit.Object([]string{"body"}, kit.Obj{
		"body": kit.Obj{"type": "string", "minLength": domain.CommentMinLen, "maxLength": domain.CommentMaxLen}})
	schemas["HideComment"] = kit.Object([]string{"reason"}, kit.Obj{
		"reason": kit.Obj{"type": "string", "minLength": domain.HideReasonMin, "maxLength": domain.HideReasonMax, "description": "kept in the comment's audit trail"}})
	schemas["Notifications"] = kit.Object(nil, kit.Obj{
		"kinds":    kit.Obj{"type": "object", "properties": kinds, "additionalProperties": false, "description": "every kind with its mode (default digest); PUT may name some"},
		"language": kit.Obj{"type": "string", "enum": []any{"fr", "en"}, "description": "the language of e-mails"}})
	schemas["OutboxMessage"] = kit.Object(nil, kit.Obj{
		"id": uuid, "subject": kit.Str("need, study_action, comment"), "subject_id": uuid, "seq": kit.Obj{"type": "integer"},
		"recipient_id": uuid, "email": kit.Str(""), "name": kit.Str(""), "language": kit.Str(""),
		"kind":       kit.Obj{"type": "string", "enum": kit.EnumOf(domain.NotificationKinds)},
		"data":       kit.Obj{"type": "object", "additionalProperties": kit.Obj{"type": "string"}},
		"created_at": dateTime, "status": kit.Obj{"type": "string", "enum": kit.EnumOf(storage.OutboxStatuses)},
		"attempts": kit.Obj{"type": "integer"}, "digest": kit.Obj{"type": "boolean"}, "message_id": kit.Nullable(kit.Str("")),
		"sent_at": kit.Nullable(dateTime), "last_error": kit.Str("")})
	schemas["OutboxPage"] = kit.Object([]string{"items", "next_cursor"}, kit.Obj{"items": kit.Arr(kit.Ref("OutboxMessage")), "next_cursor": kit.Nullable(kit.Obj{"type": "string"})})

	cid := kit.Obj{"name": "cid", "in": "path", "required": true, "schema": uuid}
	limit := kit.Obj{"name": "limit", "in": "query", "schema": kit.Obj{"type": "integer", "minimum": 1, "maximum": 200, "default": 50}}
	paths["/api/v1/needs/{id}/comments"] = kit.Obj{
		"get": kit.WithParams(kit.Op("A need's discussion, newest first (internal notes for officers and the committee only)", true, nil,
			"200", kit.Ref("CommentPage"), "A page of comments", "401", "404", "422"), kit.IDParam, limit, kit.Query("cursor", "next_cursor of the previous page")),
		"post": kit.WithParams(kit.Op("Comment on a need (actor, officer, committee); mentions and the submitter are told by e-mail", true,
			kit.JSONBody(kit.Ref("NewComment")), "201", kit.Ref("Comment"), "The comment", "400", "401", "403", "404", "413", "422"), kit.IDParam),
	}
	paths["/api/v1/needs/{id}/comments/{cid}"] = kit.Obj{
		"patch": kit.WithParams(kit.Op("Edit one's comment, within 15 minutes of posting", true, kit.JSONBody(kit.Ref("CommentEdit")),
			"200", kit.Ref("Comment"), "The comment", "400", "401", "403", "404", "409", "413", "422"), kit.IDParam, cid),
		"delete": kit.WithParams(kit.Op("Delete one's comment, within 15 minutes of posting (a trace stays)", true, nil,
			"200", kit.Ref("Comment"), "The deleted comment", "401", "403", "404", "409"), kit.IDParam, cid),
	}
	paths["/api/v1/needs/{id}/comments/{cid}/hide"] = kit.Obj{"post": kit.WithParams(kit.Op("Hide an abusive comment (officer), with a reason kept in the audit trail", true,
		kit.JSONBody(kit.Ref("HideComment")), "200", kit.Ref("Comment"), "The hidden comment", "400", "401", "403", "404", "409", "413", "422"), kit.IDParam, cid)}
	paths["/api/v1/me/notifications"] = kit.Obj{
		"get": kit.Op("How the caller gets each kind of e-mail, and in which language", true, nil, "200", kit.Ref("Notifications"), "Every kind with its mode", "401"),
		"put": kit.Op("Change some or all kinds (and the language)", true, kit.JSONBody(kit.Ref("Notifications")), "200", kit.Ref("Notifications"),
			"Every kind with its mode", "400", "401", "413", "422"),
	}
	paths["/api/v1/admin/outbox"] = kit.Obj{"get": kit.WithParams(kit.Op("E-mails queued, sent, failed or skipped, newest first (admin)", true, nil,
		"200", kit.Ref("OutboxPage"), "A page of messages", "401", "403", "422"),
		kit.Obj{"name": "status", "in": "query", "description": "the state of the e-mails to list", "schema": kit.Obj{"type": "string", "enum": kit.EnumOf(storage.OutboxStatuses)}}, limit, kit.Query("cursor", "next_cursor of the previous page"))}
}
