package storage

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"essor/internal/domain"
)

// NeedRow is a need as the read model holds it.
type NeedRow struct {
	ID                 string        `db:"id"`
	Title              string        `db:"title"`
	Description        string        `db:"description"`
	Theme              string        `db:"theme"`
	TerritoryCode      string        `db:"territory_code"`
	Beneficiaries      *int          `db:"beneficiaries"`
	Organisation       string        `db:"organisation"`
	OrganisationID     *string       `db:"organisation_id"` // the submitter's account's directory record
	Conditions         string        `db:"conditions"`      // a committee session's, with its approval
	Evidence           string        `db:"evidence"`
	SubmittedBy        string        `db:"submitted_by"`
	SubmittedByName    string        `db:"submitted_by_name"`
	Stage              domain.Stage  `db:"stage"`
	StageEnteredAt     time.Time     `db:"stage_entered_at"`
	Supports           int           `db:"supports"`
	MergedInto         *string       `db:"merged_into"`
	Study              *domain.Study `db:"study"`
	Pilot              *domain.Pilot `db:"pilot"`
	NextDeadline       *time.Time    `db:"next_deadline"`
	PossibleDuplicates []Duplicate   `db:"possible_duplicates"`
	Carriers           []CarrierRow  `db:"carriers"`
	Version            int64         `db:"version"`
	CreatedAt          time.Time     `db:"created_at"`
	UpdatedAt          time.Time     `db:"updated_at"`

	// Officer is the officer in charge, nil before anyone is.
	Officer     *domain.OfficerRef `db:"-"`
	OfficerID   *string            `db:"officer_id"`
	OfficerName *string            `db:"officer_name"`

	// The approved experiment budget, the deployment (evaluation and
	// territories) and the outcome recorded at complete; nil until then.
	Rules             int                `db:"rules"` // domain.Need.Rules
	ApprovedBudgetEUR *float64           `db:"approved_budget_eur"`
	Deployment        *domain.Deployment `db:"deployment"`
	Outcome           *domain.Outcome    `db:"outcome"`
}

// Overdue tells whether the need's current deadline has passed.
func (n NeedRow) Overdue(now time.Time) bool {
	return n.NextDeadline != nil && now.After(*n.NextDeadline)
}

// Duplicate is a likely duplicate found when a need was submitted.
type Duplicate struct {
	ID         string  `json:"id"`
	Title      string  `json:"title"`
	Similarity float64 `json:"similarity"`
}

// CarrierRow is a proposed carrier.
type CarrierRow struct {
	ID             string    `json:"id"`
	Organisation   string    `json:"organisation"`
	OrganisationID *string   `json:"organisation_id"`
	Contact        string    `json:"contact"`
	Motivation     string    `json:"motivation"`
	ProposedBy     string    `json:"proposed_by"`
	ProposedByName string    `json:"proposed_by_name"`
	ProposedAt     time.Time `json:"proposed_at"`
	Chosen         bool      `json:"chosen"`
	Declined       bool      `json:"declined"`
	DeclinedReason string    `json:"declined_reason"`
}

// The columns of a NeedRow, read through the alias n: whole for one need;
// for lists, the description cut (listDescription); for cards (pages and
// the board), without the documents a card does not show (study, pilot,
// duplicates, deployment, outcome, carriers), so that no JSON is decoded.
const (
	needHead = `n.id, n.title, `
	needMid  = `, n.theme, n.territory_code, n.beneficiaries, n.organisation,
	n.evidence, n.submitted_by, n.submitted_by_name, n.stage, n.stage_entered_at, n.supports, n.merged_into,
	n.next_deadline, n.version, n.created_at, n.updated_at, n.rules, n.approved_budget_eur::float8 AS approved_budget_eur,
	n.officer_id::text AS officer_id, n.officer_name, n.organisation_id::text AS organisation_id, n.conditions, `
	needDocs = `n.study, n.pilot, n.possible_duplicates, n.deployment, n.outcome,
	COALESCE((SELECT json_agg(json_build_object('id', c.id, 'organisation', c.organisation, 'contact', c.contact,
		'motivation', c.motivation, 'proposed_by', c.proposed_by, 'proposed_by_name', c.proposed_by_name,
		'proposed_at', c.proposed_at, 'chosen', c.chosen, 'declined', c.declined,
		'declined_reason', c.declined_reason, 'organisation_id', c.organisation_id) ORDER BY c.proposed_at, c.id)
		FROM carriers c WHERE c.need_id = n.id), '[]') AS carriers`
	cardDocs = `NULL::jsonb AS study, NULL::jsonb AS pilot, NULL::jsonb AS possible_duplicates,
	NULL::jsonb AS deployment, NULL::jsonb AS outcome, NULL::json AS carriers`
	listDescription = `left(n.description, ` + excerptCut + `) AS description`

	needColumns     = needHead + `n.description` + needMid + needDocs
	needListColumns = needHead + listDescription + needMid + needDocs
	cardColumns     = needHead + listDescription + needMid + cardDocs
)

