package testenv

import (
	"net/http"
	"strings"
	"testing"
)

// The contract check itself: each kind of departure from the document is
// caught, and an exchange that keeps to it passes.
func TestContractCatchesMismatches(t *testing.T) {
	json := http.Header{"Content-Type": {"application/json"}}
	me := `{"id":"6f1c2b1e-8f7a-4a57-9d4e-0d6f7b0a1c2e","email":"a@example.org","name":"A","organisation":{"id":null,"name":"FCA"},"roles":["officer"]}`
	valid := `{"title":"Transport solidaire","description":"Les habitants sans voiture renoncent aux soins.","theme":"mobility","territory_code":"39"}`
	for _, c := range []struct {
		name, method, path, reqBody string
		status                      int
		respBody, want              string
	}{
		{"kept", "GET", "/api/v1/me", "", 200, me, ""},
		{"HEAD is the GET", "HEAD", "/api/v1/me", "", 200, "", ""},
		{"body off schema", "GET", "/api/v1/me", "", 200, `{"id":"x","surprise":1}`, "off the document"},
		{"undocumented status", "GET", "/api/v1/me", "", 418, `{}`, "off the document"},
		{"undocumented route", "GET", "/api/v1/nowhere", "", 200, `{}`, "undocumented route"},
		{"success to an invalid request", "POST", "/api/v1/needs", `{"title":1}`, 201, `{}`, "calls invalid"},
		{"400 to a valid request", "POST", "/api/v1/needs", valid, 400, `{"error":{"code":"malformed_request","message":"x"}}`, "calls valid"},
		{"400 to bytes no schema can refuse", "GET", "/api/v1/needs/%FF", "", 400, `{"error":{"code":"malformed_request","message":"x"}}`, ""},
	} {
		m := Mismatch(c.method, c.path, json, []byte(c.reqBody), c.status, json, []byte(c.respBody))
		if c.want == "" && m != "" || c.want != "" && !strings.Contains(m, c.want) {
			t.Errorf("%s: %q, want %q", c.name, m, c.want)
		}
	}
}
