package storage

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"essor/internal/domain"
)

// OrganisationRow is a record of the directory as stored.
type OrganisationRow struct {
	ID          string   `db:"id"`
	Name        string   `db:"name"`
	SIRET       *string  `db:"siret"`
	LegalForm   string   `db:"legal_form"`
	Family      string   `db:"family"`
	Themes      []string `db:"themes"`
	Territories []string `db:"territories"`
	CommuneCode *string  `db:"commune_code"`
	Website     *string  `db:"website"`
	Email       *string  `db:"email"`
	Verified    bool     `db:"verified"`
	SortKey     string   `db:"sort_key"` // lower(name), as PostgreSQL orders it: the list's cursor
}

// Domain is the row as the domain reads it.
func (r OrganisationRow) Domain() domain.Organisation {
	return domain.Organisation{ID: r.ID, Name: r.Name, SIRET: deref(r.SIRET), LegalForm: r.LegalForm, Family: r.Family,
		Themes: r.Themes, Territories: r.Territories, CommuneCode: deref(r.CommuneCode), Website: deref(r.Website),
		Email: deref(r.Email), Verified: r.Verified}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

const organisationColumns = `id, name, siret, legal_form, family, themes, territories, commune_code, website, email, verified, lower(name) AS sort_key`

// ErrSIRETTaken is a SIRET another record already has; ExistingID names it.
type ErrSIRETTaken struct{ ExistingID string }

func (e ErrSIRETTaken) Error() string { return "SIRET already in the directory: " + e.ExistingID }

// CreateOrganisation adds a record; a SIRET already there is ErrSIRETTaken.
func (db *DB) CreateOrganisation(ctx context.Context, o domain.Organisation) (OrganisationRow, error) {
	rows, err := db.Pool.Query(ctx, `INSERT INTO organisations (name, siret, legal_form, family, themes, territories, commune_code, website, email, verified)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING `+organisationColumns,
		o.Name, nullable(o.SIRET), o.LegalForm, o.Family, o.Themes, o.Territories, nullable(o.CommuneCode),
		nullable(o.Website), nullable(o.Email), o.Verified)
	if err != nil {
		return OrganisationRow{}, fmt.Errorf("create organisation: %w", err)
	}
	row, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[OrganisationRow])
	return row, db.siretTaken(ctx, o.SIRET, err)
}

// UpdateOrganisation replaces a record's fields.
func (db *DB) UpdateOrganisation(ctx context.Context, o domain.Organisation) (OrganisationRow, error) {
	rows, err := db.Pool.Query(ctx, `UPDATE organisations SET name = $2, siret = $3, legal_form = $4, family = $5, themes = $6,
		territories = $7, commune_code = $8, website = $9, email = $10, verified = $11, updated_at = now()
		WHERE id = $1 RETURNING `+organisationColumns,
		o.ID, o.Name, nullable(o.SIRET), o.LegalForm, o.Family, o.Themes, o.Territories, nullable(o.CommuneCode),
		nullable(o.Website), nullable(o.Email), o.Verified)
	if err != nil {
		return OrganisationRow{}, fmt.Errorf("update organisation: %w", err)
	}
	row, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[OrganisationRow])
	if errors.Is(err, pgx.ErrNoRows) {
		return row, ErrNotFound
	}
	return row, db.siretTaken(ctx, o.SIRET, err)
}

// siretTaken turns a unique violation on the SIRET into ErrSIRETTaken.
func (db *DB) siretTaken(ctx context.Context, siret string, err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "23505" || siret == "" {
		return err
	}
	var id string
	if qerr := db.Pool.QueryRow(ctx, `SELECT id FROM organisations WHERE siret = $1`, siret).Scan(&id); qerr != nil {
		return err
	}
	return ErrSIRETTaken{ExistingID: id}
}

// Organisation reads one record; ErrNotFound when there is none.
func (db *DB) Organisation(ctx context.Context, id string) (OrganisationRow, error) {
	if !domain.IsUUID(id) {
		return OrganisationRow{}, ErrNotFound
	}
	rows, err := db.Pool.Query(ctx, `SELECT `+organisationColumns+` FROM organisations WHERE id = $1`, id)
	if err != nil {
		return OrganisationRow{}, fmt.Errorf("organisation: %w", err)
	}
	row, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[OrganisationRow])
	if errors.Is(err, pgx.ErrNoRows) {
		return row, ErrNotFound
	}
	return row, err
}

// OrganisationFilter selects directory records; q is French full text.
type OrganisationFilter struct {
	Q, Theme, Territory, LegalForm, Family string
	Limit                                  int
	Cursor                                 string
}

