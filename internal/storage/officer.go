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
	var ended []domain.Stage
	for _, st := range domain.Stages {
		if st.Terminal() {
			ended = append(ended, st)
		}
	}
	rows, err := db.Pool.Query(ctx, "SELECT "+needColumns+` FROM needs n WHERE n.officer_id = $1
		ORDER BY n.stage = ANY($3), n.updated_at DESC, n.id DESC
		LIMIT $2`, officerID, limit, ended)
	if err != nil {
		return nil, fmt.Errorf("needs in charge: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[NeedRow])
	if err != nil {
		return nil, fmt.Errorf("needs in charge: %w", err)
	}
	return list, nil
}
