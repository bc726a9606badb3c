package admin

import (
	"essor/internal/server/kit"
	"essor/internal/webhook"
)

// AddSpec adds the reference data's, the accounts' and the webhooks'
// schemas and paths to the document.
func AddSpec(schemas, paths kit.Obj) {
	dateTime := kit.Obj{"type": "string", "format": "date-time"}
	uuid := kit.Obj{"type": "string", "format": "uuid"}
	events := kit.Obj{"type": "array", "minItems": 1, "uniqueItems": true, "items": kit.Obj{"type": "string", "enum": kit.EnumOf(webhook.Events)}}
	webhookProps := func() kit.Obj {
		return kit.Obj{"id": uuid, "url": kit.Obj{"type": "string", "format": "uri"}, "events": events, "created_at": dateTime}
	}
	addTerritoriesSpec(schemas, paths)
	schemas["WebhookRequest"] = kit.Object([]string{"url", "events"}, kit.Obj{
		"url":    kit.Obj{"type": "string", "format": "uri", "maxLength": maxWebhookURL, "description": "http(s); private, loopback and link-local addresses are refused unless ESSOR_WEBHOOK_ALLOW_PRIVATE=true"},
		"events": events})
	schemas["Webhook"] = kit.Object([]string{"id", "url", "events", "created_at"}, webhookProps())
	created := webhookProps()
	created["secret"] = kit.Obj{"type": "string", "description": "whsec_<base64>: the signing key of the Standard Webhooks convention, shown only now"}
	schemas["CreatedWebhook"] = kit.Object([]string{"id", "url", "events", "created_at", "secret"}, created)
	schemas["WebhookDelivery"] = kit.Object([]string{"id", "webhook_id", "subject", "subject_id", "seq", "event", "payload", "created_at", "status", "attempts", "next_attempt_at", "delivered_at", "attempt_log"}, kit.Obj{
		"id": kit.Obj{"type": "string", "format": "uuid", "description": "the webhook-id header, the same on every attempt"}, "webhook_id": uuid,
		"subject": kit.Str("need, study_action, call or rally_round"), "subject_id": uuid, "seq": kit.Obj{"type": "integer"},
		"event": kit.Obj{"type": "string", "enum": kit.EnumOf(webhook.Events)}, "payload": kit.Obj{"type": "object", "description": "the body sent: type, timestamp, data"},
		"created_at": dateTime, "status": kit.Obj{"type": "string", "enum": []any{"pending", "delivered", "failed"}},
		"attempts": kit.Obj{"type": "integer"}, "next_attempt_at": dateTime, "delivered_at": kit.Nullable(dateTime),
		"attempt_log": kit.Arr(kit.Object([]string{"n", "at", "status", "error", "duration_ms"}, kit.Obj{"n": kit.Obj{"type": "integer"}, "at": dateTime,
			"status": kit.Obj{"type": "integer", "description": "the target's HTTP status, 0 when none came"}, "error": kit.Str(""), "duration_ms": kit.Obj{"type": "integer"}}))})
	schemas["WebhookDeliveryPage"] = kit.Object([]string{"items", "next_cursor"}, kit.Obj{"items": kit.Arr(kit.Ref("WebhookDelivery")), "next_cursor": kit.Nullable(kit.Obj{"type": "string"})})
	paths["/api/v1/admin/users/{id}/organisation"] = kit.Obj{"put": kit.WithParams(kit.Op("Link an account to a directory record (admin): its name becomes the account's organisation; null unlinks", true,
		kit.JSONBody(kit.Object([]string{"organisation_id"}, kit.Obj{"organisation_id": kit.Nullable(uuid)})), "200",
		kit.Object([]string{"organisation"}, kit.Obj{"organisation": kit.Nullable(kit.Ref("AccountOrganisation"))}), "The account's organisation",
		"400", "401", "403", "404", "413", "422"), kit.IDParam)}
	paths["/api/v1/admin/webhooks"] = kit.Obj{
		"post": kit.Op("Register a webhook target (admin): deliveries follow the Standard Webhooks convention, at least once, in order per subject, retried for 24 hours", true,
			kit.JSONBody(kit.Ref("WebhookRequest")), "201", kit.Ref("CreatedWebhook"), "The target, with its secret (shown once)", "400", "401", "403", "413", "422"),
		"get": kit.Op("The webhook targets (admin)", true, nil, "200", kit.Arr(kit.Ref("Webhook")), "Every target", "401", "403"),
	}
	paths["/api/v1/admin/webhooks/{id}"] = kit.Obj{"delete": kit.WithParams(kit.Op("Remove a webhook target (admin): its pending deliveries are dropped", true, nil,
		"204", nil, "Removed", "401", "403", "404"), kit.IDParam)}
	paths["/api/v1/admin/webhooks/{id}/deliveries"] = kit.Obj{"get": kit.WithParams(kit.Op("A target's deliveries, newest first, each attempt with the target's answer (admin)", true, nil,
		"200", kit.Ref("WebhookDeliveryPage"), "A page of deliveries", "401", "403", "404", "422"), kit.IDParam,
		kit.Obj{"name": "limit", "in": "query", "schema": kit.Obj{"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
		kit.Query("cursor", "next_cursor of the previous page"))}
}

// addTerritoriesSpec describes the territories: the open data's communes
// and EPCIs beside the départements and employment zones, a territory with
// several parents, and the search.
func addTerritoriesSpec(schemas, paths kit.Obj) {
	kind := kit.Obj{"type": "string", "enum": kit.Enum(territoryKinds),
		"description": "commune and epci: from the open administrative data (INSEE); other: only on territories added by hand before admins managed them"}
	code := kit.Str("a région's or département's INSEE code, a commune's INSEE code, an EPCI's SIREN, or a code chosen by an admin (ze-…)")
	schemas["Territory"] = kit.Object([]string{"code", "name", "kind", "parent_code", "parent_codes", "retired", "population"}, kit.Obj{
		"code": code, "name": kit.Str(""), "kind": kind,
		"parent_code":  kit.Nullable(kit.Str("the first parent: a commune's, an employment zone's or an EPCI's (main) département, a département's region")),
		"parent_codes": kit.Obj{"type": "array", "items": kit.Obj{"type": "string"}, "description": "every parent, parent_code first: a commune's département and EPCI; every département an employment zone or an EPCI spans"},
		"retired":      kit.Obj{"type": "boolean", "description": "refused for new records, still named on old ones"},
		"population":   kit.Nullable(kit.Obj{"type": "integer", "minimum": 0, "description": "a commune's municipal population (INSEE); null on other kinds"}),
		"epci_code":    kit.Str("a commune's EPCI (SIREN); only on communes"),
		"postal_codes": kit.Obj{"type": "array", "items": kit.Obj{"type": "string", "pattern": "^[0-9]{5}$"}, "description": "a commune's postal codes; only on communes"},
	})
	paths["/api/v1/territories"] = kit.Obj{
		"get": kit.WithParams(kit.Op("Territories, retired ones included: every one (of a kind, within a parent), or with q at most 50 matches, best first", false, nil,
			"200", kit.Arr(kit.Ref("Territory")), "The territories", "422"),
			kit.Obj{"name": "kind", "in": "query", "schema": kit.Obj{"type": "string", "enum": kit.Enum(territoryKinds)}},
			kit.Query("parent", "a territory's code: only what lies inside it, at every level and through every parent (a zone spanning several départements is inside each)"),
			kit.Obj{"name": "q", "in": "query", "description": "a commune's name (accents and case folded, words in order), its INSEE code or the start of it, or a postal code: at most 50 territories, exact codes first, then names equal, starting with, containing q, the most populated first",
				"schema": kit.Obj{"type": "string", "maxLength": maxTerritoryQuery}}),
		"post": kit.Op("Add a territory (admin): a region, département or employment zone; communes and EPCIs come from the open data", true,
			kit.JSONBody(kit.Ref("NewTerritory")), "201", kit.Ref("Territory"), "The territory", "400", "401", "403", "409", "422"),
	}
}
