package storage

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"essor/internal/domain"
)

// Theme is a field of social innovation. A retired theme stays on old
// records and is refused for new ones.
type Theme struct {
	Slug    string `db:"slug" json:"slug"`
	LabelFR string `db:"label_fr" json:"label_fr"`
	LabelEN string `db:"label_en" json:"label_en"`
	Retired bool   `db:"retired" json:"retired"`
}

// Territory is a region, a département, an EPCI, a commune or an
// employment zone. ParentCode is its first parent (a commune's
// département, an employment zone's département), ParentCodes all of them
// (a commune's EPCI too; a zone may span several départements).
type Territory struct {
	Code        string   `db:"code" json:"code"`
	Name        string   `db:"name" json:"name"`
	Kind        string   `db:"kind" json:"kind"`
	ParentCode  *string  `db:"parent_code" json:"parent_code"`
	ParentCodes []string `db:"parent_codes" json:"parent_codes"`
	Retired     bool     `db:"retired" json:"retired"`
	// Population is a commune's (INSEE, municipal); nil on other kinds.
	Population  *int     `db:"population" json:"population"`
	EpciCode    *string  `db:"epci_code" json:"epci_code,omitempty"` // a commune's
	PostalCodes []string `db:"postal_codes" json:"postal_codes,omitempty"`
}

// Parent is the parent's code, "" for none.
func (t Territory) Parent() string {
	if t.ParentCode == nil {
		return ""
	}
	return *t.ParentCode
}

var (
	// ErrThemeTaken is the 409 for a slug already used (retired ones included).
	ErrThemeTaken = domain.E(domain.CodeConflict, "error.theme_taken")
	// ErrTerritoryTaken is the 409 for a code already used (retired ones included).
	ErrTerritoryTaken = domain.E(domain.CodeConflict, "error.territory_taken")
)

const (
	themeColumns = "slug, label_fr, label_en, retired_at IS NOT NULL AS retired"
	// territoryColumns read a territory t with its parents, its EPCI for a commune.
	territoryColumns = `t.code, t.name, t.kind, t.parent_code, t.retired_at IS NOT NULL AS retired, t.population, t.postal_codes,
		ARRAY(SELECT p.parent_code FROM territory_parents p WHERE p.code = t.code
			ORDER BY p.parent_code IS DISTINCT FROM t.parent_code, p.parent_code) AS parent_codes,
		(SELECT p.parent_code FROM territory_parents p JOIN territories e ON e.code = p.parent_code
			WHERE p.code = t.code AND e.kind = 'epci' ORDER BY 1 LIMIT 1) AS epci_code`
)

// Themes lists every theme, retired ones included, in display order.
func (db *DB) Themes(ctx context.Context) ([]Theme, error) {
	rows, err := db.Pool.Query(ctx, "SELECT "+themeColumns+" FROM themes ORDER BY position, slug")
	if err != nil {
		return nil, fmt.Errorf("themes: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[Theme])
}

// Territories lists every territory, retired ones included, in display order.
func (db *DB) Territories(ctx context.Context) ([]Territory, error) {
	rows, err := db.Pool.Query(ctx, "SELECT "+territoryColumns+" FROM territories t ORDER BY t.position, t.name, t.code")
	if err != nil {
		return nil, fmt.Errorf("territories: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[Territory])
}

// CreateTheme adds a theme at the end of the list.
func (db *DB) CreateTheme(ctx context.Context, t domain.NewTheme) (Theme, error) {
	rows, _ := db.Pool.Query(ctx, `INSERT INTO themes (slug, label_fr, label_en, position)
		VALUES ($1, $2, $3, (SELECT coalesce(max(position), 0) + 1 FROM themes))
		RETURNING `+themeColumns, t.Slug, t.LabelFR, t.LabelEN)
	th, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Theme])
	if isUniqueViolation(err) {
		return Theme{}, ErrThemeTaken
	}
	if err != nil {
		return Theme{}, fmt.Errorf("create theme: %w", err)
	}
	return th, nil
}

// retiredSQL sets retired_at from a nullable boolean parameter: NULL keeps
// it, true keeps the first retirement's date, false restores.
func retiredSQL(param string) string {
	return "CASE WHEN " + param + "::bool IS NULL THEN retired_at WHEN " + param + "::bool THEN coalesce(retired_at, now()) ELSE NULL END"
}

// UpdateTheme renames, retires or restores a theme; records keep its slug.
func (db *DB) UpdateTheme(ctx context.Context, slug string, c domain.ThemeChange) (Theme, error) {
	rows, _ := db.Pool.Query(ctx, `UPDATE themes SET label_fr = coalesce($2, label_fr),
		label_en = coalesce($3, label_en), retired_at = `+retiredSQL("$4")+`
		WHERE slug = $1 RETURNING `+themeColumns, slug, c.LabelFR, c.LabelEN, c.Retired)
	th, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Theme])
	if errors.Is(err, pgx.ErrNoRows) {
		return Theme{}, ErrNotFound
	}
	if err != nil {
		return Theme{}, fmt.Errorf("update theme: %w", err)
	}
	return th, nil
}

