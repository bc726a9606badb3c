// Package storage is Essor's PostgreSQL store: one file per aggregate,
// explicit SQL through pgx.
package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"essor/internal/domain"
)

// SessionTimeZone is every connection's TimeZone setting.
const SessionTimeZone = "Europe/Paris"

// ErrNotFound is returned (wrapped) when a row does not exist.
var ErrNotFound = domain.NotFound()

// DB is the connection pool and the queries on it.
type DB struct {
	Pool *pgxpool.Pool
	// lazy commits without waiting for the disk (synchronous_commit=off): for
	// records that are a convenience, not a source of truth (idempotency
	// replays), where a PostgreSQL crash may lose the last ~0.6 s and nothing
	// else (Temporal deduplicates the retried work by its derived ids).
	lazy *pgxpool.Pool

	// probe is a connection of its own for Probe, so that a busy pool never
	// makes PostgreSQL look away.
	probeMu     sync.Mutex
	probe       *pgx.Conn
	probeConfig *pgx.ConnConfig
	closed      bool
}

// Open connects to the database at url, creating the database first when it
// does not exist yet.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database url: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = 24
	}
	cfg.MaxConnIdleTime = 5 * time.Minute
	// Days are Paris days (domain/date.go): casts between date and
	// timestamptz, date_trunc and ::date in SQL read them the same way,
	// whatever the server's own time zone.
	if _, set := cfg.ConnConfig.RuntimeParams["timezone"]; !set {
		cfg.ConnConfig.RuntimeParams["timezone"] = SessionTimeZone
	}
	// A PostgreSQL that is away must cost a request a few seconds, not the
	// whole request budget: connecting and checking an idle connection are
	// bounded, so that the error (a 503) comes back quickly.
	if !strings.Contains(url, "connect_timeout") {
		cfg.ConnConfig.ConnectTimeout = ConnectTimeout
	}
	cfg.PingTimeout = ConnectTimeout
	if err := ensureDatabase(ctx, cfg.ConnConfig); err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect: %w", err)
	}
	lazyCfg := cfg.Copy()
	lazyCfg.MaxConns = max(4, cfg.MaxConns/3)
	lazyCfg.ConnConfig.RuntimeParams["synchronous_commit"] = "off"
	lazy, err := pgxpool.NewWithConfig(ctx, lazyCfg)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect: %w", err)
	}
	return &DB{Pool: pool, lazy: lazy, probeConfig: cfg.ConnConfig.Copy()}, nil
}

// ConnectTimeout bounds a new connection to PostgreSQL (unless DATABASE_URL
// sets connect_timeout).
const ConnectTimeout = 3 * time.Second

// Close releases every connection.
func (db *DB) Close() {
	db.Pool.Close()
	db.lazy.Close()
	db.probeMu.Lock()
	defer db.probeMu.Unlock()
	db.closed = true
	if db.probe != nil {
		_ = db.probe.Close(context.Background())
		db.probe = nil
	}
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.Pool.Ping(ctx) }

// Probe checks that PostgreSQL answers on a connection outside the pools
// (opened again after a failure): a health monitor calls it every second.
func (db *DB) Probe(ctx context.Context) error {
	db.probeMu.Lock()
	defer db.probeMu.Unlock()
	if db.closed {
		return errors.New("database closed")
	}
	if db.probe == nil || db.probe.IsClosed() {
		conn, err := pgx.ConnectConfig(ctx, db.probeConfig.Copy())
		if err != nil {
			return err
		}
		db.probe = conn
	}
	if err := db.probe.Ping(ctx); err != nil {
		_ = db.probe.Close(context.Background())
		db.probe = nil
		return err
	}
	return nil
}

// IsUnavailable tells whether err says that PostgreSQL could not be reached
// or went away (as opposed to refusing a statement): no connection, a
// connection lost, the server shutting down or starting, or the request's
// time running out. Such errors are a 503: the same request may succeed once
// the database is back.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var connect *pgconn.ConnectError
	if errors.As(err, &connect) || errors.Is(err, pgconn.ErrConnClosed) || pgconn.Timeout(err) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case strings.HasPrefix(pgErr.Code, "08"): // connection_exception
			return true
		case pgErr.Code == "57P01", pgErr.Code == "57P02", pgErr.Code == "57P03": // admin_shutdown, crash_shutdown, cannot_connect_now
			return true
		case pgErr.Code == "53300": // too_many_connections
			return true
		}
		return false
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	// A connection closed under pgx's feet: an end of file coming from pgconn
	// (its errors say whether they are safe to retry).
	var fromPgconn interface{ SafeToRetry() bool }
	if errors.As(err, &fromPgconn) && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)) {
		return true
	}
	return false
}

func ensureDatabase(ctx context.Context, cc *pgx.ConnConfig) error {
	name := cc.Database
	conn, err := pgx.ConnectConfig(ctx, cc.Copy())
	if err == nil {
		return conn.Close(ctx)
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "3D000" { // invalid_catalog_name
		return fmt.Errorf("connect to %q: %w", name, err)
	}
	admin := cc.Copy()
	admin.Database = "postgres"
	conn, err = pgx.ConnectConfig(ctx, admin)
	if err != nil {
		return fmt.Errorf("create database %q: %w", name, err)
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	if err != nil && !(errors.As(err, &pgErr) && pgErr.Code == "42P04") { // duplicate_database
		return fmt.Errorf("create database %q: %w", name, err)
	}
	return nil
}

// DropDatabase removes a database (tests use it to clean up).
func DropDatabase(ctx context.Context, url string) error {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return err
	}
	name := cfg.Database
	cfg.Database = "postgres"
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	return err
}

// inTx runs fn in a transaction, committed when fn returns nil.
func (db *DB) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db.Pool, fn)
}

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}
