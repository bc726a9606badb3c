package server_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"essor/internal/domain"
	"essor/internal/testenv"
)

var (
	hrefAttr = regexp.MustCompile(`<a\s[^>]*href="([^"]+)"`)
	formTag  = regexp.MustCompile(`(?s)<form\s([^>]*)>(.*?)</form>`)
	attrOf   = func(name string) *regexp.Regexp { return regexp.MustCompile(`(?:^|\s)` + name + `="([^"]*)"`) }
	actionAt = attrOf("action")
	methodAt = attrOf("method")
	hiddenIn = regexp.MustCompile(`<input\s[^>]*type="hidden"[^>]*>`)
	nameAt   = attrOf("name")
	valueAt  = attrOf("value")
)

// crawlSkips are the forms a crawler must not send: they end its session or
// change who it is.
var crawlSkips = []string{"/deconnexion", "/langue", "/admin/comptes/"}

// No page offers its viewer an action it refuses: signed in as every role,
// the crawler follows every same-origin link of the main pages (two levels
// deep) and sends every form as it stands (hidden fields only, as a click
// would); none answers 403, 404, 405 or 5xx.
func TestNoPageOffersARefusal(t *testing.T) {
	env := testenv.New(t)
	p := newPipeline(t, env)
	committee := env.Account(t, "Région", domain.RoleCommittee)
	organiser := env.Account(t, "Région", domain.RoleOrganiser)
	jury := env.Account(t, "Jury", domain.RoleJury)
	admin := env.Account(t, "Essor", domain.RoleAdmin)
	p.act(p.officer, 200, map[string]any{"action": "qualify"})
	env.Do(t, "POST", "/api/v1/study-actions", p.actor.Token, application("")).Expect(t, 201)
	env.Do(t, "POST", "/api/v1/calls", p.officer.Token, map[string]any{"title": "Territoires pilotes de l'épicerie",
		"description": "Nous cherchons des territoires pour expérimenter une épicerie solidaire itinérante.",
		"opens_at":    time.Now().Add(time.Hour).Format(time.RFC3339), "closes_at": time.Now().AddDate(0, 1, 0).Format(time.RFC3339)}).
		Expect(t, 201)
	env.Do(t, "POST", "/api/v1/rally/rounds", organiser.Token, roundBody("Rally'nov de l'année")).Expect(t, 201)

	start := []string{"/", "/besoins", "/mes-besoins", "/mes-dossiers", "/tableau", "/comite", "/appels", "/fonds-de-confiance",
		"/fonds-de-confiance/suivi", "/rallye", "/indicateurs", "/mon-compte/notifications", "/admin/comptes", "/admin/referentiel", "/admin/envois"}
	for _, who := range []*testenv.Account{nil, &p.actor, &jury, &committee, &organiser, &p.officer, &admin} {
		name := "anonyme"
		b := newBrowser(t, env)
		if who != nil {
			name = string(who.Roles[0])
			b.signIn(who.Email, who.Password)
		}
		t.Run(name, func(t *testing.T) {
			seen := crawl(t, b, start, 2)
			// Every page's footer links the notices of a public service.
			for _, notice := range []string{"/accessibilite", "/mentions-legales", "/donnees-personnelles", "/contact", "/donnees-ouvertes"} {
				if !seen[notice] {
					t.Errorf("the crawler never reached %s", notice)
				}
			}
		})
	}
}

// crawl returns the pages it reached.
func crawl(t *testing.T, b *browser, start []string, depth int) map[string]bool {
	seen := map[string]bool{}
	sent := map[string]bool{}
	type hop struct{ path, from string }
	var frontier []hop
	for _, s := range start {
		frontier = append(frontier, hop{s, ""})
	}
	for level := 0; level <= depth && len(frontier) > 0; level++ {
		var next []hop
		for _, h := range frontier {
			if seen[h.path] {
				continue
			}
			seen[h.path] = true
			r := b.get(h.path)
			if h.from == "" && (r.Status == 403 || r.Status == 404) {
				continue // a start page this role has no business on; nothing links to it below
			}
			if r.Status == 403 || r.Status == 404 || r.Status == 405 || r.Status >= 500 {
				t.Errorf("%s offers %s, which answers %d", h.from, h.path, r.Status)
				continue
			}
			if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
				continue
			}
			for _, m := range hrefAttr.FindAllStringSubmatch(r.Body, -1) {
				if target, ok := sameOrigin(m[1]); ok && !seen[target] {
					next = append(next, hop{target, h.path})
				}
			}
			for _, f := range formTag.FindAllStringSubmatch(r.Body, -1) {
				checkForm(t, b, h.path, f[1], f[2], sent)
			}
		}
		frontier = next
	}
	if len(seen) < len(start) {
		t.Fatalf("crawled only %d pages", len(seen))
	}
	t.Logf("%d pages, %d forms", len(seen), len(sent))
	return seen
}

// checkForm sends a form as a click on its button would, once per action.
func checkForm(t *testing.T, b *browser, from, attrs, body string, sent map[string]bool) {
	t.Helper()
	action := from
	if m := actionAt.FindStringSubmatch(attrs); m != nil {
		action = html.UnescapeString(m[1])
	}
	target, ok := sameOrigin(action)
	if !ok || sent[target] {
		return
	}
	for _, skip := range crawlSkips {
		if strings.HasPrefix(target, skip) {
			return
		}
	}
	sent[target] = true
	method := "get"
	if m := methodAt.FindStringSubmatch(attrs); m != nil {
		method = strings.ToLower(m[1])
	}
	form := url.Values{}
	for _, in := range hiddenIn.FindAllString(body, -1) {
		if n := nameAt.FindStringSubmatch(in); n != nil && n[1] != "_csrf" {
			v := ""
			if m := valueAt.FindStringSubmatch(in); m != nil {
				v = html.UnescapeString(m[1])
			}
			form.Add(n[1], v)
		}
	}
	var r page
	if method == "post" {
		r = b.post(target, form)
	} else {
		r = b.get(target + "?" + form.Encode())
	}
	if r.Status == 403 || r.Status == 404 || r.Status == 405 || r.Status >= 500 {
		t.Errorf("%s offers a form to %s %s, which answers %d: %.300s", from, method, target, r.Status, r.Body)
	}
}

// sameOrigin keeps a page's own links (no other site, no anchor-only link).
func sameOrigin(href string) (string, bool) {
	href = html.UnescapeString(href)
	u, err := url.Parse(href)
	if err != nil || u.IsAbs() || u.Host != "" || !strings.HasPrefix(u.Path, "/") {
		return "", false
	}
	if strings.HasPrefix(u.Path, "/static/") || strings.HasPrefix(u.Path, "/api/") {
		return "", false
	}
	if u.RawQuery != "" {
		return u.Path + "?" + u.RawQuery, true
	}
	return u.Path, true
}
