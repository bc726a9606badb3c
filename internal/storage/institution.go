package storage

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"essor/internal/domain"
)

// InstitutionRow is an institution of the committee with its members.
type InstitutionRow struct {
	Slug    string              `json:"slug"`
	Name    string              `json:"name"`
	Members []InstitutionMember `json:"members"`
}

// InstitutionMember is an account speaking for an institution.
type InstitutionMember struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ErrInstitutionTaken is a slug another institution has.
var ErrInstitutionTaken = domain.E(domain.CodeConflict, "error.institution_taken")

// Institutions lists the committee's institutions, in order, with their
// members by name.
func (db *DB) Institutions(ctx context.Context) ([]InstitutionRow, error) {
	rows, err := db.Pool.Query(ctx, `SELECT i.slug, i.name,
			coalesce((SELECT json_agg(json_build_object('id', u.id, 'name', u.name) ORDER BY u.name, u.id)
				FROM institution_members m JOIN users u ON u.id = m.user_id WHERE m.institution_slug = i.slug), '[]')
		FROM institutions i ORDER BY i.position, i.slug`)
	if err != nil {
		return nil, fmt.Errorf("institutions: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (InstitutionRow, error) {
		var i InstitutionRow
		err := r.Scan(&i.Slug, &i.Name, &i.Members)
		return i, err
	})
}

// Institution is one institution, ErrNotFound when unknown.
func (db *DB) Institution(ctx context.Context, slug string) (InstitutionRow, error) {
	all, err := db.Institutions(ctx)
	if err != nil {
		return InstitutionRow{}, err
	}
	for _, i := range all {
		if i.Slug == slug {
			return i, nil
		}
	}
	return InstitutionRow{}, ErrNotFound
}

// CreateInstitution adds an institution at the end of the list.
func (db *DB) CreateInstitution(ctx context.Context, in domain.Institution) (InstitutionRow, error) {
	_, err := db.Pool.Exec(ctx, `INSERT INTO institutions (slug, name, position)
		VALUES ($1, $2, (SELECT coalesce(max(position), 0) + 1 FROM institutions))`, in.Slug, in.Name)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return InstitutionRow{}, ErrInstitutionTaken
	}
	if err != nil {
		return InstitutionRow{}, fmt.Errorf("create institution: %w", err)
	}
	return InstitutionRow{Slug: in.Slug, Name: in.Name, Members: []InstitutionMember{}}, nil
}

// SetInstitutionMembers makes userIDs the institution's members, in one
// transaction: an account moves from its former institution; those no
// longer named leave. It returns the ids that name no open account.
func (db *DB) SetInstitutionMembers(ctx context.Context, slug string, userIDs []string) (unknown []string, err error) {
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		var exists bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM institutions WHERE slug = $1)", slug).Scan(&exists); err != nil {
			return fmt.Errorf("institution members: %w", err)
		}
		if !exists {
			return ErrNotFound
		}
		rows, _ := tx.Query(ctx, `SELECT x.v FROM unnest($1::text[]) AS x (v)
			WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id::text = lower(trim(x.v)) AND u.erased_at IS NULL)`, userIDs)
		if unknown, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return fmt.Errorf("institution members: %w", err)
		}
		if len(unknown) > 0 {
			return nil
		}
		if _, err := tx.Exec(ctx, `DELETE FROM institution_members WHERE institution_slug = $1 AND NOT user_id::text = ANY($2)`,
			slug, lowered(userIDs)); err != nil {
			return fmt.Errorf("institution members: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO institution_members (user_id, institution_slug)
			SELECT DISTINCT x.v::uuid, $1::text FROM unnest($2::text[]) AS x (v)
			ON CONFLICT (user_id) DO UPDATE SET institution_slug = EXCLUDED.institution_slug, added_at = now()
			WHERE institution_members.institution_slug <> EXCLUDED.institution_slug`, slug, lowered(userIDs)); err != nil {
			return fmt.Errorf("institution members: %w", err)
		}
		return nil
	})
	return unknown, err
}

func lowered(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strings.ToLower(strings.TrimSpace(id))
	}
	return out
}

// InstitutionName names an institution by its slug ("" when unknown).
func (db *DB) InstitutionName(ctx context.Context, slug string) (string, error) {
	var name string
	err := db.Pool.QueryRow(ctx, "SELECT name FROM institutions WHERE slug = $1", slug).Scan(&name)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("institution name: %w", err)
	}
	return name, nil
}
