package storage

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/jackc/pgx/v5"
)

// The kinds that come from the open administrative data (migration
// 20261218090000): admins do not create them.
const (
	KindEPCI    = "epci"
	KindCommune = "commune"
)

// MaxTerritorySearch bounds a territory search's answer.
const MaxTerritorySearch = 50

// TerritoryQuery is a territory search: of a kind, within a territory
// (everything inside it, through all parents), matching Q, "" for any.
type TerritoryQuery struct {
	Kind, Parent string
	// Q is a commune's INSEE code (or its start), a postal code, or words of
	// a name, accents and case folded ("besancon", "saint claude").
	Q string
	// Active leaves retired territories out (what a form may choose).
	Active bool
	Limit  int // at most MaxTerritorySearch; 0 is the most
}

// SearchTerritories finds territories by code, postal code or name: exact
// codes and postal codes first, then names equal to Q, then names starting
// with it, then names containing it, the most populated first. The name is
// matched on the trigram index of its folded form, the codes on their
// indexes.
func (db *DB) SearchTerritories(ctx context.Context, tq TerritoryQuery) ([]Territory, error) {
	limit := tq.Limit
	if limit <= 0 || limit > MaxTerritorySearch {
		limit = MaxTerritorySearch
	}
	c := newConds()
	if tq.Kind != "" {
		c.add("t.kind = " + c.arg(tq.Kind))
	}
	if tq.Active {
		c.add("t.retired_at IS NULL")
	}
	if tq.Parent != "" {
		c.add(`t.code IN (WITH RECURSIVE within(code) AS (SELECT p.code FROM territory_parents p WHERE p.parent_code = ` + c.arg(tq.Parent) + `
			UNION SELECT p.code FROM territory_parents p JOIN within w ON p.parent_code = w.code) SELECT code FROM within)`)
	}
	order := "t.position, t.name, t.code"
	if q := strings.TrimSpace(tq.Q); q != "" {
		words := likeWords(q)
		if words == "" {
			return []Territory{}, nil
		}
		exact, pattern, code := c.arg(q), c.arg("%"+words+"%"), c.arg(likeEscape(strings.ToLower(q))+"%")
		c.add("(essor_fold(t.name) LIKE essor_fold(" + pattern + ") OR t.code LIKE " + code + " OR t.postal_codes @> ARRAY[" + exact + "::text])")
		order = "(t.code = " + exact + " OR " + exact + " = ANY(t.postal_codes)) DESC, essor_fold(t.name) = essor_fold(" + exact + ") DESC, " +
			"essor_fold(t.name) LIKE essor_fold(" + c.arg(words+"%") + ") DESC, t.population DESC NULLS LAST, t.name, t.code"
	}
	rows, _ := db.Pool.Query(ctx, "SELECT "+territoryColumns+" FROM territories t WHERE "+c.sql()+
		" ORDER BY "+order+" LIMIT "+c.arg(limit), c.args...)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[Territory])
	if err != nil {
		return nil, fmt.Errorf("search territories: %w", err)
	}
	if list == nil {
		list = []Territory{}
	}
	return list, nil
}

// likeWords is q's words joined by % for a LIKE pattern, LIKE's own
// characters escaped: "saint claude" finds "Saint-Claude", "l'isle" "L'Isle-sur-le-Doubs".
func likeWords(q string) string {
	words := strings.FieldsFunc(q, func(r rune) bool { return unicode.IsSpace(r) || r == '-' || r == '\'' || r == '’' })
	for i, w := range words {
		words[i] = likeEscape(w)
	}
	return strings.Join(words, "%")
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

// TerritoryAncestors is code itself, then every territory it lies in, at
// every level and through every parent (a commune's EPCI, its
// département, the region; a zone's départements), nearest first, each
// once. ErrNotFound when no territory has that code.
func (db *DB) TerritoryAncestors(ctx context.Context, code string) ([]string, error) {
	rows, _ := db.Pool.Query(ctx, `WITH RECURSIVE up(code, depth) AS (
			SELECT code, 0 FROM territories WHERE code = $1
			UNION SELECT p.parent_code, up.depth + 1 FROM territory_parents p JOIN up ON p.code = up.code WHERE up.depth < 10)
		SELECT code FROM up GROUP BY code ORDER BY min(depth), code`, code)
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("territory ancestors: %w", err)
	}
	if len(codes) == 0 {
		return nil, ErrNotFound
	}
	return codes, nil
}

// TerritoryTree is the territories as the reference cache holds them, with
// their links both ways, for pages and reports that walk it without a
// query.
type TerritoryTree struct {
	byCode   map[string]int
	list     []Territory
	children map[string][]string
}

// NewTerritoryTree links territories both ways.
func NewTerritoryTree(list []Territory) TerritoryTree {
	t := TerritoryTree{byCode: make(map[string]int, len(list)), list: list, children: map[string][]string{}}
	for i, te := range list {
		t.byCode[te.Code] = i
		for _, p := range te.ParentCodes {
			t.children[p] = append(t.children[p], te.Code)
		}
	}
	return t
}

// Get is the territory of that code.
func (t TerritoryTree) Get(code string) (Territory, bool) {
	i, ok := t.byCode[code]
	if !ok {
		return Territory{}, false
	}
	return t.list[i], true
}

// Within is code and every territory inside it, through all parents,
// breadth first, each once.
func (t TerritoryTree) Within(code string) []string {
	codes, seen := []string{code}, map[string]bool{code: true}
	for i := 0; i < len(codes); i++ {
		for _, c := range t.children[codes[i]] {
			if !seen[c] {
				seen[c] = true
				codes = append(codes, c)
			}
		}
	}
	return codes
}

// Ancestors is code and every territory it lies in, nearest first, each
// once (TerritoryAncestors without a query).
func (t TerritoryTree) Ancestors(code string) []string {
	codes, seen := []string{code}, map[string]bool{code: true}
	for i := 0; i < len(codes); i++ {
		te, _ := t.Get(codes[i])
		for _, p := range te.ParentCodes {
			if !seen[p] {
				seen[p] = true
				codes = append(codes, p)
			}
		}
	}
	return codes
}

// Population is a territory's: a commune's own, else the sum of the
// communes inside it (0 when none).
func (t TerritoryTree) Population(code string) int {
	n := 0
	for _, c := range t.Within(code) {
		if te, ok := t.Get(c); ok && te.Kind == KindCommune && te.Population != nil {
			n += *te.Population
		}
	}
	return n
}

// Place names a territory for a page: its name, and for a commune its
// EPCI's and its département's ("Dole — CA du Grand Dole, Jura"); the code
// itself when unknown.
func (t TerritoryTree) Place(code string) string {
	te, ok := t.Get(code)
	if !ok {
		return code
	}
	if te.Kind != KindCommune {
		return te.Name
	}
	var around []string
	if te.EpciCode != nil {
		if e, ok := t.Get(*te.EpciCode); ok {
			around = append(around, e.Name)
		}
	}
	if d, ok := t.Get(te.Parent()); ok {
		around = append(around, d.Name)
	}
	if len(around) == 0 {
		return te.Name
	}
	return te.Name + " — " + strings.Join(around, ", ")
}

// OfKind lists the territories of a kind, in display order.
func (t TerritoryTree) OfKind(kind string) []Territory {
	var out []Territory
	for _, te := range t.list {
		if te.Kind == kind {
			out = append(out, te)
		}
	}
	return out
}

// Tree is the cached territories as a tree.
func (r *Reference) Tree(ctx context.Context) (TerritoryTree, error) {
	snap, err := r.load(ctx)
	return snap.tree, err
}
