package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"essor/activities"
	"essor/internal/domain"
	"essor/internal/testenv"
)

// BenchmarkWebhookDelivery is the sender's throughput: b.N deliveries of as
// many subjects (in parallel up to the activity's 8 at once) to a local
// target that answers 204, signing, sending and logging each attempt.
func BenchmarkWebhookDelivery(b *testing.B) {
	env := testenv.New(b, allowPrivate)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(204) }))
	defer target.Close()
	admin := env.Account(b, "Région", domain.RoleAdmin)
	hook := env.Do(b, "POST", "/api/v1/admin/webhooks", admin.Token, map[string]any{"url": target.URL, "events": []string{"need.submitted"}}).Expect(b, 201).Map(b)
	ctx := context.Background()
	if _, err := env.DB.Pool.Exec(ctx, `INSERT INTO webhook_deliveries (webhook_id, subject, subject_id, seq, event, payload)
		SELECT $1, 'need', gen_random_uuid(), 1, 'need.submitted', '{"type":"need.submitted","data":{}}' FROM generate_series(1, $2)`,
		hook["id"], b.N); err != nil {
		b.Fatal(err)
	}
	a := &activities.Activities{DB: env.DB, Webhooks: &activities.Webhooks{AllowPrivate: true}}
	b.ResetTimer()
	delivered := 0
	for delivered < b.N {
		r, err := a.SendWebhooks(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if r.Delivered == 0 {
			b.Fatalf("stuck at %d of %d", delivered, b.N)
		}
		delivered += r.Delivered
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "deliveries/s")
}