// collectNeeds reads rows of NeedRow columns.
func collectNeeds(rows pgx.Rows) ([]NeedRow, error) {
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[NeedRow])
	for i := range list {
		list[i].setOfficer()
	}
	return list, err
}

// setOfficer fills Officer from the two columns (a JSON object per row
// cost more to decode than the rest of a card).
func (n *NeedRow) setOfficer() {
	if n.OfficerID != nil {
		n.Officer = &domain.OfficerRef{ID: *n.OfficerID}
		if n.OfficerName != nil {
			n.Officer.Name = *n.OfficerName
		}
	}
}

// SaveNeed writes a need's state and new events, idempotently: events are
// keyed by their sequence number, and a state older than the stored one is
// ignored, so a retried or late write never duplicates or rolls back.
func (db *DB) SaveNeed(ctx context.Context, n *domain.Need, events []domain.Event, deadline *time.Time) error {
	return db.inTx(ctx, func(tx pgx.Tx) error {
		n, events, err := withoutErasedNames(ctx, tx, n, events) // privacy.go: an erased name never comes back
		if err != nil {
			return err
		}
		var officerID, officerName *string
		if n.Officer != nil {
			officerID, officerName = &n.Officer.ID, &n.Officer.Name
		}
		before, err := countedNeed(ctx, tx, n.ID) // counters.go; locks the row until the counters are moved
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO needs (id, title, description, theme, territory_code, beneficiaries,
				organisation, evidence, submitted_by, submitted_by_name, stage, stage_entered_at, supports, merged_into,
				study, pilot, next_deadline, version, created_at, updated_at, officer_id, officer_name,
				rules, approved_budget_eur, deployment, outcome, organisation_id, conditions)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
				$23, $24, $25, $26, $27::uuid, $28)
			ON CONFLICT (id) DO UPDATE SET stage = EXCLUDED.stage, stage_entered_at = EXCLUDED.stage_entered_at,
				supports = EXCLUDED.supports, merged_into = EXCLUDED.merged_into, study = EXCLUDED.study,
				pilot = EXCLUDED.pilot, next_deadline = EXCLUDED.next_deadline, version = EXCLUDED.version,
				updated_at = EXCLUDED.updated_at, officer_id = EXCLUDED.officer_id, officer_name = EXCLUDED.officer_name,
				approved_budget_eur = EXCLUDED.approved_budget_eur, deployment = EXCLUDED.deployment, outcome = EXCLUDED.outcome,
				conditions = EXCLUDED.conditions
			WHERE needs.version < EXCLUDED.version`,
			n.ID, n.Title, n.Description, n.Theme, n.TerritoryCode, n.Beneficiaries, n.Organisation, n.Evidence,
			n.SubmittedBy.UserID, n.SubmittedBy.Name, n.Stage, n.StageEnteredAt, len(n.Supporters), nullable(n.MergedInto),
			n.Study, n.Pilot, deadline, n.Version, n.CreatedAt, n.UpdatedAt, officerID, officerName,
			n.Rules, n.ApprovedBudgetEUR, n.Deployment, n.Outcome, nullable(n.SubmittedBy.OrganisationID), n.Conditions)
		if err != nil {
			return fmt.Errorf("save need: %w", err)
		}
		if err := insertEvents(ctx, tx, "need", n.ID, events); err != nil {
			return err
		}
		if err := enqueue(ctx, tx, needNotices(n, events)); err != nil { // outbox.go
			return err
		}
		if err := enqueueWebhooks(ctx, tx, subjectWebhooks("need", n.ID, n.Title, events)); err != nil { // webhook.go
			return err
		}
		if tag.RowsAffected() == 0 { // an older state: its events are in, the rest is newer already
			return nil
		}
		for _, c := range n.Carriers {
			if _, err := tx.Exec(ctx, `INSERT INTO carriers (id, need_id, organisation, contact, motivation, proposed_by,
					proposed_by_name, proposed_at, chosen, declined, declined_reason, organisation_id)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::uuid)
				ON CONFLICT (id) DO UPDATE SET chosen = EXCLUDED.chosen, declined = EXCLUDED.declined,
					declined_reason = EXCLUDED.declined_reason`,
				c.ID, n.ID, c.Organisation, c.Contact, c.Motivation, c.ProposedBy.UserID, c.ProposedBy.Name, c.ProposedAt, c.Chosen,
				c.Declined, c.DeclinedReason, nullable(c.OrganisationID)); err != nil {
				return fmt.Errorf("save carrier: %w", err)
			}
		}
		if len(n.Ballots) > 0 {
			subj := BallotSubject{Kind: domain.SubjectNeed, Title: n.Title, Open: n.Stage == domain.StageCommittee}
			if subj.Open {
				subj.Deadline = deadline
			}
			if err := saveBallot(ctx, tx, n.ID, subj, n.Ballots[len(n.Ballots)-1]); err != nil {
				return err
			}
		}
		for _, ev := range events {
			switch ev.Action {
			case domain.ActionSupport:
				if _, err := tx.Exec(ctx, `INSERT INTO supports (need_id, organisation_key, organisation, user_id, at, organisation_id)
					VALUES ($1, $2, $3, $4, $5, $6::uuid) ON CONFLICT DO NOTHING`,
					n.ID, ev.Data["key"], ev.Data["organisation"], ev.ActorID, ev.At, nullable(ev.Data["organisation_id"])); err != nil {
					return fmt.Errorf("save support: %w", err)
				}
			case domain.ActionSubmit:
				if err := saveDuplicates(ctx, tx, n); err != nil {
					return err
				}
			case domain.ActionAbsorb:
				if err := saveCarriedSupports(ctx, tx, n.ID, ev); err != nil {
					return err
				}
			}
		}
		// Last, so that the counters' rows, which every save of a stage
		// shares, are locked only until the commit.
		after := &counted{stage: string(n.Stage), territory: n.TerritoryCode, theme: n.Theme}
		if before != nil { // territory and theme are kept from the first save
			after.territory, after.theme = before.territory, before.theme
		}
		if officerID != nil {
			after.officer = strings.ToLower(*officerID) // as officer_id::text reads it
		}
		return moveCounters(ctx, tx, before, after)
	})
}

// saveCarriedSupports writes the supports a merge carried to need id: the
// event names the organisation keys added (need_id is the merged need).
// A carried supporter keeps their row's name and account: the support is
// still that person's, for the export of their data and for an erasure. The
// merged need's submitting organisation, which never supported it, is
// recorded under the account that submitted it, not the officer who merged:
// that person spoke for the organisation, and an officer's account would
// wrongly appear among the supports they gave. A key found in neither (the
// read model behind) falls back to the key and the merging officer's account.
func saveCarriedSupports(ctx context.Context, tx pgx.Tx, needID string, ev domain.Event) error {
	if ev.Data["supporters"] == "" {
		return nil
	}
	keys := strings.Split(ev.Data["supporters"], "\n")
	_, err := tx.Exec(ctx, `INSERT INTO supports (need_id, organisation_key, organisation, user_id, at)
		SELECT $1, k.key,
			COALESCE(s.organisation, NULLIF(src.organisation, ''), src.submitted_by_name, k.key),
			COALESCE(s.user_id, src.submitted_by, $4::uuid), $5
		FROM unnest($3::text[]) AS k(key)
		LEFT JOIN supports s ON s.need_id = $2::uuid AND s.organisation_key = k.key
		LEFT JOIN needs src ON src.id = $2::uuid AND s.need_id IS NULL
		ON CONFLICT DO NOTHING`,
		needID, ev.Data["need_id"], keys, nullable(ev.ActorID), ev.At)
	if err != nil {
		return fmt.Errorf("save carried supports: %w", err)
	}
	return nil
}

// similarSQL finds up to five active (non-terminal) needs of territory $4 (other than $1)
// that share a significant word with the title $2 (French full-text search,
// accents folded, through the GIN index), ranked by how alike the titles look
// (trigrams) and how many words they share with the title and description $3.
// Lexemes of two letters or fewer are left out: PostgreSQL's French stop-word
// list keeps "les" and the like, which would match nearly every need. Trigrams
// only rank, they do not select: comparing them on every need of a territory
// cost ~15 ms at 2,500 needs. Only the 500 most recent matches are ranked, so
// that a word shared by thousands of needs does not make every submission slower.
const similarSQL = `WITH candidates AS (
		SELECT id, title, title_folded, search, created_at FROM needs
		WHERE territory_code = $4 AND id <> $1 AND stage NOT IN ('merged', 'rejected', 'abandoned', 'deployed')
			AND search @@ to_tsquery('simple', (SELECT string_agg(quote_literal(lexeme), ' | ')
				FROM unnest(to_tsvector('essor_fr', $2)) WHERE length(lexeme) > 2))
		ORDER BY created_at DESC
		LIMIT 500)
	SELECT c.id, c.title,
		round((0.6 * similarity(c.title_folded, essor_fold($2))
			+ 0.4 * COALESCE(ts_rank(c.search, to_tsquery('simple', d.words), 32), 0))::numeric, 2)::float8 AS similarity
	FROM candidates c,
		(SELECT string_agg(quote_literal(lexeme), ' | ') FROM unnest(to_tsvector('essor_fr', $2 || ' ' || left($3, 600)))
			WHERE length(lexeme) > 2) AS d(words)
	ORDER BY similarity DESC, c.created_at DESC
	LIMIT 5`

// saveDuplicates stores, on a new need, the needs it probably duplicates.
func saveDuplicates(ctx context.Context, tx pgx.Tx, n *domain.Need) error {
	_, err := tx.Exec(ctx, `WITH found AS (`+similarSQL+`)
		UPDATE needs SET possible_duplicates = COALESCE(
			(SELECT json_agg(json_build_object('id', id, 'title', title, 'similarity', similarity)
				ORDER BY similarity DESC) FROM found), '[]')
		WHERE id = $1`, n.ID, n.Title, n.Description, n.TerritoryCode)
	if err != nil {
		return fmt.Errorf("find duplicates: %w", err)
	}
	return nil
}

// SimilarNeeds finds the needs a new submission would probably duplicate
// (the submission form shows them while the title is typed).
func (db *DB) SimilarNeeds(ctx context.Context, title, description, territory string) ([]Duplicate, error) {
	rows, err := db.Pool.Query(ctx, similarSQL, "00000000-0000-0000-0000-000000000000", title, description, territory)
	if err != nil {
		return nil, fmt.Errorf("similar needs: %w", err)
	}
	found, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Duplicate, error) {
		var d Duplicate
		err := row.Scan(&d.ID, &d.Title, &d.Similarity)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("similar needs: %w", err)
	}
	return found, nil
}

// Need returns one need.
func (db *DB) Need(ctx context.Context, id string) (NeedRow, error) {
	if !domain.IsUUID(id) {
		return NeedRow{}, ErrNotFound
	}
	rows, _ := db.Pool.Query(ctx, "SELECT "+needColumns+" FROM needs n WHERE n.id = $1", id)
	row, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[NeedRow])
	if errors.Is(err, pgx.ErrNoRows) {
		return NeedRow{}, ErrNotFound
	}
	if err != nil {
		return NeedRow{}, fmt.Errorf("need: %w", err)
	}
	row.setOfficer()
	return row, nil
}

// NeedFilter narrows a list of needs.
type NeedFilter struct {
	Stages      []domain.Stage
	Territory   string
	Theme       string
	Q           string
	SubmittedBy string
	Officer     string // the officer in charge's account id
	Limit       int
	Cursor      string
	Cards       bool // only what a card shows (cardColumns): for pages
}

// Needs lists needs newest first, with a cursor to the next page ("" at the end).
func (db *DB) Needs(ctx context.Context, f NeedFilter) ([]NeedRow, string, error) {
	c := newConds()
	if len(f.Stages) > 0 {
		c.add("n.stage = ANY(" + c.arg(f.Stages) + ")")
	}
	if f.Territory != "" {
		cond, err := db.territoryCondition(ctx, f.Territory, c.arg) // a département includes its zones
		if err != nil {
			return nil, "", err
		}
		c.add(cond)
	}
	if f.Theme != "" {
		c.add("n.theme = " + c.arg(f.Theme))
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		c.add("n.search @@ websearch_to_tsquery('essor_fr', " + c.arg(q) + ")")
	}
	if f.SubmittedBy != "" {
		c.add("n.submitted_by = " + c.arg(f.SubmittedBy))
	}
	if f.Officer != "" {
		c.add("n.officer_id = " + c.arg(f.Officer) + "::uuid")
	}
	if err := c.after(f.Cursor, "n.created_at", "n.id"); err != nil {
		return nil, "", err
	}
	columns := needListColumns
	if f.Cards {
		columns = cardColumns
	}
	rows, err := db.Pool.Query(ctx, "SELECT "+columns+" FROM needs n WHERE "+c.sql()+newestFirst("n.created_at", "n.id", f.Limit), c.args...)
	if err != nil {
		return nil, "", fmt.Errorf("needs: %w", err)
	}
	list, err := collectNeeds(rows)
	if err != nil {
		return nil, "", fmt.Errorf("needs: %w", err)
	}
	list, next := cut(list, f.Limit, func(n NeedRow) (time.Time, string) { return n.CreatedAt, n.ID })
	return list, next, nil
}

// Supporter is an organisation supporting a need.
type Supporter struct {
	Organisation string    `db:"organisation" json:"organisation"`
	Key          string    `db:"organisation_key" json:"-"` // domain.Caller.OrganisationKey
	UserID       string    `db:"user_id" json:"user_id"`
	At           time.Time `db:"at" json:"at"`
}

// Supporters lists the organisations supporting a need, oldest first.
func (db *DB) Supporters(ctx context.Context, needID string) ([]Supporter, error) {
	rows, err := db.Pool.Query(ctx, "SELECT organisation, organisation_key, user_id, at FROM supports WHERE need_id = $1 ORDER BY at", needID)
	if err != nil {
		return nil, fmt.Errorf("supporters: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[Supporter])
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
