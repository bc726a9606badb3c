package storage

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// labelSources are the records that name an organisation in free text, with
// the column of that name; each links to the directory by organisation_id.
var labelSources = []struct{ kind, table, column string }{
	{"accounts", "users", "organisation"},
	{"needs", "needs", "organisation"},
	{"study_actions", "study_actions", "host_company"},
	{"supports", "supports", "organisation"},
	{"carriers", "carriers", "organisation"},
	{"applications", "call_applications", "organisation"},
	{"entries", "rally_entries", "organisation"},
}

// UnlinkedLabel is a name typed on records not linked to the directory,
// how many of each kind bear it, and the records whose name is closest.
type UnlinkedLabel struct {
	Label      string
	Counts     map[string]int
	Candidates []OrganisationRow
}

// UnlinkedLabels lists, by label, the names still to link, a page at a
// time after the label after: each source is read through its partial
// index (organisation_id IS NULL) and stops at the page's end.
func (db *DB) UnlinkedLabels(ctx context.Context, after string, limit int) ([]UnlinkedLabel, string, error) {
	q := ""
	for i, s := range labelSources {
		if i > 0 {
			q += " UNION ALL "
		}
		q += fmt.Sprintf(`(SELECT '%s' AS kind, %s AS label, count(*) AS n FROM %s WHERE organisation_id IS NULL AND %s <> ''
			AND %s > $1 GROUP BY %s ORDER BY %s LIMIT $2)`, s.kind, s.column, s.table, s.column, s.column, s.column, s.column)
	}
	rows, err := db.Pool.Query(ctx, `WITH found AS (`+q+`),
			page AS (SELECT label FROM found GROUP BY label ORDER BY label LIMIT $2)
		SELECT f.label, f.kind, f.n FROM found f JOIN page USING (label) ORDER BY f.label, f.kind`, after, limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("unlinked labels: %w", err)
	}
	var out []UnlinkedLabel
	for rows.Next() {
		var label, kind string
		var n int
		if err := rows.Scan(&label, &kind, &n); err != nil {
			return nil, "", fmt.Errorf("unlinked labels: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].Label != label {
			out = append(out, UnlinkedLabel{Label: label, Counts: map[string]int{}})
		}
		out[len(out)-1].Counts[kind] = n
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("unlinked labels: %w", err)
	}
	next := ""
	if len(out) > limit {
		out, next = out[:limit], out[limit-1].Label
	}
	for i := range out {
		if out[i].Candidates, err = db.closestOrganisations(ctx, out[i].Label, 5); err != nil {
			return nil, "", err
		}
	}
	return out, next, nil
}

// closestOrganisations are the records whose name is most like label
// (trigram similarity, through its index).
func (db *DB) closestOrganisations(ctx context.Context, label string, limit int) ([]OrganisationRow, error) {
	rows, err := db.Pool.Query(ctx, `SELECT `+organisationColumns+` FROM organisations
		WHERE lower(name) % lower($1) ORDER BY similarity(lower(name), lower($1)) DESC, lower(name), id LIMIT $2`, label, limit)
	if err != nil {
		return nil, fmt.Errorf("closest organisations: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[OrganisationRow])
}

// LinkLabel links every record bearing label and no directory record yet to
// the organisation, in one transaction, and says how many of each kind it
// linked; accounts only when withAccounts (an admin's decision).
func (db *DB) LinkLabel(ctx context.Context, label, organisationID string, withAccounts bool) (map[string]int, error) {
	counts := map[string]int{}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		for _, s := range labelSources {
			if s.kind == "accounts" && !withAccounts {
				continue
			}
			tag, err := tx.Exec(ctx, fmt.Sprintf(`UPDATE %s SET organisation_id = $2 WHERE organisation_id IS NULL AND %s = $1`,
				s.table, s.column), label, organisationID)
			if err != nil {
				return fmt.Errorf("link %s: %w", s.kind, err)
			}
			if n := int(tag.RowsAffected()); n > 0 {
				counts[s.kind] = n
			}
		}
		return nil
	})
	return counts, err
}
