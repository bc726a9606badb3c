// Package testdb gives storage tests a fresh, migrated PostgreSQL database.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"essor/internal/storage"
)

// DatabaseURL is the server on which test databases are created:
// ESSOR_TEST_DATABASE_URL, else the local default.
func DatabaseURL() string {
	if u := os.Getenv("ESSOR_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://localhost:5432/postgres"
}

// URL names a new database on the test server (created on first Open).
func URL(kind string) string {
	u, err := url.Parse(DatabaseURL())
	if err != nil {
		panic("ESSOR_TEST_DATABASE_URL: " + err.Error())
	}
	u.Path = "/essor_" + kind + "_" + randomHex()
	return u.String()
}

// Fresh creates an empty, migrated database dropped when the test ends.
func Fresh(tb testing.TB) (*storage.DB, string) {
	tb.Helper()
	dbURL := URL("test")
	ctx := context.Background()
	db, err := storage.Open(ctx, dbURL)
	if err != nil {
		tb.Fatalf("open test database: %v", err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		tb.Fatalf("migrate test database: %v", err)
	}
	tb.Cleanup(func() {
		db.Close()
		if err := storage.DropDatabase(context.Background(), dbURL); err != nil {
			tb.Logf("drop %s: %v", dbURL, err)
		}
	})
	return db, dbURL
}

func randomHex() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
