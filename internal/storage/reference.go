package storage

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Theme is a field of social innovation.
type Theme struct {
	Slug    string `db:"slug" json:"slug"`
	LabelFR string `db:"label_fr" json:"label_fr"`
	LabelEN string `db:"label_en" json:"label_en"`
}

// Territory is a département, an employment zone or another area.
type Territory struct {
	Code string `db:"code" json:"code"`
	Name string `db:"name" json:"name"`
	Kind string `db:"kind" json:"kind"`
}

// Themes lists the themes in display order.
func (db *DB) Themes(ctx context.Context) ([]Theme, error) {
	rows, err := db.Pool.Query(ctx, "SELECT slug, label_fr, label_en FROM themes ORDER BY position, slug")
	if err != nil {
		return nil, fmt.Errorf("themes: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[Theme])
}

// Territories lists the territories in display order.
func (db *DB) Territories(ctx context.Context) ([]Territory, error) {
	rows, err := db.Pool.Query(ctx, "SELECT code, name, kind FROM territories ORDER BY position, name")
	if err != nil {
		return nil, fmt.Errorf("territories: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[Territory])
}

// Reference is a short-lived cache of themes and territories: they change
// rarely (an admin adds one) and every submission checks them.
type Reference struct {
	db  *DB
	ttl time.Duration

	mu          sync.RWMutex
	loaded      time.Time
	themes      []Theme
	territories []Territory
	themeSet    map[string]bool
	terrSet     map[string]bool
}

// NewReference caches the reference data for ttl.
func NewReference(db *DB, ttl time.Duration) *Reference { return &Reference{db: db, ttl: ttl} }

// Load returns the themes and territories, refreshed when older than the ttl.
func (r *Reference) Load(ctx context.Context) ([]Theme, []Territory, error) {
	r.mu.RLock()
	fresh := time.Since(r.loaded) < r.ttl
	th, te := r.themes, r.territories
	r.mu.RUnlock()
	if fresh {
		return th, te, nil
	}
	th, err := r.db.Themes(ctx)
	if err != nil {
		return nil, nil, err
	}
	te, err = r.db.Territories(ctx)
	if err != nil {
		return nil, nil, err
	}
	ths, tes := map[string]bool{}, map[string]bool{}
	for _, t := range th {
		ths[t.Slug] = true
	}
	for _, t := range te {
		tes[t.Code] = true
	}
	r.mu.Lock()
	r.themes, r.territories, r.themeSet, r.terrSet, r.loaded = th, te, ths, tes, time.Now()
	r.mu.Unlock()
	return th, te, nil
}

// Check returns a domain.Reference view, loading the data if needed.
func (r *Reference) Check(ctx context.Context) (RefSet, error) {
	if _, _, err := r.Load(ctx); err != nil {
		return RefSet{}, err
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return RefSet{themes: r.themeSet, territories: r.terrSet}, nil
}

// RefSet answers domain.Reference from a snapshot.
type RefSet struct{ themes, territories map[string]bool }

func (s RefSet) ThemeExists(slug string) bool     { return s.themes[slug] }
func (s RefSet) TerritoryExists(code string) bool { return s.territories[code] }
