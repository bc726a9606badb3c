package server_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"essor/internal/config"
	"essor/internal/domain"
	"essor/internal/testenv"
)

// retryAfter reads a Retry-After header in seconds (0 when absent or unreadable).
func retryAfter(h http.Header) int {
	n, err := strconv.Atoi(h.Get("Retry-After"))
	if err != nil {
		return 0
	}
	return n
}

// 50 parallel wrong passwords for one account: at most 10 are checked
// (401), every other answer is a 429 with Retry-After; the right password
// afterwards is refused too, with a Retry-After of minutes.
func TestParallelWrongPasswordsAreLimited(t *testing.T) {
	env := testenv.New(t)
	victim := env.Account(t, "Centre social", domain.RoleActor)
	var mu sync.Mutex
	counts := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r := env.Do(t, "POST", "/api/v1/sessions", "", map[string]any{"email": victim.Email, "password": "devine-" + strconv.Itoa(i)})
			mu.Lock()
			defer mu.Unlock()
			counts[r.Status]++
			if r.Status == http.StatusTooManyRequests && retryAfter(r.Header) < 1 {
				t.Errorf("429 without Retry-After: %v", r.Header)
			}
		}()
	}
	close(start)
	wg.Wait()
	if counts[401] > 10 || counts[401]+counts[429] != 50 {
		t.Fatalf("answers %v: want at most 10 × 401, the rest 429", counts)
	}
	t.Logf("50 parallel wrong passwords: %v", counts)
	// On a loaded machine the hashing pool may have answered "busy" (a 429
	// that counts no failure) to some of the first ten: finish the ten
	// failures one by one, so the lockout below does not depend on timing.
	for i := counts[401]; i < 10; i++ {
		r := env.Do(t, "POST", "/api/v1/sessions", "", map[string]any{"email": victim.Email, "password": "encore-" + strconv.Itoa(i)})
		if r.Status == http.StatusTooManyRequests {
			break
		}
		counts[r.Status]++
	}

	r := env.Do(t, "POST", "/api/v1/sessions", "", map[string]any{"email": victim.Email, "password": victim.Password}).Expect(t, 429)
	if e := errorOf(t, r); e.Code != "rate_limited" || !strings.Contains(e.Message, "tentatives") {
		t.Fatalf("429 body %+v", e)
	}
	if n := retryAfter(r.Header); counts[401] == 10 && (n < 60 || n > 900) {
		t.Fatalf("Retry-After %q after 10 failures, want the minutes until the oldest leaves the window", r.Header.Get("Retry-After"))
	} else if n < 1 {
		t.Fatalf("Retry-After %q", r.Header.Get("Retry-After"))
	}
	// Another account from the same address is not locked by this one.
	other := env.Account(t, "Mairie", domain.RoleActor)
	env.Do(t, "POST", "/api/v1/sessions", "", map[string]any{"email": other.Email, "password": other.Password}).Expect(t, 201)
}

// The sign-in page says the same, in French, with Retry-After.
func TestSignInPageLockoutHasRetryAfter(t *testing.T) {
	env := testenv.New(t)
	victim := env.Account(t, "Centre social", domain.RoleActor)
	b := newBrowser(t, env)
	for i := 0; i < 10; i++ {
		b.post("/connexion", url.Values{"email": {victim.Email}, "password": {"essai-" + strconv.Itoa(i)}}).expect(t, 401)
	}
	p := b.post("/connexion", url.Values{"email": {victim.Email}, "password": {victim.Password}}).
		expect(t, http.StatusTooManyRequests, "Trop de tentatives. Réessayez dans quelques minutes.", `name="email"`)
	if n := retryAfter(p.Header); n < 60 || n > 900 {
		t.Fatalf("Retry-After %q", p.Header.Get("Retry-After"))
	}
}

// A web session's token is refused as a bearer token, and an API token is
// not a web session.
func TestWebSessionIsNotAnAPIToken(t *testing.T) {
	env := testenv.New(t)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	b := newBrowser(t, env)
	b.signIn(actor.Email, actor.Password)
	web := b.cookies["essor_session"]
	if web == "" {
		t.Fatalf("no web session cookie: %v", b.cookies)
	}
	b.get("/mes-besoins").expect(t, 200, actor.Name)
	if e := errorOf(t, env.Do(t, "GET", "/api/v1/me", web, nil).Expect(t, 401)); e.Code != "unauthenticated" {
		t.Fatalf("web token as bearer: %+v", e)
	}
	env.Do(t, "GET", "/api/v1/needs", web, nil).Expect(t, 401)
	env.Do(t, "DELETE", "/api/v1/sessions?everywhere=true", web, nil).Expect(t, 401)
	b.get("/mes-besoins").expect(t, 200, actor.Name) // still signed in on the web
	env.Do(t, "GET", "/api/v1/me", actor.Token, nil).Expect(t, 200)

	api := newBrowser(t, env)
	api.cookies["essor_session"] = actor.Token
	api.get("/mes-besoins").redirects(t, "/connexion?suite=%2Fmes-besoins")
}

