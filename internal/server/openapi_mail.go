package server

import (
	"essor/internal/domain"
	"essor/internal/storage"
)

// addMailSpec describes the discussion and the notifications' routes; the
// kinds and modes come from internal/domain/notification.go.
func AddMailSpec(schemas, paths Obj) {
	dateTime := Obj{"type": "string", "format": "date-time"}
	uuid := Obj{"type": "string", "format": "uuid"}
	nullable := func(o Obj) Obj { o = Clone(o); o["nullable"] = true; return o }
	mode := Obj{"type": "string", "enum": EnumOf(domain.NotifyModes)}
	kinds := Obj{}
	for _, k := range domain.NotificationKinds {
		kinds[string(k)] = mode
	}

	schemas["Comment"] = Object(nil, Obj{
		"id": uuid, "author": nullable(Object(nil, Obj{"id": nullable(uuid), "name": Str("")})),
		"body":       Str("plain text; empty once deleted, or hidden (officers still see it)"),
		"internal":   Obj{"type": "boolean", "description": "an internal note: officers and the committee only"},
		"created_at": dateTime, "edited_at": nullable(dateTime),
		"deleted": Obj{"type": "boolean"}, "hidden": Obj{"type": "boolean"},
		"hidden_reason": Str("officers only")})
	schemas["CommentPage"] = Object([]string{"items", "next_cursor"}, Obj{"items": Arr(Ref("Comment")), "next_cursor": nullable(Obj{"type": "string"})})
	schemas["NewComment"] = Object([]string{"body"}, Obj{
		"body":     Obj{"type": "string", "minLength": domain.CommentMinLen, "maxLength": domain.CommentMaxLen, "description": "plain text; @first.last mentions a person"},
		"internal": Obj{"type": "boolean", "description": "officers only"}})
	schemas["CommentEdit"] = Object([]string{"body"}, Obj{
		"body": Obj{"type": "string", "minLength": domain.CommentMinLen, "maxLength": domain.CommentMaxLen}})
	schemas["HideComment"] = Object([]string{"reason"}, Obj{
		"reason": Obj{"type": "string", "minLength": domain.HideReasonMin, "maxLength": domain.HideReasonMax, "description": "kept in the comment's audit trail"}})
	schemas["Notifications"] = Object(nil, Obj{
		"kinds":    Obj{"type": "object", "properties": kinds, "additionalProperties": false, "description": "every kind with its mode (default digest); PUT may name some"},
		"language": Obj{"type": "string", "enum": []any{"fr", "en"}, "description": "the language of e-mails"}})
	schemas["OutboxMessage"] = Object(nil, Obj{
		"id": uuid, "subject": Str("need, study_action, comment"), "subject_id": uuid, "seq": Obj{"type": "integer"},
		"recipient_id": uuid, "email": Str(""), "name": Str(""), "language": Str(""),
		"kind":       Obj{"type": "string", "enum": EnumOf(domain.NotificationKinds)},
		"data":       Obj{"type": "object", "additionalProperties": Obj{"type": "string"}},
		"created_at": dateTime, "status": Obj{"type": "string", "enum": EnumOf(storage.OutboxStatuses)},
		"attempts": Obj{"type": "integer"}, "digest": Obj{"type": "boolean"}, "message_id": nullable(Str("")),
		"sent_at": nullable(dateTime), "last_error": Str("")})
	schemas["OutboxPage"] = Object([]string{"items", "next_cursor"}, Obj{"items": Arr(Ref("OutboxMessage")), "next_cursor": nullable(Obj{"type": "string"})})

	cid := Obj{"name": "cid", "in": "path", "required": true, "schema": uuid}
	limit := Obj{"name": "limit", "in": "query", "schema": Obj{"type": "integer", "minimum": 1, "maximum": 200, "default": 50}}
	paths["/api/v1/needs/{id}/comments"] = Obj{
		"get": WithParams(Op("A need's discussion, newest first (internal notes for officers and the committee only)", true, nil,
			"200", Ref("CommentPage"), "A page of comments", "401", "404", "422"), IDParam, limit, Query("cursor", "next_cursor of the previous page")),
		"post": WithParams(Op("Comment on a need (actor, officer, committee); mentions and the submitter are told by e-mail", true,
			JSONBody(Ref("NewComment")), "201", Ref("Comment"), "The comment", "400", "401", "403", "404", "413", "422"), IDParam),
	}
	paths["/api/v1/needs/{id}/comments/{cid}"] = Obj{
		"patch": WithParams(Op("Edit one's comment, within 15 minutes of posting", true, JSONBody(Ref("CommentEdit")),
			"200", Ref("Comment"), "The comment", "400", "401", "403", "404", "409", "413", "422"), IDParam, cid),
		"delete": WithParams(Op("Delete one's comment, within 15 minutes of posting (a trace stays)", true, nil,
			"200", Ref("Comment"), "The deleted comment", "401", "403", "404", "409"), IDParam, cid),
	}
	paths["/api/v1/needs/{id}/comments/{cid}/hide"] = Obj{"post": WithParams(Op("Hide an abusive comment (officer), with a reason kept in the audit trail", true,
		JSONBody(Ref("HideComment")), "200", Ref("Comment"), "The hidden comment", "400", "401", "403", "404", "409", "413", "422"), IDParam, cid)}
	paths["/api/v1/me/notifications"] = Obj{
		"get": Op("How the caller gets each kind of e-mail, and in which language", true, nil, "200", Ref("Notifications"), "Every kind with its mode", "401"),
		"put": Op("Change some or all kinds (and the language)", true, JSONBody(Ref("Notifications")), "200", Ref("Notifications"),
			"Every kind with its mode", "400", "401", "413", "422"),
	}
	paths["/api/v1/admin/outbox"] = Obj{"get": WithParams(Op("E-mails queued, sent, failed or skipped, newest first (admin)", true, nil,
		"200", Ref("OutboxPage"), "A page of messages", "401", "403", "422"),
		Query("status", "pending, sending, sent, failed or skipped"), limit, Query("cursor", "next_cursor of the previous page"))}
}
