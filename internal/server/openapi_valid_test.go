package server_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"essor/internal/server"
)

// TestOpenAPIDocumentIsValid: the published document is valid OpenAPI 3.0.3
// as kin-openapi reads it, and every operation has a unique operationId, a
// tag and a summary.
func TestOpenAPIDocumentIsValid(t *testing.T) {
	raw, err := json.Marshal(server.Document())
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			where := method + " " + path
			if op.OperationID == "" || len(op.Tags) != 1 || op.Summary == "" {
				t.Errorf("%s: operationId %q, tags %v, summary %q", where, op.OperationID, op.Tags, op.Summary)
			}
			if other, dup := ids[op.OperationID]; dup {
				t.Errorf("operationId %q on %s and %s", op.OperationID, where, other)
			}
			ids[op.OperationID] = where
		}
	}
}