// Signing out everywhere ends every API token and web session of the
// account, and nobody else's.
func TestSignOutEverywhere(t *testing.T) {
	env := testenv.New(t)
	alice := env.Account(t, "Mairie de Dole", domain.RoleActor)
	bob := env.Account(t, "Centre social", domain.RoleActor)
	signIn := func(a testenv.Account) string {
		var s struct {
			Token string `json:"token"`
		}
		env.Do(t, "POST", "/api/v1/sessions", "", map[string]any{"email": a.Email, "password": a.Password}).Expect(t, 201).JSON(t, &s)
		return s.Token
	}

	t.Run("API", func(t *testing.T) {
		second := signIn(alice)
		browser := newBrowser(t, env)
		browser.signIn(alice.Email, alice.Password)
		bobBrowser := newBrowser(t, env)
		bobBrowser.signIn(bob.Email, bob.Password)

		e := errorOf(t, env.Do(t, "DELETE", "/api/v1/sessions?everywhere=peut-etre", second, nil).Expect(t, 422))
		if !strings.Contains(e.Fields["everywhere"], "partout") {
			t.Fatalf("422 fields %v", e.Fields)
		}
		env.Do(t, "GET", "/api/v1/me", second, nil).Expect(t, 200)
		env.Do(t, "DELETE", "/api/v1/sessions?everywhere=false", second, nil).Expect(t, 204)
		env.Do(t, "GET", "/api/v1/me", second, nil).Expect(t, 401)
		env.Do(t, "GET", "/api/v1/me", alice.Token, nil).Expect(t, 200) // one token only

		third := signIn(alice)
		env.Do(t, "DELETE", "/api/v1/sessions?everywhere=true", third, nil).Expect(t, 204)
		for _, tok := range []string{alice.Token, third} {
			env.Do(t, "GET", "/api/v1/me", tok, nil).Expect(t, 401)
		}
		browser.get("/mes-besoins").redirects(t, "/connexion?suite=%2Fmes-besoins")
		env.Do(t, "GET", "/api/v1/me", bob.Token, nil).Expect(t, 200)
		bobBrowser.get("/mes-besoins").expect(t, 200, bob.Name)
	})

	t.Run("web", func(t *testing.T) {
		token := signIn(bob)
		here, there := newBrowser(t, env), newBrowser(t, env)
		here.signIn(bob.Email, bob.Password)
		there.signIn(bob.Email, bob.Password)
		carol := env.Account(t, "Asso", domain.RoleActor)
		here.get("/mes-besoins").expect(t, 200, "Se déconnecter de tous les appareils", `action="/deconnexion/partout"`)
		here.do("POST", "/deconnexion/partout", url.Values{"_csrf": {"faux"}}).expect(t, 403)
		there.get("/mes-besoins").expect(t, 200, bob.Name)
		here.post("/deconnexion/partout", nil).redirects(t, "/")
		here.get("/").expect(t, 200, "Vous êtes déconnecté(e) de tous vos appareils.")
		here.get("/mes-besoins").redirects(t, "/connexion?suite=%2Fmes-besoins")
		there.get("/mes-besoins").redirects(t, "/connexion?suite=%2Fmes-besoins")
		for _, tok := range []string{bob.Token, token} {
			env.Do(t, "GET", "/api/v1/me", tok, nil).Expect(t, 401)
		}
		env.Do(t, "GET", "/api/v1/me", carol.Token, nil).Expect(t, 200)
		// Signed out, the button is not there and the address sends to the sign-in page.
		newBrowser(t, env).post("/deconnexion/partout", nil).redirects(t, "/connexion?suite=%2F")
	})
}

// The redirect after sign-in stays on the site.
func TestSignInRedirectStaysOnTheSite(t *testing.T) {
	env := testenv.New(t)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	for next, want := range map[string]string{
		"/\t/ailleurs.example": "/mes-besoins",
		"/%09/ailleurs":        "/mes-besoins",
		"/\\ailleurs.example":  "/mes-besoins",
		"https://ailleurs":     "/mes-besoins",
		"/besoins?theme=sante": "/besoins?theme=sante",
	} {
		b := newBrowser(t, env)
		b.post("/connexion", url.Values{"email": {actor.Email}, "password": {actor.Password}, "suite": {next}}).redirects(t, want)
	}
	b := newBrowser(t, env)
	b.post("/langue", url.Values{"lang": {"en"}, "retour": {"/\t/ailleurs.example"}}).redirects(t, "/")
}