// CreateTerritory adds a territory at the end of the list, its parent
// recorded in territory_parents too.
func (db *DB) CreateTerritory(ctx context.Context, t domain.NewTerritory) (Territory, error) {
	var te Territory
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO territories (code, name, kind, parent_code, position)
			VALUES ($1, $2, $3, $4, (SELECT coalesce(max(position), 0) + 1 FROM territories))`,
			t.Code, t.Name, t.Kind, nullable(t.ParentCode))
		if isUniqueViolation(err) {
			return ErrTerritoryTaken
		}
		if err != nil {
			return fmt.Errorf("create territory: %w", err)
		}
		if t.ParentCode != "" {
			if _, err := tx.Exec(ctx, "INSERT INTO territory_parents (code, parent_code) VALUES ($1, $2)", t.Code, t.ParentCode); err != nil {
				return fmt.Errorf("create territory: %w", err)
			}
		}
		te, err = territoryIn(ctx, tx, t.Code)
		return err
	})
	return te, err
}

// UpdateTerritory renames, moves, retires or restores a territory; records
// keep its code. A move replaces the first parent in territory_parents and
// keeps the others (the départements a zone also spans).
func (db *DB) UpdateTerritory(ctx context.Context, code string, c domain.TerritoryChange) (Territory, error) {
	setParent, parent := false, (*string)(nil)
	if c.ParentCode != nil {
		setParent, parent = true, nullable(*c.ParentCode)
	}
	var te Territory
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var old *string
		err := tx.QueryRow(ctx, "SELECT parent_code FROM territories WHERE code = $1 FOR UPDATE", code).Scan(&old)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("update territory: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE territories SET name = coalesce($2, name),
			parent_code = CASE WHEN $3 THEN $4 ELSE parent_code END, retired_at = `+retiredSQL("$5")+`
			WHERE code = $1`, code, c.Name, setParent, parent, c.Retired); err != nil {
			return fmt.Errorf("update territory: %w", err)
		}
		if setParent && !equalPtr(old, parent) {
			if old != nil {
				if _, err := tx.Exec(ctx, "DELETE FROM territory_parents WHERE code = $1 AND parent_code = $2", code, *old); err != nil {
					return fmt.Errorf("update territory: %w", err)
				}
			}
			if parent != nil {
				if _, err := tx.Exec(ctx, `INSERT INTO territory_parents (code, parent_code) VALUES ($1, $2)
					ON CONFLICT DO NOTHING`, code, *parent); err != nil {
					return fmt.Errorf("update territory: %w", err)
				}
			}
		}
		te, err = territoryIn(ctx, tx, code)
		return err
	})
	return te, err
}

func territoryIn(ctx context.Context, tx pgx.Tx, code string) (Territory, error) {
	rows, _ := tx.Query(ctx, "SELECT "+territoryColumns+" FROM territories t WHERE t.code = $1", code)
	te, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Territory])
	if errors.Is(err, pgx.ErrNoRows) {
		return Territory{}, ErrNotFound
	}
	if err != nil {
		return Territory{}, fmt.Errorf("territory %s: %w", code, err)
	}
	return te, nil
}

func equalPtr(a, b *string) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

