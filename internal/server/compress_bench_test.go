package server_test

import (
	"context"
	"testing"

	"github.com/valyala/fasthttp"

	"essor/internal/domain"
	"essor/internal/testenv"
)

// BenchmarkCompression compresses rendered answers (/besoins with its 50
// cards, the home page, htmx) at the levels Essor could choose (Fiber's
// LevelBestSpeed is br 0 with gzip 1, its LevelDefault br 4 with gzip 6),
// and reports the CPU each costs per request (ns/op) and the bytes sent
// (body-B, of page-B); "request-besoins" is a whole GET over HTTP as
// served, for scale.
// Run: go test -run '^$' -bench Compression ./internal/server/
func BenchmarkCompression(b *testing.B) {
	env := testenv.New(b)
	actor := env.Account(b, "Mairie de Dole", domain.RoleActor)
	officer := env.Account(b, "FCA", domain.RoleOfficer)
	if err := env.DB.SeedNeeds(context.Background(), 200, actor.ID, []string{officer.ID}); err != nil {
		b.Fatal(err)
	}
	levels := []struct {
		name  string
		level int
		br    bool
	}{{"br-0", 0, true}, {"br-1", 1, true}, {"br-4", 4, true}, {"gzip-1", 1, false}, {"gzip-6", 6, false}}
	for _, p := range []struct{ name, path string }{{"besoins", "/besoins"}, {"home", "/"}, {"htmx", "/static/htmx.min.js"}} {
		page := env.Do(b, "GET", p.path, "", nil, "Accept-Encoding", "identity").Expect(b, 200).Body
		for _, l := range levels {
			b.Run(p.name+"/"+l.name, func(b *testing.B) {
				var out []byte
				for b.Loop() {
					if l.br {
						out = fasthttp.AppendBrotliBytesLevel(out[:0], page, l.level)
					} else {
						out = fasthttp.AppendGzipBytesLevel(out[:0], page, l.level)
					}
				}
				b.ReportMetric(float64(len(page)), "page-B")
				b.ReportMetric(float64(len(out)), "body-B")
			})
		}
	}
	for _, enc := range []string{"identity", "gzip", "br"} {
		b.Run("request-besoins/"+enc, func(b *testing.B) {
			var size int
			for b.Loop() {
				size = len(env.Do(b, "GET", "/besoins", "", nil, "Accept-Encoding", enc).Expect(b, 200).Body)
			}
			b.ReportMetric(float64(size), "body-B")
		})
	}
}
