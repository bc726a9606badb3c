package server_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"io"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"essor/internal/config"
	"essor/internal/domain"
	"essor/internal/testenv"
)

// HEAD answers wherever GET does (a page, the API, a static file, the
// streamed exports) with the GET's status and headers and no body; a path
// without GET still refuses it.
func TestHead(t *testing.T) {
	env := testenv.New(t, func(c *config.Config) { c.ExportConcurrency = 1 })
	acc := env.Account(t, "Mairie de Dole", domain.RoleActor)
	for _, path := range []string{"/", "/api/v1/me", "/api/v1/themes", "/static/essor.css", "/besoins.csv",
		"/donnees-ouvertes/besoins.json", "/api/v1/indicators.csv"} {
		for _, enc := range []string{"identity", "br"} {
			get := env.Do(t, "GET", path, acc.Token, nil, "Accept-Encoding", enc).Expect(t, 200)
			head := env.Do(t, "HEAD", path, acc.Token, nil, "Accept-Encoding", enc).Expect(t, 200)
			if len(head.Body) != 0 || len(get.Body) == 0 {
				t.Fatalf("HEAD %s: %d bytes (GET: %d)", path, len(head.Body), len(get.Body))
			}
			same := []string{"Content-Type", "Content-Encoding", "Vary", "Transfer-Encoding", "Content-Disposition", "Cache-Control", "ETag"}
			if enc == "identity" || path != "/" { // a page's form token compresses differently each time
				same = append(same, "Content-Length")
			}
			for _, h := range same {
				if head.Header.Get(h) != get.Header.Get(h) {
					t.Errorf("HEAD %s (%s): %s %q, GET: %q", path, enc, h, head.Header.Get(h), get.Header.Get(h))
				}
			}
		}
	}
	// A HEAD of an export gives its place back at once (one place here).
	env.Do(t, "HEAD", "/besoins.csv", "", nil).Expect(t, 200)
	env.Do(t, "GET", "/besoins.csv", "", nil).Expect(t, 200)
	env.Do(t, "HEAD", "/deconnexion", "", nil).Expect(t, 405)
	env.Do(t, "HEAD", "/api/v1/sessions", "", nil).Expect(t, 405)
}

// decoded is a body as the client reads it once decoded.
func decoded(tb testing.TB, r testenv.Response) []byte {
	tb.Helper()
	var zr io.Reader
	switch enc := r.Header.Get("Content-Encoding"); enc {
	case "":
		return r.Body
	case "br":
		zr = brotli.NewReader(bytes.NewReader(r.Body))
	case "gzip":
		gr, err := gzip.NewReader(bytes.NewReader(r.Body))
		if err != nil {
			tb.Fatal(err)
		}
		zr = gr
	default:
		tb.Fatalf("coding %q", enc)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		tb.Fatalf("decode %s: %v", r.Header.Get("Content-Encoding"), err)
	}
	return b
}

// formTokens are the values that change with every page (the form token).
var formTokens = regexp.MustCompile(`name="_csrf" value="[^"]+"`)

// Text answers (pages, the API, static files, the exports written whole or
// streamed) come as br to a client that takes it, else as gzip, and decode
// to the plain answer; all say Vary: Accept-Encoding. A coding refused with
// q=0 is not used; a tiny body or a PNG-like type is not compressed.
func TestCompression(t *testing.T) {
	env := testenv.New(t)
	p := newPipeline(t, env)
	for _, path := range []string{"/", "/besoins", "/api/v1/needs", "/static/essor.css", "/static/htmx.min.js",
		"/besoins.csv", "/donnees-ouvertes/besoins.json", "/api/v1/indicators.csv", "/connexion?nulle=part%00"} {
		plain := env.Do(t, "GET", path, p.actor.Token, nil, "Accept-Encoding", "identity")
		want := formTokens.ReplaceAll(plain.Body, nil)
		if plain.Header.Get("Content-Encoding") != "" || !strings.Contains(plain.Header.Get("Vary"), "Accept-Encoding") {
			t.Fatalf("%s plain: %v", path, plain.Header)
		}
		for accept, enc := range map[string]string{"gzip, deflate, br, zstd": "gzip", "br": "br",
			"br;q=0, gzip;q=0.5": "gzip", "deflate": ""} {
			if len(plain.Body) < 1024 && plain.Header.Get("Content-Length") != "" { // tiny, and not streamed
				enc = ""
			}
			r := env.Do(t, "GET", path, p.actor.Token, nil, "Accept-Encoding", accept)
			if r.Status != plain.Status || r.Header.Get("Content-Encoding") != enc ||
				!strings.Contains(r.Header.Get("Vary"), "Accept-Encoding") {
				t.Fatalf("%s %q: %d %v", path, accept, r.Status, r.Header)
			}
			if got := formTokens.ReplaceAll(decoded(t, r), nil); !bytes.Equal(got, want) {
				t.Fatalf("%s %q: decodes to %d bytes, not the %d of the plain answer", path, accept, len(got), len(want))
			}
			if enc != "" && path == "/besoins" && len(r.Body)*2 > len(plain.Body) {
				t.Fatalf("%s %q: %d bytes for %d", path, accept, len(r.Body), len(plain.Body))
			}
		}
	}
	tiny := env.Do(t, "GET", "/static/favicon.svg", "", nil, "Accept-Encoding", "br")
	if tiny.Header.Get("Content-Encoding") != "" || !strings.Contains(tiny.Header.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("a tiny SVG: %v", tiny.Header)
	}
}

