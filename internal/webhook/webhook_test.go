package webhook

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// The client refuses a private address where it connects, whatever name led
// there (a public name rebound to 127.0.0.1 is caught the same way).
func TestClientRefusesPrivateAddresses(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(204) }))
	defer target.Close()
	d := Delivery{ID: "msg_1", URL: target.URL, Secret: NewSecret(), Payload: []byte(`{}`), At: time.Now()}
	if _, err := Send(context.Background(), Client(false), d); !errors.Is(err, ErrPrivate) {
		t.Fatalf("sent to %s: %v", target.URL, err)
	}
	if status, err := Send(context.Background(), Client(true), d); err != nil || status != 204 {
		t.Fatalf("allowed: %d %v", status, err)
	}
}

func TestBackoffGrows(t *testing.T) {
	prev := time.Duration(0)
	for i := 1; i <= 12; i++ {
		if b := Backoff(i); b < prev {
			t.Fatalf("attempt %d: %v after %v", i, b, prev)
		} else {
			prev = b
		}
	}
	if Backoff(1) != 10*time.Second || Backoff(40) != 4*time.Hour {
		t.Fatal(Backoff(1), Backoff(40))
	}
}
