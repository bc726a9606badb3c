package storage

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// seedSQL writes $1 needs straight into the read model, as years of use
// would leave them: every stage, every territory (the communes most of all),
// every theme, officers ($3) in charge past capture, a few overdue, titles
// and descriptions from the plan's vocabulary ($4), spread over three years.
const seedSQL = `INSERT INTO needs (id, title, description, theme, territory_code, submitted_by, submitted_by_name,
		organisation, stage, stage_entered_at, next_deadline, officer_id, officer_name, version, created_at, updated_at)
	SELECT gen_random_uuid(),
		initcap(w[1 + i % nw]) || ' et ' || w[1 + (i * 7 + 3) % nw] || ' — ' || z.name || ' n°' || i,
		'Un besoin de ' || w[1 + i % nw] || ' pour les habitants de ' || z.name || ', lié à ' || w[1 + (i * 7 + 3) % nw]
			|| ' : les associations du territoire constatent que personne n''y répond aujourd''hui, que les familles '
			|| 'et les aînés renoncent faute de solution, et proposent d''étudier une réponse collective avec les '
			|| 'acteurs de l''économie sociale et solidaire, les collectivités et les entreprises du bassin d''emploi. '
			|| 'Ils disposent déjà de premiers éléments : enquête auprès de ' || (20 + i % 180) || ' ménages, '
			|| 'témoignages des travailleurs sociaux, et un lieu possible mis à disposition par la commune.',
		th.slug, z.code, $2::uuid, 'Personne de démonstration', 'Association n°' || (i % 500),
		st.stage, c.at + (i % 90) * interval '1 day',
		CASE WHEN st.stage IN ('deployed', 'rejected', 'merged', 'abandoned') THEN NULL
			WHEN i % 20 = 0 THEN now() - (1 + i % 30) * interval '1 day'
			WHEN i % 3 = 0 THEN NULL
			ELSE now() + (1 + i % 120) * interval '1 day' END,
		CASE WHEN st.stage IN ('captured', 'awaiting_info') OR cardinality($3::uuid[]) = 0 THEN NULL
			ELSE ($3::uuid[])[1 + i % cardinality($3::uuid[])] END,
		CASE WHEN st.stage IN ('captured', 'awaiting_info') OR cardinality($3::uuid[]) = 0 THEN NULL
			ELSE 'Chargé(e) de mission n°' || (1 + i % cardinality($3::uuid[])) END,
		1, c.at, c.at
	FROM generate_series(1, $1::int) AS i
	CROSS JOIN LATERAL (SELECT $4::text[] AS w, cardinality($4::text[]) AS nw) AS words
	CROSS JOIN (SELECT array_agg(code ORDER BY code) AS codes, array_agg(name ORDER BY code) AS names FROM territories) AS zs
	CROSS JOIN LATERAL (SELECT now() - (i * 947 % (3 * 365 * 24 * 60)) * interval '1 minute' AS at) AS c
	CROSS JOIN LATERAL (SELECT (ARRAY['captured', 'captured', 'captured', 'awaiting_info', 'qualified', 'qualified',
		'feasibility', 'feasibility', 'committee', 'carrier_search', 'pilot', 'deployment', 'deployed', 'rejected',
		'rejected', 'merged', 'abandoned'])[1 + i % 17] AS stage) AS st
	CROSS JOIN LATERAL (SELECT zs.codes[1 + i % cardinality(zs.codes)] AS code, zs.names[1 + i % cardinality(zs.codes)] AS name) AS z
	JOIN LATERAL (SELECT slug FROM themes ORDER BY slug OFFSET (i / 7) % (SELECT count(*) FROM themes) LIMIT 1) AS th ON true`

// SeedWords is the vocabulary of seeded needs: the region's plan.
var SeedWords = []string{"transport solidaire", "logement", "épicerie solidaire", "crèche à horaires décalés",
	"santé", "mobilité", "jardin partagé", "insertion", "énergie", "recyclage", "tiers-lieu", "aînés isolés",
	"jeunes", "saisonniers", "numérique", "culture", "habitat partagé", "circuits courts"}

// SeedNeeds writes n needs straight into the read model (the load
// generator and the query-plan test), submitted by the account submitter,
// with officers in charge past capture, and counts them in the same
// transaction. They have no workflow: they are for reading.
func (db *DB) SeedNeeds(ctx context.Context, n int, submitter string, officers []string) error {
	if officers == nil {
		officers = []string{}
	}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "LOCK TABLE needs IN SHARE ROW EXCLUSIVE MODE"); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, seedSQL, n, submitter, officers, SeedWords); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM need_counters"); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, recountSQL)
		return err
	})
	if err != nil {
		return fmt.Errorf("seed needs: %w", err)
	}
	if _, err := db.Pool.Exec(ctx, "ANALYZE needs; ANALYZE need_counters"); err != nil {
		return fmt.Errorf("seed needs: %w", err)
	}
	return nil
}