// Organisations lists records by name, a page at a time (keyset on the
// name and id: the cost of a page does not grow with the directory).
func (db *DB) Organisations(ctx context.Context, f OrganisationFilter) ([]OrganisationRow, string, error) {
	c := newConds()
	// By name through its index; with a search, the matches come from the
	// text index and are sorted (walking the name index to filter it costs
	// the whole table when the words are rare: 62 ms at 100,000 rows).
	order := "lower(name)"
	if q := strings.TrimSpace(f.Q); q != "" {
		c.add("search @@ websearch_to_tsquery('essor_fr', " + c.arg(q) + ")")
		order = "(lower(name) || '')"
	}
	if f.Theme != "" {
		c.add(c.arg([]string{f.Theme}) + "::text[] <@ themes")
	}
	if f.Territory != "" { // the territory or one inside it (a département's communes)
		codes, err := db.territoryCodes(ctx, f.Territory)
		if err != nil {
			return nil, "", err
		}
		c.add("territories && " + c.arg(codes) + "::text[]")
	}
	if f.LegalForm != "" {
		c.add("legal_form = " + c.arg(f.LegalForm))
	}
	if f.Family != "" {
		c.add("family = " + c.arg(f.Family))
	}
	if f.Cursor != "" {
		name, id, err := decodeNameCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		c.add("(" + order + ", id) > (" + c.arg(name) + ", " + c.arg(id) + "::uuid)")
	}
	limit := pageSize(f.Limit)
	rows, err := db.Pool.Query(ctx, `SELECT `+organisationColumns+` FROM organisations WHERE `+c.sql()+
		fmt.Sprintf(` ORDER BY %s, id LIMIT %d`, order, limit+1), c.args...)
	if err != nil {
		return nil, "", fmt.Errorf("organisations: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[OrganisationRow])
	if err != nil {
		return nil, "", fmt.Errorf("organisations: %w", err)
	}
	if len(list) <= limit {
		return list, "", nil
	}
	list = list[:limit]
	last := list[limit-1]
	return list, encodeNameCursor(last.SortKey, last.ID), nil
}

func encodeNameCursor(name, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(name + "\x00" + id))
}

func decodeNameCursor(c string) (string, string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", "", ErrBadCursor
	}
	name, id, ok := strings.Cut(string(b), "\x00")
	if !ok || !domain.IsUUID(id) {
		return "", "", ErrBadCursor
	}
	return name, id, nil
}

// OrganisationSubject is a subject an organisation stands behind.
type OrganisationSubject struct {
	Kind  string `db:"kind"` // need, study_action, support, carried, applied, entered, won
	ID    string `db:"id"`
	Title string `db:"title"`
	Stage string `db:"stage"`
}

// OrganisationRecordLimit bounds each list of an organisation's page.
const OrganisationRecordLimit = 50

// OrganisationSubjects are what an organisation submitted, hosted,
// supported, carried (a chosen proposal), applied for, entered and won in
// Essor, newest first, each list bounded and read through its index.
func (db *DB) OrganisationSubjects(ctx context.Context, id string) ([]OrganisationSubject, error) {
	rows, err := db.Pool.Query(ctx, `
		(SELECT 'need' AS kind, id::text, title, stage FROM needs WHERE organisation_id = $1 ORDER BY created_at DESC LIMIT $2)
		UNION ALL
		(SELECT 'study_action', id::text, project_title, stage FROM study_actions WHERE organisation_id = $1 ORDER BY created_at DESC LIMIT $2)
		UNION ALL
		(SELECT 'support', n.id::text, n.title, n.stage FROM supports s JOIN needs n ON n.id = s.need_id
			WHERE s.organisation_id = $1 ORDER BY s.at DESC LIMIT $2)
		UNION ALL
		(SELECT 'carried', n.id::text, n.title, n.stage FROM carriers c JOIN needs n ON n.id = c.need_id
			WHERE c.organisation_id = $1 AND c.chosen ORDER BY c.proposed_at DESC LIMIT $2)
		UNION ALL
		(SELECT 'applied', c.id::text, c.title, c.stage FROM call_applications a JOIN calls c ON c.id = a.call_id
			WHERE a.organisation_id = $1 ORDER BY a.at DESC LIMIT $2)
		UNION ALL
		(SELECT CASE WHEN EXISTS (SELECT 1 FROM rally_rounds r, jsonb_array_elements(r.trophies) t
				WHERE r.id = e.round_id AND t ->> 'entry_id' = e.id::text) THEN 'won' ELSE 'entered' END,
			e.round_id::text, e.title, '' FROM rally_entries e
			WHERE e.organisation_id = $1 ORDER BY e.submitted_at DESC LIMIT $2)`, id, OrganisationRecordLimit)
	if err != nil {
		return nil, fmt.Errorf("organisation subjects: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[OrganisationSubject])
}
