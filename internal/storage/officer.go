package storage

import (
	"context"
	"fmt"

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
