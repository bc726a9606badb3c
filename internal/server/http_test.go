package server_test

import (
	"testing"

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
		get := env.Do(t, "GET", path, acc.Token, nil, "Accept-Encoding", "identity").Expect(t, 200)
		head := env.Do(t, "HEAD", path, acc.Token, nil, "Accept-Encoding", "identity").Expect(t, 200)
		if len(head.Body) != 0 || len(get.Body) == 0 {
			t.Fatalf("HEAD %s: %d bytes (GET: %d)", path, len(head.Body), len(get.Body))
		}
		for _, h := range []string{"Content-Type", "Content-Length", "Transfer-Encoding", "Content-Disposition", "Cache-Control"} {
			if head.Header.Get(h) != get.Header.Get(h) {
				t.Errorf("HEAD %s: %s %q, GET: %q", path, h, head.Header.Get(h), get.Header.Get(h))
			}
		}
	}
	// A HEAD of an export gives its place back at once (one place here).
	env.Do(t, "HEAD", "/besoins.csv", "", nil).Expect(t, 200)
	env.Do(t, "GET", "/besoins.csv", "", nil).Expect(t, 200)
	env.Do(t, "HEAD", "/deconnexion", "", nil).Expect(t, 405)
	env.Do(t, "HEAD", "/api/v1/sessions", "", nil).Expect(t, 405)
}