// territoryCondition is the filter of a list on a territory: the territory
// and every territory under it (a département's employment zones), read
// now so that a change shows at once. The codes are sent as values, so
// that the planner sees how many they are: one code keeps the ordered
// index (territory_code, created_at, id); several read the recent index
// with a filter, or the territory index then a sort for a rare set.
func (db *DB) territoryCondition(ctx context.Context, code string, arg func(any) string) (string, error) {
	codes, err := db.territoryCodes(ctx, code)
	if err != nil {
		return "", err
	}
	if len(codes) <= 1 { // a commune, a zone
		return "n.territory_code = " + arg(code), nil
	}
	return "n.territory_code = ANY(" + arg(codes) + ")", nil
}

// territoryCodes is code with every territory within it, through all
// their parents: a département's employment zones (a zone spanning it
// too), EPCIs and communes.
func (db *DB) territoryCodes(ctx context.Context, code string) ([]string, error) {
	rows, _ := db.Pool.Query(ctx, `WITH RECURSIVE within(code) AS (SELECT $1::text
		UNION SELECT p.code FROM territory_parents p JOIN within w ON p.parent_code = w.code) SELECT code FROM within`, code)
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("territory filter: %w", err)
	}
	return codes, nil
}

// Reference is a short-lived cache of themes and territories: they change
// rarely (an admin adds one) and every submission checks them.
type Reference struct {
	db  *DB
	ttl time.Duration

	mu         sync.RWMutex
	loaded     time.Time
	generation int // bumped by Invalidate
	snap       refSnapshot
}

// NewReference caches the reference data for ttl.
func NewReference(db *DB, ttl time.Duration) *Reference { return &Reference{db: db, ttl: ttl} }

// Invalidate drops the cache: the next call reads the database again (an
// admin sees their change at once).
func (r *Reference) Invalidate() {
	r.mu.Lock()
	r.loaded = time.Time{}
	r.generation++
	r.mu.Unlock()
}

// Load returns every theme and territory, retired ones included (old
// records keep showing their names), refreshed when older than the ttl.
func (r *Reference) Load(ctx context.Context) ([]Theme, []Territory, error) {
	snap, err := r.load(ctx)
	return snap.themes, snap.territories, err
}

// Check returns a domain.Reference view for new records: retired themes and
// territories do not exist there.
func (r *Reference) Check(ctx context.Context) (RefSet, error) {
	snap, err := r.load(ctx)
	return RefSet{themes: snap.themeSet, territories: snap.terrSet}, err
}

type refSnapshot struct {
	themes      []Theme
	territories []Territory
	themeSet    map[string]bool
	terrSet     map[string]bool
	tree        TerritoryTree
}

func (r *Reference) load(ctx context.Context) (refSnapshot, error) {
	r.mu.RLock()
	fresh := !r.loaded.IsZero() && time.Since(r.loaded) < r.ttl
	snap, gen := r.snap, r.generation
	r.mu.RUnlock()
	if fresh {
		return snap, nil
	}
	started := time.Now()
	th, err := r.db.Themes(ctx)
	if err != nil {
		return refSnapshot{}, err
	}
	te, err := r.db.Territories(ctx)
	if err != nil {
		return refSnapshot{}, err
	}
	snap = refSnapshot{themes: th, territories: te, themeSet: map[string]bool{}, terrSet: map[string]bool{}, tree: NewTerritoryTree(te)}
	for _, t := range th {
		if !t.Retired {
			snap.themeSet[t.Slug] = true
		}
	}
	for _, t := range te {
		if !t.Retired {
			snap.terrSet[t.Code] = true
		}
	}
	r.mu.Lock()
	// An Invalidate during the read wins: what was read may predate the
	// change, so it answers this call but is not kept.
	if r.generation == gen {
		r.snap, r.loaded = snap, started
	}
	r.mu.Unlock()
	return snap, nil
}

// RefSet answers domain.Reference from a snapshot.
type RefSet struct{ themes, territories map[string]bool }

func (s RefSet) ThemeExists(slug string) bool     { return s.themes[slug] }
func (s RefSet) TerritoryExists(code string) bool { return s.territories[code] }
