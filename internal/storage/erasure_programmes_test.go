package storage_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"essor/internal/domain"
	"essor/internal/storage"
	"essor/internal/testdb"
)

// An erasure reaches every programme's records: Rally'nov rounds, entries
// and sheets, calls for projects and their applications.
func TestErasureReachesEveryProgramme(t *testing.T) {
	db, _ := testdb.Fresh(t)
	p := mustUser(t, db, "Menuiserie Dupont", domain.RoleActor, domain.RoleJury, domain.RoleOrganiser, domain.RoleOfficer)
	admin := mustUser(t, db, "Essor", domain.RoleAdmin)
	round, entry, call := uuid.NewString(), uuid.NewString(), uuid.NewString()
	need := mustNeed(t, db, admin, "Besoin discuté", "Un besoin dont on discute sur sa page.", "39", time.Now())
	for _, sql := range []string{
		`INSERT INTO rally_rounds (id, title, phases, categories, criteria, created_by, created_by_name, created_at, updated_at, version)
			VALUES ('` + round + `', 'R', '[]', '[]', '[]', $1, 'Hélène Dupont', now(), now(), 1)`,
		`INSERT INTO rally_entries (id, round_id, organisation, kind, title, description, category, submitted_by, submitted_by_name, submitted_at)
			VALUES ('` + entry + `', '` + round + `', 'Menuiserie', 'ess', 'T', 'D', 'c', $1, 'Hélène Dupont', now())`,
		`INSERT INTO rally_sheets (entry_id, juror_id, round_id, juror_name, scores, total, seq, at)
			VALUES ('` + entry + `', $1, '` + round + `', 'Hélène Dupont', '{}', 5, 1, now())`,
	} {
		if _, err := db.Pool.Exec(ctx, sql, p.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Pool.Exec(ctx, `INSERT INTO calls (id, title, description, opens_at, closes_at, need_ids, stage,
			stage_entered_at, created_by, created_by_name, version, created_at, updated_at)
		SELECT $2, 'Appel', 'Un appel.', now(), now() + interval '1 day', '{}', 'open', now(), $1, 'Hélène Dupont', 1, now(), now()`,
		p.ID, call); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `INSERT INTO comments (id, need_id, author_id, author_name, body, created_at)
		SELECT gen_random_uuid(), $2, $1, 'Hélène Dupont', 'Un commentaire.', now()`, p.ID, need.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.EraseUser(ctx, p.ID, storage.Erasure{By: admin.Caller(), Reason: "Demande"}); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := db.Pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM rally_rounds WHERE created_by_name LIKE '%Hélène%') +
		(SELECT count(*) FROM rally_entries WHERE submitted_by_name LIKE '%Hélène%') +
		(SELECT count(*) FROM rally_sheets WHERE juror_name LIKE '%Hélène%') +
		(SELECT count(*) FROM calls WHERE created_by_name LIKE '%Hélène%') +
		(SELECT count(*) FROM comments WHERE author_name LIKE '%Hélène%')`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("%d records still name the erased person (%v)", left, err)
	}
}
