package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"essor/internal/domain"
)

// Officers lists the active accounts holding the officer role, by name:
// who may be put in charge of a need.
func (db *DB) Officers(ctx context.Context) ([]User, error) {
	rows, err := db.Pool.Query(ctx, "SELECT "+userColumns+` FROM users
		WHERE active AND erased_at IS NULL AND $1 = ANY(roles) ORDER BY lower(name), id`, string(domain.RoleOfficer))
	if err != nil {
		return nil, fmt.Errorf("officers: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[User])
}

// NeedsInCharge lists the needs an officer is in charge of ("mes
// dossiers"), the ones still running first, then by latest activity; at most
// limit of them.
func (db *DB) NeedsInCharge(ctx context.Context, officerID string, limit int) ([]NeedRow, error) {
	if !domain.IsUUID(officerID) {
		return nil, nil
	}
	// Two halves, each read in order from its own partial index and cut at
	// the limit (migration 20261202140000): running files first.
	var list []NeedRow
	for _, half := range []string{"NOT IN", "IN"} {
		if len(list) >= limit {
			break
		}
		rows, err := db.Pool.Query(ctx, "SELECT "+cardColumns+` FROM needs n WHERE n.officer_id = $1
			AND n.stage `+half+` ('deployed', 'rejected', 'merged', 'abandoned')
			ORDER BY n.updated_at DESC, n.id DESC LIMIT $2`, officerID, limit-len(list))
		if err != nil {
			return nil, fmt.Errorf("needs in charge: %w", err)
		}
		part, err := collectNeeds(rows)
		if err != nil {
			return nil, fmt.Errorf("needs in charge: %w", err)
		}
		list = append(list, part...)
	}
	return list, nil
}

// ErrNotOfficer refuses territories for an account that is no officer.
var ErrNotOfficer = func() error {
	fe := domain.FieldErrors{}
	fe.Add("territories", "field.not_officer")
	return fe.Err()
}()

// OfficerTerritories lists the territories an officer covers, by code.
func (db *DB) OfficerTerritories(ctx context.Context, userID string) ([]string, error) {
	if !domain.IsUUID(userID) {
		return nil, ErrNotFound
	}
	var exists bool
	if err := db.Pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)", userID).Scan(&exists); err != nil {
		return nil, fmt.Errorf("officer territories: %w", err)
	}
	if !exists {
		return nil, ErrNotFound
	}
	rows, err := db.Pool.Query(ctx, "SELECT territory_code FROM officer_territories WHERE user_id = $1 ORDER BY 1", userID)
	if err != nil {
		return nil, fmt.Errorf("officer territories: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if list == nil {
		list = []string{}
	}
	return list, err
}

// SetOfficerTerritories replaces the territories an officer covers: each
// code must name a territory (a 422 names the field otherwise), and the
// account must hold the officer role.
func (db *DB) SetOfficerTerritories(ctx context.Context, userID string, codes []string) ([]string, error) {
	if !domain.IsUUID(userID) {
		return nil, ErrNotFound
	}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var roles []string
		err := tx.QueryRow(ctx, "SELECT roles::text[] FROM users WHERE id = $1 AND erased_at IS NULL FOR UPDATE", userID).Scan(&roles)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("officer territories: %w", err)
		}
		if len(codes) > 0 && !slices.Contains(roles, string(domain.RoleOfficer)) {
			return ErrNotOfficer
		}
		var unknown int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM unnest($1::text[]) AS c(code)
			WHERE NOT EXISTS (SELECT 1 FROM territories t WHERE t.code = c.code)`, codes).Scan(&unknown); err != nil {
			return fmt.Errorf("officer territories: %w", err)
		}
		if unknown > 0 {
			fe := domain.FieldErrors{}
			fe.Add("territories", "field.unknown_territory")
			return fe.Err()
		}
		if _, err := tx.Exec(ctx, "DELETE FROM officer_territories WHERE user_id = $1", userID); err != nil {
			return fmt.Errorf("officer territories: %w", err)
		}
		_, err = tx.Exec(ctx, `INSERT INTO officer_territories (user_id, territory_code)
			SELECT $1, code FROM unnest($2::text[]) AS code ON CONFLICT DO NOTHING`, userID, codes)
		if err != nil {
			return fmt.Errorf("officer territories: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return db.OfficerTerritories(ctx, userID)
}