// A static file named with its content hash (?v=, as pages link it) may be
// kept for good; any other is kept a few minutes and then revalidated: its
// ETag, sent back in If-None-Match, gets a 304 without a body, in any coding.
func TestStaticCaching(t *testing.T) {
	env := testenv.New(t)
	link := regexp.MustCompile(`href="(/static/essor\.css\?v=[0-9a-f]+)"`).FindSubmatch(env.Do(t, "GET", "/", "", nil).Body)
	if link == nil {
		t.Fatal("the home page links no hashed style sheet")
	}
	hashed := env.Do(t, "GET", string(link[1]), "", nil).Expect(t, 200)
	if hashed.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Fatalf("hashed: %v", hashed.Header)
	}
	for _, path := range []string{"/static/essor.css", "/static/essor.css?v=0ld"} {
		r := env.Do(t, "GET", path, "", nil).Expect(t, 200)
		etag := r.Header.Get("ETag")
		if r.Header.Get("Cache-Control") != "public, max-age=300" || !strings.HasPrefix(etag, `W/"`) {
			t.Fatalf("%s: %v", path, r.Header)
		}
		for _, enc := range []string{"identity", "br"} {
			for _, inm := range []string{etag, strings.TrimPrefix(etag, "W/"), `"autre", ` + etag, "*"} {
				nm := env.Do(t, "GET", path, "", nil, "If-None-Match", inm, "Accept-Encoding", enc).Expect(t, 304)
				if len(nm.Body) != 0 || nm.Header.Get("ETag") != etag || nm.Header.Get("Cache-Control") != "public, max-age=300" ||
					!strings.Contains(nm.Header.Get("Vary"), "Accept-Encoding") {
					t.Fatalf("%s, If-None-Match %s (%s): %v %q", path, inm, enc, nm.Header, nm.Body)
				}
			}
		}
		env.Do(t, "GET", path, "", nil, "If-None-Match", `W/"autre"`).Expect(t, 200)
		env.Do(t, "HEAD", path, "", nil, "If-None-Match", etag).Expect(t, 304)
	}
}

// Pages write the form token masked afresh (BREACH): two renders differ,
// neither shows the token itself, both are taken, a tampered one is
// refused; the plain token of a form rendered before masking still passes.
func TestFormTokenMasked(t *testing.T) {
	env := testenv.New(t)
	acc := env.Account(t, "Mairie de Dole", domain.RoleActor)
	b := newBrowser(t, env)
	token := func(path string) string {
		body := b.get(path).expect(t, 200).Body
		m := csrfField.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s: no form token", path)
		}
		raw, err := base64.RawURLEncoding.DecodeString(m[1])
		if err != nil || len(raw) < 64 {
			t.Fatalf("%s: token %q", path, m[1])
		}
		pad, plain := raw[:len(raw)/2], raw[len(raw)/2:]
		for i := range plain {
			plain[i] ^= pad[i]
		}
		if strings.Contains(body, string(plain)) {
			t.Fatalf("%s shows the token itself", path)
		}
		return m[1]
	}
	lang := func(tok string) page { return b.do("POST", "/langue", url.Values{"_csrf": {tok}, "lang": {"fr"}}) }
	for _, who := range []string{"signed out", "signed in"} {
		if who == "signed in" {
			b.signIn(acc.Email, acc.Password)
		}
		first, second := token("/"), token("/besoins")
		if first == second {
			t.Fatalf("%s: the same token twice", who)
		}
		lang(first).expect(t, 303)
		lang(second).expect(t, 303)
		tampered := []byte(first)
		if i := len(tampered) - 10; tampered[i] == 'A' { // a letter of the masked half
			tampered[i] = 'B'
		} else {
			tampered[i] = 'A'
		}
		lang(string(tampered)).expect(t, 403)
		lang(first[:len(first)-4]).expect(t, 403)
	}
	b = newBrowser(t, env)
	b.get("/")
	lang(b.cookies["essor_csrf"]).expect(t, 303)
}
