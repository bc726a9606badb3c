package server

import (
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"unicode"

	"essor/internal/server/kit"
)

// shellTags describe the operations of no programme.
var shellTags = []kit.Obj{
	{"name": "operations", "description": "Health, readiness, metrics and this document"},
	{"name": "sessions", "description": "Signing in and out with a bearer token"},
}

// document is the OpenAPI document of the route table: each operation is
// named after its handler and tagged with its programme, so a generated
// client has stable names and one service per programme; every number is a
// double (euros must not be rounded to a float).
func document(table []kit.Route) kit.Obj {
	doc := buildSpec()
	paths := doc["paths"].(kit.Obj)
	tags := append([]kit.Obj{}, shellTags...)
	seen := map[string]bool{}
	for _, p := range programmes(&kit.Kit{}, Deps{}) {
		tags = append(tags, kit.Obj{"name": p.tag, "description": p.description})
	}
	for _, r := range table {
		item, ok := paths[openAPIPath(r.Path)].(kit.Obj)
		if !ok {
			continue // a page: the route test checks that every API route is here
		}
		op, ok := item[strings.ToLower(r.Method)].(kit.Obj)
		if !ok {
			continue
		}
		tag := r.Tag
		if tag == "" {
			tag = "operations"
			if strings.HasPrefix(r.Path, "/api/v1/") {
				tag = "sessions"
			}
		}
		id := handlerName(r.Handler)
		if seen[id] {
			id = tag + strings.ToUpper(id[:1]) + id[1:]
		}
		seen[id] = true
		op["operationId"], op["tags"] = id, []string{tag}
		if op["description"] == nil {
			op["description"] = access(r)
		}
	}
	for _, item := range paths {
		for _, op := range item.(kit.Obj) {
			everywhere(op.(kit.Obj))
		}
	}
	doc["tags"] = tags
	doc["info"].(kit.Obj)["contact"] = kit.Obj{"name": "Essor", "url": "/contact"}
	doubles(doc["components"])
	doubles(paths)
	return doc
}

var pathParam = regexp.MustCompile(`:(\w+)`)

// openAPIPath writes a Fiber path (/needs/:id) as OpenAPI does (/needs/{id}).
func openAPIPath(p string) string { return pathParam.ReplaceAllString(p, "{$1}") }

var closure = regexp.MustCompile(`^func\d+$`)

// handlerName is a handler's method name (createNeed), or the name of the
// method that made it when it is a closure.
func handlerName(h any) string {
	full := runtime.FuncForPC(reflect.ValueOf(h).Pointer()).Name()
	parts := strings.Split(strings.TrimSuffix(full, "-fm"), ".")
	for len(parts) > 1 && closure.MatchString(parts[len(parts)-1]) {
		parts = parts[:len(parts)-1]
	}
	name := strings.TrimSuffix(parts[len(parts)-1], "Handler")
	if len(name) > 3 && strings.HasPrefix(name, "api") && unicode.IsUpper(rune(name[3])) {
		name = strings.ToLower(name[3:4]) + name[4:] // apiEraseUser, beside the page's eraseAccount
	}
	return name
}

// doubles gives every number schema without a format the format double.
func doubles(v any) {
	switch v := v.(type) {
	case kit.Obj:
		if v["type"] == "number" && v["format"] == nil {
			v["format"] = "double"
		}
		for _, x := range v {
			doubles(x)
		}
	case []any:
		for _, x := range v {
			doubles(x)
		}
	case []kit.Obj:
		for _, x := range v {
			doubles(x)
		}
	}
}

// everywhere adds the answers any request may get before its handler runs:
// a refused path, query or header (400, 431) and a dependency away (503).
func everywhere(op kit.Obj) {
	resp := op["responses"].(kit.Obj)
	codes := []string{"400", "431", "503"}
	if op["requestBody"] != nil {
		codes = append(codes, "415")
	}
	for _, code := range codes {
		if _, ok := resp[code]; !ok {
			resp[code] = kit.Obj{"$ref": "#/components/responses/Error" + code}
		}
	}
}

// readiness is /readyz: 200 when PostgreSQL and Temporal answer, else 503
// with the same body naming the check that failed.
func readiness() kit.Obj {
	op := kit.Op("Readiness: PostgreSQL and Temporal reachable", false, nil, "200", kit.Ref("Health"), "Ready")
	op["responses"].(kit.Obj)["503"] = kit.JSONResp("Not ready: the failing check is named", kit.Ref("Health"))
	return op
}

// access says who may call an operation, from its row of the route table.
func access(r kit.Route) string {
	who := "Open to anyone."
	if r.Access == kit.AccessToken || r.Access == kit.AccessWrite {
		who = "Needs a bearer token"
		if len(r.Roles) > 0 {
			roles := make([]string, len(r.Roles))
			for i, role := range r.Roles {
				roles[i] = string(role)
			}
			who += " of an account holding one of the roles: " + strings.Join(roles, ", ")
		}
		who += "."
	}
	if r.Access == kit.AccessWrite {
		who += " The same Idempotency-Key and body replay the first answer."
	}
	return who
}
