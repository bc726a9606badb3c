package storage

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"essor/internal/domain"
)

// CarrierSuggestion is an organisation of the directory ranked for a need,
// with the facts its score comes from (domain.ScoreCarrier explains them).
type CarrierSuggestion struct {
	Organisation OrganisationRow `db:"-"`
	domain.CarrierFacts
	Score   float64 `db:"score"`
	Invited bool    `db:"invited"`
}

// needPlace is where a need lies: its territory and every parent (with
// their kinds), and the territories near it, whose organisations serve it
// (the territory's direct children and the communes of its intercommunality
// or département).
type needPlace struct {
	theme     string
	codes     []string // the territory and its parents
	kinds     []string
	names     []string
	near      []string // codes that count as the need's own territory (its children)
	epciTowns []string // the communes of its intercommunality
	deptTowns []string // the communes of its département
}

func (db *DB) needPlace(ctx context.Context, needID string) (needPlace, error) {
	var p needPlace
	err := db.Pool.QueryRow(ctx, `WITH RECURSIVE need AS (SELECT theme, territory_code FROM needs WHERE id = $1),
			up (code, depth) AS (SELECT territory_code, 0 FROM need
				UNION SELECT tp.parent_code, up.depth + 1 FROM territory_parents tp JOIN up ON tp.code = up.code WHERE up.depth < 6),
			chain AS (SELECT t.code, t.kind, t.name, min(up.depth) AS depth FROM up JOIN territories t USING (code) GROUP BY 1, 2, 3)
		SELECT coalesce((SELECT theme FROM need), ''),
			coalesce((SELECT array_agg(code ORDER BY depth, code) FROM chain), '{}'),
			coalesce((SELECT array_agg(kind ORDER BY depth, code) FROM chain), '{}'),
			coalesce((SELECT array_agg(name ORDER BY depth, code) FROM chain), '{}'),
			coalesce((SELECT array_agg(tp.code) FROM territory_parents tp WHERE tp.parent_code = (SELECT territory_code FROM need)), '{}'),
			coalesce((SELECT array_agg(DISTINCT tp.code) FROM territory_parents tp JOIN chain c ON c.code = tp.parent_code
				JOIN territories t ON t.code = tp.code WHERE c.kind = 'epci' AND t.kind = 'commune'), '{}'),
			coalesce((SELECT array_agg(DISTINCT tp.code) FROM territory_parents tp JOIN chain c ON c.code = tp.parent_code
				JOIN territories t ON t.code = tp.code WHERE c.kind = 'departement' AND t.kind = 'commune'), '{}')`,
		needID).Scan(&p.theme, &p.codes, &p.kinds, &p.names, &p.near, &p.epciTowns, &p.deptTowns)
	if err == pgx.ErrNoRows || (err == nil && p.theme == "") {
		return p, ErrNotFound
	}
	if err != nil {
		return p, fmt.Errorf("need place: %w", err)
	}
	return p, nil
}

// CarrierSuggestions ranks up to limit organisations for a need (best
// first), never one with a proposal on it, live or declined. The candidates
// are bounded by indexes: those of the need's theme and territory, its
// supporters, those with a record (carried, hosted, won), and the first of
// the theme's and of the territory's alone; the weights are the domain's.
func (db *DB) CarrierSuggestions(ctx context.Context, needID string, limit int) ([]CarrierSuggestion, error) {
	p, err := db.needPlace(ctx, needID)
	if err != nil {
		return nil, err
	}
	rows, err := db.Pool.Query(ctx, carrierSuggestionsSQL, suggestionArgs(needID, p, limit)...)
	if err != nil {
		return nil, fmt.Errorf("carrier suggestions: %w", err)
	}
	var out []CarrierSuggestion
	for rows.Next() {
		var s CarrierSuggestion
		o := &s.Organisation
		if err := rows.Scan(&o.ID, &o.Name, &o.SIRET, &o.LegalForm, &o.Family, &o.Themes, &o.Territories, &o.CommuneCode,
			&o.Website, &o.Email, &o.Verified, &o.SortKey, &s.SameTheme, &s.Territory, &s.TerritoryName,
			&s.Carried, &s.Hosted, &s.Won, &s.Supporter, &s.Invited, &s.Score); err != nil {
			return nil, fmt.Errorf("carrier suggestions: %w", err)
		}
		s.Family, s.LegalForm = o.Family, o.LegalForm
		out = append(out, s)
	}
	return out, rows.Err()
}

// suggestionArgs are the query's arguments: the need, where it lies, and
// the domain's weights.
func suggestionArgs(needID string, p needPlace, limit int) []any {
	own := append(append([]string{}, p.codes...), p.near...)
	w := domain.CarrierWeights
	kindWeights := []float64{}
	for _, k := range p.kinds {
		kindWeights = append(kindWeights, domain.TerritoryWeight(k))
	}
	return []any{needID, p.theme, p.codes, p.kinds, p.names, kindWeights, own, limit, p.near,
		w.Theme, w.Carried, w.Supporter, familyNames(domain.FamiliesCarrying), w.Family, familyNames(domain.FamiliesNear),
		w.FamilyNear, legalFormNames(domain.LegalFormsFit), w.LegalForm, w.Hosted, w.Won, tierLimit, p.epciTowns, p.deptTowns}
}