// Over HTTPS (here a trusted proxy's X-Forwarded-Proto) the session and
// form cookies carry the __Host- prefix and responses carry HSTS; the same
// header from an untrusted client, or plain HTTP, changes nothing.
func TestHostCookiesOverHTTPS(t *testing.T) {
	env := testenv.New(t, func(c *config.Config) { c.TrustedProxies = []string{"127.0.0.1"} })
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	https := []string{"X-Forwarded-Proto", "https", "X-Forwarded-For", "198.51.100.7"}

	first := env.Do(t, "GET", "/connexion", "", nil, https...).Expect(t, 200)
	if first.Header.Get("Strict-Transport-Security") != "max-age=31536000" {
		t.Fatalf("HSTS %q", first.Header.Get("Strict-Transport-Security"))
	}
	csrf := cookieOf(t, first, "__Host-essor_csrf")
	if !csrf.Secure || csrf.Path != "/" || csrf.Domain != "" || !csrf.HttpOnly {
		t.Fatalf("form cookie %+v", csrf)
	}
	form := url.Values{"email": {actor.Email}, "password": {actor.Password}, "_csrf": {csrf.Value}}.Encode()
	post := func(cookie string) testenv.Response {
		return env.Do(t, "POST", "/connexion", "", form, append([]string{"Content-Type", "application/x-www-form-urlencoded",
			"Cookie", cookie}, https...)...)
	}
	// The form token under its plain-HTTP name is not read over HTTPS.
	post("essor_csrf="+csrf.Value).Expect(t, 403)
	signedIn := post("__Host-essor_csrf="+csrf.Value).Expect(t, 303)
	session := cookieOf(t, signedIn, "__Host-essor_session")
	if !session.Secure || session.Path != "/" || session.Domain != "" || !session.HttpOnly {
		t.Fatalf("session cookie %+v", session)
	}
	if signedIn.Header.Get("Strict-Transport-Security") == "" {
		t.Fatal("no HSTS on the sign-in answer")
	}
	page := env.Do(t, "GET", "/mes-besoins", "", nil, append([]string{"Cookie", "__Host-essor_session=" + session.Value}, https...)...).Expect(t, 200)
	if !strings.Contains(string(page.Body), actor.Name) {
		t.Fatal("not signed in with the __Host- cookie")
	}
	env.Do(t, "GET", "/mes-besoins", "", nil, append([]string{"Cookie", "essor_session=" + session.Value}, https...)...).Expect(t, 303)
	api := env.Do(t, "GET", "/api/v1/me", actor.Token, nil, https...).Expect(t, 200)
	if api.Header.Get("Strict-Transport-Security") == "" {
		t.Fatal("no HSTS on an API answer over HTTPS")
	}

	// Plain HTTP through the same proxy: nothing changes.
	plain := env.Do(t, "GET", "/connexion", "", nil).Expect(t, 200)
	if plain.Header.Get("Strict-Transport-Security") != "" || hasCookie(plain, "__Host-essor_csrf") || !hasCookie(plain, "essor_csrf") {
		t.Fatalf("plain HTTP: %v", plain.Header)
	}

	// Without trusted proxies, a client's X-Forwarded-Proto is not believed.
	direct := testenv.New(t)
	r := direct.Do(t, "GET", "/connexion", "", nil, "X-Forwarded-Proto", "https").Expect(t, 200)
	if r.Header.Get("Strict-Transport-Security") != "" || hasCookie(r, "__Host-essor_csrf") {
		t.Fatalf("an untrusted X-Forwarded-Proto was believed: %v", r.Header)
	}
}

func cookieOf(t *testing.T, r testenv.Response, name string) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no cookie %s in %v", name, r.Header.Values("Set-Cookie"))
	return nil
}

func hasCookie(r testenv.Response, name string) bool {
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == name {
			return true
		}
	}
	return false
}

// Nobody can keep a committee member out: twenty wrong passwords from one
// address lock that address on that account (429 with Retry-After, the
// right password included), while the member signs in from their own
// address, through the API and the sign-in page.
func TestWrongPasswordsElsewhereDoNotLockTheOwnerOut(t *testing.T) {
	env := testenv.New(t, func(c *config.Config) { c.TrustedProxies = []string{"127.0.0.1"} })
	member := env.Account(t, "Région", domain.RoleCommittee)
	from := func(addr string) []string { return []string{"X-Forwarded-For", addr} }
	signIn := func(password, addr string) testenv.Response {
		return env.Do(t, "POST", "/api/v1/sessions", "", map[string]any{"email": member.Email, "password": password}, from(addr)...)
	}
	for i := range 20 {
		r := signIn("devine-"+strconv.Itoa(i), "203.0.113.66")
		if want := map[bool]int{true: 401, false: 429}[i < 10]; r.Status != want {
			t.Fatalf("attempt %d from the attacker's address: %d, want %d", i+1, r.Status, want)
		}
	}
	if r := signIn(member.Password, "203.0.113.66").Expect(t, 429); retryAfter(r.Header) < 60 {
		t.Fatalf("the attacker's address: Retry-After %q", r.Header.Get("Retry-After"))
	}
	signIn(member.Password, "198.51.100.20").Expect(t, 201)

	b := newBrowser(t, env)
	page := b.get("/connexion", from("198.51.100.21")...)
	csrf := csrfField.FindStringSubmatch(page.Body)
	if csrf == nil {
		t.Fatal("no form token on the sign-in page")
	}
	b.do("POST", "/connexion", url.Values{"email": {member.Email}, "password": {member.Password}, "_csrf": {csrf[1]}},
		from("198.51.100.21")...).redirects(t, "/comite")
}
