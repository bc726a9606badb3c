package server_test

import (
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"essor/internal/testenv"
)

// browser drives the pages as a browser would: it keeps cookies, posts
// forms and carries the form token along.
type browser struct {
	tb      testing.TB
	env     *testenv.Env
	cookies map[string]string
}

type page struct {
	Status int
	Body   string
	Header http.Header
}

func newBrowser(tb testing.TB, env *testenv.Env) *browser {
	return &browser{tb: tb, env: env, cookies: map[string]string{}}
}

func (b *browser) do(method, path string, form url.Values, headers ...string) page {
	b.tb.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for name, value := range b.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := b.env.Server.App().Test(req, -1)
	if err != nil {
		b.tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	for _, c := range resp.Cookies() {
		if c.MaxAge < 0 || (!c.Expires.IsZero() && c.Expires.Before(time.Now())) {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	return page{Status: resp.StatusCode, Body: string(raw), Header: resp.Header}
}

func (b *browser) get(path string, headers ...string) page {
	b.tb.Helper()
	return b.do("GET", path, nil, headers...)
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// token reads the form token from a page, as a form would carry it.
func (b *browser) token() string {
	b.tb.Helper()
	m := csrfField.FindStringSubmatch(b.get("/").Body)
	if m == nil {
		b.tb.Fatal("no form token on the home page")
	}
	return m[1]
}

// post sends a form with the page's token.
func (b *browser) post(path string, form url.Values, headers ...string) page {
	b.tb.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", b.token())
	return b.do("POST", path, form, headers...)
}

// signIn goes through the sign-in form.
func (b *browser) signIn(email, password string) page {
	b.tb.Helper()
	p := b.post("/connexion", url.Values{"email": {email}, "password": {password}})
	if p.Status != http.StatusSeeOther {
		b.tb.Fatalf("sign in %s: status %d\n%s", email, p.Status, p.Body)
	}
	return p
}

func (p page) expect(tb testing.TB, status int, texts ...string) page {
	tb.Helper()
	if p.Status != status {
		tb.Fatalf("status %d, want %d\n%s", p.Status, status, p.Body)
	}
	for _, s := range texts {
		if !p.has(s) {
			tb.Fatalf("the page lacks %q\n%s", s, p.Body)
		}
	}
	if i := strings.Index(p.Body, "%!"); i >= 0 {
		tb.Fatalf("a message is badly formatted: %q", p.Body[max(0, i-60):min(len(p.Body), i+40)])
	}
	if strings.Contains(p.Body, "web.") {
		i := strings.Index(p.Body, "web.")
		tb.Fatalf("an untranslated key is shown: %q", p.Body[max(0, i-40):min(len(p.Body), i+60)])
	}
	return p
}

// has looks for a text as written or as html/template escapes it.
func (p page) has(s string) bool {
	return strings.Contains(p.Body, s) || strings.Contains(p.Body, html.EscapeString(s))
}

func (p page) lacks(tb testing.TB, texts ...string) page {
	tb.Helper()
	for _, s := range texts {
		if p.has(s) {
			tb.Fatalf("the page shows %q", s)
		}
	}
	return p
}

func (p page) redirects(tb testing.TB, location string) page {
	tb.Helper()
	if p.Status != http.StatusSeeOther {
		tb.Fatalf("status %d, want 303\n%s", p.Status, p.Body)
	}
	if got := p.Header.Get("Location"); got != location {
		tb.Fatalf("redirects to %q, want %q", got, location)
	}
	return p
}

func regexpFind(tb testing.TB, body, expr string) string {
	tb.Helper()
	m := regexp.MustCompile(expr).FindStringSubmatch(body)
	if m == nil {
		tb.Fatalf("no match for %s", expr)
	}
	return m[1]
}