// tierLimit bounds each tier of candidates (the theme with the need's own
// territory, with its intercommunality, with its département, served): the
// cost of a ranking stays flat with the directory's size, and a tier holds
// more organisations than the twenty kept only in a very dense territory.
const tierLimit = 200

// carrierSuggestionsSQL ranks the candidates; see CarrierSuggestions.
const carrierSuggestionsSQL = `WITH chain AS (
			SELECT * FROM unnest($3::text[], $4::text[], $5::text[], $6::float8[]) AS c (code, kind, name, weight)),
		record AS (
			SELECT id, count(*) FILTER (WHERE k = 'carried') AS carried, count(*) FILTER (WHERE k = 'hosted') AS hosted,
				count(*) FILTER (WHERE k = 'won') AS won FROM (
				SELECT c.organisation_id AS id, 'carried' AS k FROM carriers c JOIN needs n ON n.id = c.need_id
					WHERE c.organisation_id IS NOT NULL AND c.chosen AND n.theme = $2
				UNION ALL SELECT s.organisation_id, 'hosted' FROM study_actions s
					WHERE s.organisation_id IS NOT NULL AND s.stage IN ('study', 'conclusion', 'enterprise_created', 'not_pursued')
				UNION ALL SELECT e.organisation_id, 'won' FROM rally_rounds r CROSS JOIN LATERAL jsonb_array_elements(r.trophies) t
					JOIN rally_entries e ON e.id = (t ->> 'entry_id')::uuid WHERE e.organisation_id IS NOT NULL) x
			GROUP BY id),
		supporters AS (SELECT DISTINCT organisation_id AS id FROM supports WHERE need_id = $1 AND organisation_id IS NOT NULL),
		cand AS (
			SELECT id FROM supporters
			UNION (SELECT id FROM record ORDER BY carried > 0 DESC, (hosted > 0)::int + (won > 0)::int DESC, id LIMIT $21)
			UNION (SELECT id FROM organisations WHERE commune_code = ANY($7) AND themes @> ARRAY[$2::text] LIMIT $21)
			UNION (SELECT id FROM organisations WHERE territories && $7 AND themes @> ARRAY[$2::text] LIMIT $21)
			UNION (SELECT id FROM organisations WHERE commune_code = ANY($22) AND themes @> ARRAY[$2::text] LIMIT $21)
			UNION (SELECT id FROM organisations WHERE commune_code = ANY($23) AND themes @> ARRAY[$2::text] LIMIT $21)
			UNION (SELECT id FROM organisations WHERE commune_code = ANY($7) LIMIT $8)
			UNION (SELECT id FROM organisations WHERE territories && $7 LIMIT $8)
			UNION (SELECT id FROM organisations WHERE themes @> ARRAY[$2::text] ORDER BY lower(name), id LIMIT $8)),
		facts AS (
			SELECT o.*, o.themes @> ARRAY[$2::text] AS same_theme, place.kind AS place_kind, place.name AS place_name,
				coalesce(place.weight, 0) AS place_weight, coalesce(r.carried, 0) AS carried, coalesce(r.hosted, 0) AS hosted,
				coalesce(r.won, 0) AS won, s.id IS NOT NULL AS supporter
			FROM cand JOIN organisations o ON o.id = cand.id
			LEFT JOIN record r ON r.id = o.id LEFT JOIN supporters s ON s.id = o.id
			LEFT JOIN LATERAL (
				SELECT c.kind, c.name, c.weight FROM chain c
				WHERE c.code = ANY(o.territories) OR c.code = o.commune_code
					OR EXISTS (SELECT 1 FROM territory_parents tp WHERE tp.code = o.commune_code AND tp.parent_code = c.code)
				UNION ALL SELECT c.kind, c.name, c.weight FROM (SELECT * FROM chain LIMIT 1) c
				WHERE o.commune_code = ANY($9) OR o.territories && $9
				ORDER BY weight DESC LIMIT 1) place ON true
			WHERE NOT EXISTS (SELECT 1 FROM carriers c WHERE c.need_id = $1 AND c.organisation_id = o.id))
		SELECT ` + organisationColumns + `, same_theme, coalesce(place_kind, '') AS place_kind, coalesce(place_name, '') AS place_name,
			carried, hosted, won, supporter,
			EXISTS (SELECT 1 FROM events ev WHERE ev.subject_id = $1 AND ev.action = 'invite_carrier'
				AND ev.data ->> 'organisation_id' = facts.id::text) AS invited,
			round(least(1, (CASE WHEN same_theme THEN $10::float8 ELSE 0 END) + place_weight
				+ (CASE WHEN carried > 0 THEN $11::float8 ELSE 0 END) + (CASE WHEN supporter THEN $12::float8 ELSE 0 END)
				+ (CASE WHEN family = ANY($13) THEN $14::float8 WHEN family = ANY($15) THEN $16::float8 ELSE 0 END)
				+ (CASE WHEN legal_form = ANY($17) THEN $18::float8 ELSE 0 END)
				+ (CASE WHEN hosted > 0 THEN $19::float8 ELSE 0 END) + (CASE WHEN won > 0 THEN $20::float8 ELSE 0 END))::numeric, 2)::float8 AS score
		FROM facts ORDER BY score DESC, lower(name), id LIMIT $8`

func familyNames(fs []domain.Family) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = string(f)
	}
	return out
}

func legalFormNames(ls []domain.LegalForm) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = string(l)
	}
	return out
}
