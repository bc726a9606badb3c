package kit

import "essor/internal/domain"

type Obj = map[string]any

func Ref(name string) Obj { return Obj{"$ref": "#/components/schemas/" + name} }

func Str(desc string) Obj { return Obj{"type": "string", "description": desc} }

func Arr(items Obj) Obj { return Obj{"type": "array", "items": items} }

func Object(required []string, props Obj) Obj {
	o := Obj{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

func JSONBody(schema Obj) Obj {
	return Obj{"required": true, "content": Obj{"application/json": Obj{"schema": schema}}}
}

func JSONResp(desc string, schema Obj) Obj {
	return Obj{"description": desc, "content": Obj{"application/json": Obj{"schema": schema}}}
}

// op describes one operation; errs lists the error statuses it may answer.
func Op(summary string, secured bool, body Obj, ok string, okSchema Obj, okDesc string, errs ...string) Obj {
	o := Obj{"summary": summary, "responses": Obj{}}
	if !secured {
		o["security"] = []any{}
	}
	if body != nil {
		o["requestBody"] = body
		o["parameters"] = []any{Obj{"$ref": "#/components/parameters/IdempotencyKey"}}
	}
	resp := o["responses"].(Obj)
	if okSchema != nil {
		resp[ok] = JSONResp(okDesc, okSchema)
	} else {
		resp[ok] = Obj{"description": okDesc}
	}
	for _, e := range errs {
		resp[e] = Obj{"$ref": "#/components/responses/Error" + e}
	}
	return o
}

func WithParams(o Obj, params ...Obj) Obj {
	existing, _ := o["parameters"].([]any)
	for _, p := range params {
		existing = append(existing, p)
	}
	o["parameters"] = existing
	return o
}

var IDParam = Obj{"name": "id", "in": "path", "required": true, "schema": Obj{"type": "string", "format": "uuid"}}

func Query(name, desc string) Obj {
	return Obj{"name": name, "in": "query", "required": false, "schema": Obj{"type": "string"}, "description": desc}
}

func Clone(o Obj) Obj {
	c := Obj{}
	for k, v := range o {
		c[k] = v
	}
	return c
}

// exportOperation adds to an export's 200 the header that makes it a file.
func ExportOperation(o Obj) Obj {
	ok := o["responses"].(Obj)["200"].(Obj)
	ok["headers"] = Obj{"Content-Disposition": Obj{"description": "attachment; filename=\"essor-donnees-personnelles-<id>.json\"",
		"schema": Obj{"type": "string"}}}
	return o
}

// enum lists a domain table's values for an OpenAPI "enum".
func Enum[T ~string](values []T) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// enumOf lists a domain's allowed values for the OpenAPI document, so that
// they are typed once, in internal/domain.
func EnumOf[T ~string](vals []T) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		out[i] = string(v)
	}
	return out
}

// Nullable is a schema that also admits null; a reference is wrapped in
// allOf, since OpenAPI 3.0 ignores the siblings of a $ref.
func Nullable(o Obj) Obj {
	if _, ref := o["$ref"]; ref {
		return Obj{"nullable": true, "allOf": []any{o}}
	}
	o = Clone(o)
	o["nullable"] = true
	return o
}

// Text is a text field as the domain bounds it (characters, once trimmed;
// blank is refused).
func Text(b domain.TextBounds, desc string) Obj {
	o := Obj{"type": "string", "minLength": b.Min, "maxLength": b.Max, "pattern": `\S`}
	if desc != "" {
		o["description"] = desc
	}
	return o
}
