package testenv

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/andybalholm/brotli"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"essor/internal/server"
)

// The contract: every exchange of the API that a test makes through Do is
// checked against the published OpenAPI document (kin-openapi's
// openapi3filter). An undocumented route or status, a response off its
// schema, a success to a request the document calls invalid, or a 400 to one
// it calls valid fails the test.
var contract struct {
	once   sync.Once
	router routers.Router
	err    error
}

// Contract is the router over the published document.
func Contract() (routers.Router, error) {
	contract.once.Do(func() {
		raw, err := json.Marshal(server.Document())
		if err != nil {
			contract.err = err
			return
		}
		doc, err := openapi3.NewLoader().LoadFromData(raw)
		if err != nil {
			contract.err = err
			return
		}
		doc.Servers = openapi3.Servers{{URL: "http://localhost/"}}
		for _, ct := range []string{"text/csv", "text/calendar"} {
			openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
		}
		contract.router, contract.err = gorillamux.NewRouter(doc)
	})
	return contract.router, contract.err
}

// underContract tells the paths the document describes.
func underContract(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/healthz" || path == "/readyz"
}

// Mismatch is how an exchange departs from the document ("" when it keeps to it).
func Mismatch(method, path string, reqHeader http.Header, reqBody []byte, status int, respHeader http.Header, respBody []byte) string {
	router, err := Contract()
	if err != nil {
		return "the document does not load: " + err.Error()
	}
	head := method == http.MethodHead
	if head {
		method = http.MethodGet // HEAD is the GET without its body (RFC 9110)
	}
	req, err := http.NewRequest(method, "http://localhost"+path, bytes.NewReader(reqBody))
	if err != nil {
		return ""
	}
	req.Header = reqHeader.Clone()
	route, params, err := router.FindRoute(req)
	if err != nil {
		if status == http.StatusNotFound || status == http.StatusMethodNotAllowed {
			return "" // an unknown path or method, answered as such
		}
		return fmt.Sprintf("undocumented route (answered %d)", status)
	}
	ctx := context.Background()
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	reqErr := openapi3filter.ValidateRequest(ctx, in)
	switch {
	case reqErr != nil && status < 300:
		return fmt.Sprintf("answered %d to a request the document calls invalid: %v", status, short(reqErr))
	case reqErr == nil && status == http.StatusBadRequest && clean(path, reqBody):
		return fmt.Sprintf("answered 400 to a request the document calls valid: %s", respBody)
	}
	body, err := decoded(respHeader.Get("Content-Encoding"), respBody)
	if err != nil {
		return "undecodable " + respHeader.Get("Content-Encoding") + " body: " + err.Error()
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: respHeader,
		Body:    io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true, ExcludeResponseBody: head}}
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		return fmt.Sprintf("response %d off the document: %v", status, short(err))
	}
	return ""
}

// clean tells a request that JSON Schema can call valid: its path and body
// are UTF-8 without control characters (the input gate refuses the rest with
// a 400 the document states, but no schema can express).
func clean(path string, body []byte) bool {
	p, err := url.PathUnescape(path)
	if err != nil {
		return false
	}
	for _, s := range []string{p, string(body)} {
		if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r' }) {
			return false
		}
	}
	return true
}

// decoded is a response body as its Content-Encoding says to read it.
func decoded(encoding string, body []byte) ([]byte, error) {
	switch encoding {
	case "":
		return body, nil
	case "gzip":
		r, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		return io.ReadAll(r)
	case "br":
		return io.ReadAll(brotli.NewReader(bytes.NewReader(body)))
	}
	return nil, fmt.Errorf("unknown encoding")
}

func short(err error) string {
	s := err.Error()
	if len(s) > 600 {
		s = s[:600] + "…"
	}
	return strings.ReplaceAll(s, "\n", " | ")
}

// checkContract fails tb when an exchange departs from the document; with
// ESSOR_CONTRACT_LOG set, it writes the departure to that file instead.
func checkContract(tb testing.TB, req *http.Request, reqBody []byte, resp Response) {
	tb.Helper()
	if !underContract(req.URL.Path) {
		return
	}
	path := req.URL.RequestURI()
	m := Mismatch(req.Method, path, req.Header, reqBody, resp.Status, resp.Header, resp.Body)
	if m == "" {
		return
	}
	if log := os.Getenv("ESSOR_CONTRACT_LOG"); log != "" {
		f, err := os.OpenFile(log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprintf(f, "%s\t%s %s\t%s\n", tb.Name(), req.Method, path, m)
			f.Close()
		}
		return
	}
	tb.Errorf("contract: %s %s: %s", req.Method, path, m)
}
