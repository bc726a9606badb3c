package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"

	"essor/internal/domain"
	"essor/internal/testenv"
)

// BenchmarkExports downloads each export of a base of 1,000, 10,000 and
// 100,000 needs (and a tenth as many study-actions), over HTTP from the
// real server, plain, as br and as gzip, and reports per download the bytes
// allocated (B/op, which grow with the rows written: garbage), the body's
// size as sent, and the highest live heap any garbage collection found
// during the downloads above what it was before (peak-live-B): what an
// export holds, which must stay flat.
// The collector runs often meanwhile (GOGC 20) so that it looks mid-export.
// Run: go test -run '^$' -bench Exports -benchtime 3x ./internal/server/
func BenchmarkExports(b *testing.B) {
	env := testenv.New(b)
	ctx := context.Background()
	actor := env.Account(b, "Mairie de Dole", domain.RoleActor)
	officer := env.Account(b, "FCA", domain.RoleOfficer)
	exports := []string{"/besoins.csv", "/donnees-ouvertes/besoins.csv", "/donnees-ouvertes/besoins.json", "/fonds-de-confiance.csv"}
	seeded := 0
	for _, n := range []int{1_000, 10_000, 100_000} {
		start := time.Now()
		if err := env.DB.SeedNeeds(ctx, n-seeded, actor.ID, []string{officer.ID}); err != nil {
			b.Fatal(err)
		}
		if _, err := env.DB.Pool.Exec(ctx, `INSERT INTO study_actions (id, host_company, project_title, summary, sponsor,
				duration_months, months, financing, region_eur, cdc_eur, private_eur, stage, stage_entered_at, applicant_id,
				applicant_name, version, created_at, updated_at, territory_code)
			SELECT gen_random_uuid(), 'Entreprise ' || i, 'Étude-action n°' || i, 'Une étude-action.', 'Réseau', 6, 6, '[]',
				20000, 10000 + i % 5000, i % 3000, 'study', now(), $2::uuid, 'Bench', 1, now() - i * interval '1 hour', now(), '39'
			FROM generate_series($1::int + 1, $3::int) AS i`, seeded/10, actor.ID, n/10); err != nil {
			b.Fatal(err)
		}
		b.Logf("%d needs seeded in %.1f s", n, time.Since(start).Seconds())
		seeded = n
		for _, path := range exports {
			for _, enc := range []string{"identity", "br", "gzip"} {
				b.Run(fmt.Sprintf("%s/needs=%d/%s", path, n, enc), func(b *testing.B) {
					downloadExport(b, env.URL+path, enc)
				})
			}
		}
	}
}

// downloadExport downloads url over and over, asking for the coding enc.
func downloadExport(b *testing.B, url, enc string) {
	defer debug.SetGCPercent(debug.SetGCPercent(20))
	runtime.GC()
	peak := watchLiveHeap()
	b.ReportAllocs()
	var size int64
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", enc) // and not decoded: the size is the one sent
	for b.Loop() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		size, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("%d %v", resp.StatusCode, err)
		}
	}
	b.ReportMetric(float64(peak()), "peak-live-B")
	b.ReportMetric(float64(size), "body-B")
}

// watchLiveHeap samples, every millisecond, the live heap as the last
// garbage collection marked it (runtime/metrics: no stop of the world), and
// returns how to read its peak above the start.
func watchLiveHeap() (peak func() uint64) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base := read()
	var high atomic.Uint64
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if v := read(); v > base && v-base > high.Load() {
					high.Store(v - base)
				}
			}
		}
	}()
	return func() uint64 {
		close(done)
		return high.Load()
	}
}
