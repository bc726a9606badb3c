package storage_test

import (
	"errors"
	"net"
	"strconv"
	"testing"
	"time"

	"essor/internal/storage"
	"essor/internal/testdb"
)

// What PostgreSQL refuses is not an outage; a server that is stopped, or
// that never answers, is, and is known as one within seconds; the pools
// reconnect by themselves when it is back.
func TestUnavailableErrors(t *testing.T) {
	pg := testdb.StartPrivate(t)
	db := testdb.Open(t, pg.URL("essor"))
	_, err := db.Pool.Exec(ctx, "SELECT 1/0")
	if err == nil || storage.IsUnavailable(err) {
		t.Fatalf("division by zero: %v", err)
	}
	if storage.IsUnavailable(errors.New("anything else")) || storage.IsUnavailable(nil) {
		t.Fatal("an ordinary error taken for an outage")
	}

	pg.Stop()
	start := time.Now()
	_, err = db.Pool.Exec(ctx, "SELECT 1")
	if !storage.IsUnavailable(err) {
		t.Fatalf("stopped server: %T %v", err, err)
	}
	if err := db.Probe(ctx); !storage.IsUnavailable(err) {
		t.Fatalf("probe of a stopped server: %v", err)
	}
	t.Logf("stopped server: known in %v", time.Since(start))

	pg.Start()
	if err := db.Probe(ctx); err != nil {
		t.Fatalf("probe after the restart: %v", err)
	}
	if _, err := db.Pool.Exec(ctx, "SELECT 1"); err != nil {
		t.Fatalf("pool after the restart: %v", err)
	}
}

// A server that accepts connections and never answers (a network that
// swallows packets, a frozen host) costs storage.ConnectTimeout, not more.
func TestConnectTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // say nothing
		}
	}()
	start := time.Now()
	_, err = storage.Open(ctx, "postgres://essor@127.0.0.1:"+strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)+"/essor?sslmode=disable")
	took := time.Since(start)
	if err == nil || !storage.IsUnavailable(err) {
		t.Fatalf("silent server: %v", err)
	}
	if took > storage.ConnectTimeout+5*time.Second {
		t.Fatalf("silent server: gave up after %v", took)
	}
	t.Logf("silent server: gave up after %v", took.Round(time.Millisecond))
}
