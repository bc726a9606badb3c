package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"essor/internal/domain"
)

// User is an account.
type User struct {
	ID           string `db:"id" json:"id"`
	Email        string `db:"email" json:"email"`
	Name         string `db:"name" json:"name"`
	Organisation string `db:"organisation" json:"organisation"`
	// OrganisationID is the directory record the account belongs to (admins set it).
	OrganisationID *string       `db:"organisation_id" json:"organisation_id"`
	Roles          []domain.Role `db:"roles" json:"roles"`
	PasswordHash   string        `db:"password_hash" json:"-"`
	Active         bool          `db:"active" json:"active"`
	CreatedAt      time.Time     `db:"created_at" json:"created_at"`
	UpdatedAt      time.Time     `db:"updated_at" json:"updated_at"`
	// DeactivatedAt is when the account was closed: the retention period of
	// closed accounts counts from it.
	DeactivatedAt *time.Time `db:"deactivated_at" json:"deactivated_at"`
	// ErasedAt is when the person was erased (privacy.go): the account keeps
	// no name, e-mail or password, and cannot be reactivated.
	ErasedAt *time.Time `db:"erased_at" json:"erased_at"`
}

// Caller is the user as the domain sees them.
func (u User) Caller() domain.Caller {
	c := domain.Caller{UserID: u.ID, Name: u.Name, Organisation: u.Organisation, Roles: u.Roles}
	if u.OrganisationID != nil {
		c.OrganisationID = *u.OrganisationID
	}
	return c
}

const userColumns = "id, email, name, organisation, organisation_id, roles, password_hash, active, created_at, updated_at, deactivated_at, erased_at"

// ErrEmailTaken is returned when an account already uses the address.
var ErrEmailTaken = domain.E(domain.CodeConflict, "error.email_taken")

// CreateUser inserts an account.
func (db *DB) CreateUser(ctx context.Context, u User) error {
	_, err := db.Pool.Exec(ctx, `INSERT INTO users (id, email, name, organisation, organisation_id, roles, password_hash, active)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, u.ID, u.Email, u.Name, u.Organisation, u.OrganisationID, u.Roles, u.PasswordHash, u.Active)
	if isUniqueViolation(err) {
		return ErrEmailTaken
	}
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	return nil
}

// UserByEmail finds an account by e-mail address, case-insensitively.
func (db *DB) UserByEmail(ctx context.Context, email string) (User, error) {
	return db.oneUser(ctx, "SELECT "+userColumns+" FROM users WHERE lower(email) = lower($1)", email)
}

// UserByID finds an account.
func (db *DB) UserByID(ctx context.Context, id string) (User, error) {
	if !domain.IsUUID(id) {
		return User{}, ErrNotFound
	}
	return db.oneUser(ctx, "SELECT "+userColumns+" FROM users WHERE id = $1", id)
}

// UsersByID finds accounts by id in one query; ids with no account are
// absent from the map.
func (db *DB) UsersByID(ctx context.Context, ids []string) (map[string]User, error) {
	rows, err := db.Pool.Query(ctx, "SELECT "+userColumns+" FROM users WHERE id = ANY($1::uuid[])", ids)
	if err != nil {
		return nil, fmt.Errorf("users by id: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[User])
	if err != nil {
		return nil, fmt.Errorf("users by id: %w", err)
	}
	out := make(map[string]User, len(list))
	for _, u := range list {
		out[u.ID] = u
	}
	return out, nil
}

func (db *DB) oneUser(ctx context.Context, sql string, arg any) (User, error) {
	rows, _ := db.Pool.Query(ctx, sql, arg)
	u, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[User])
	if errors.Is(err, pgx.ErrNoRows) {
		return User{}, ErrNotFound
	}
	if err != nil {
		return User{}, fmt.Errorf("user: %w", err)
	}
	return u, nil
}

// Users lists every account, by name.
func (db *DB) Users(ctx context.Context) ([]User, error) {
	rows, err := db.Pool.Query(ctx, "SELECT "+userColumns+" FROM users ORDER BY lower(name), email")
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[User])
}

// UpdateUser changes an account's name, organisation, roles and state; an
// erased account stays as it is (ErrAccountErased).
func (db *DB) UpdateUser(ctx context.Context, u User) error {
	tag, err := db.Pool.Exec(ctx, `UPDATE users SET name = $2, organisation = $3, roles = $4, active = $5, updated_at = now(),
			deactivated_at = CASE WHEN $5 THEN NULL ELSE COALESCE(deactivated_at, now()) END
		WHERE id = $1 AND erased_at IS NULL`, u.ID, u.Name, u.Organisation, u.Roles, u.Active)
	if err != nil {
		return fmt.Errorf("update user: %w", err)
	}
	if tag.RowsAffected() == 0 {
		var erased bool
		err := db.Pool.QueryRow(ctx, "SELECT erased_at IS NOT NULL FROM users WHERE id = $1", u.ID).Scan(&erased)
		if erased {
			return ErrAccountErased
		}
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("update user: %w", err)
		}
		return ErrNotFound
	}
	if !u.Active {
		_, err = db.Pool.Exec(ctx, "DELETE FROM sessions WHERE user_id = $1", u.ID)
	}
	return err
}

// SetPassword replaces an account's password hash and ends its sessions.
func (db *DB) SetPassword(ctx context.Context, id, hash string) error {
	return db.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1", id, hash)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		_, err = tx.Exec(ctx, "DELETE FROM sessions WHERE user_id = $1", id)
		return err
	})
}

// ActiveWithRole lists up to limit active accounts holding a role, by name.
func (db *DB) ActiveWithRole(ctx context.Context, role domain.Role, limit int) ([]User, error) {
	rows, err := db.Pool.Query(ctx, "SELECT "+userColumns+" FROM users WHERE active AND $1 = ANY(roles) ORDER BY lower(name), email LIMIT $2", string(role), limit)
	if err != nil {
		return nil, fmt.Errorf("users with role: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[User])
}

// CountActiveWithRole counts the active accounts holding a role (the committee's size).
func (db *DB) CountActiveWithRole(ctx context.Context, role domain.Role) (int, error) {
	var n int
	err := db.Pool.QueryRow(ctx, "SELECT count(*) FROM users WHERE active AND $1 = ANY(roles)", string(role)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count role: %w", err)
	}
	return n, nil
}

// ActiveMembers lists the active accounts holding a role, with their
// organisation (who may vote on a committee decision, and who has a stake).
func (db *DB) ActiveMembers(ctx context.Context, role domain.Role) ([]domain.Member, error) {
	rows, err := db.Pool.Query(ctx, `SELECT u.id::text, u.organisation, COALESCE(u.organisation_id::text, ''), COALESCE(m.institution_slug, '')
		FROM users u LEFT JOIN institution_members m ON m.user_id = u.id WHERE u.active AND $1 = ANY(u.roles) ORDER BY u.id`, string(role))
	if err != nil {
		return nil, fmt.Errorf("active members: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Member, error) {
		var m domain.Member
		err := r.Scan(&m.ID, &m.Organisation, &m.OrganisationID, &m.Institution)
		return m, err
	})
}

// UserNames names accounts by id, in one query (missing ones are left out).
func (db *DB) UserNames(ctx context.Context, ids []string) (map[string]string, error) {
	rows, err := db.Pool.Query(ctx, "SELECT id::text, name FROM users WHERE id::text = ANY($1)", ids)
	if err != nil {
		return nil, fmt.Errorf("user names: %w", err)
	}
	out := map[string]string{}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("user names: %w", err)
		}
		out[id] = name
	}
	return out, rows.Err()
}

// SetUserOrganisation links an account to a directory record (nil: none)
// and makes the record's name its label; ErrNotFound for an unknown account
// or record.
func (db *DB) SetUserOrganisation(ctx context.Context, userID string, organisationID *string) (User, error) {
	if !domain.IsUUID(userID) || organisationID != nil && !domain.IsUUID(*organisationID) {
		return User{}, ErrNotFound
	}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users u SET organisation_id = $2::uuid,
				organisation = COALESCE((SELECT o.name FROM organisations o WHERE o.id = $2::uuid), u.organisation), updated_at = now()
			WHERE u.id = $1 AND u.erased_at IS NULL AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM organisations WHERE id = $2::uuid))`,
			userID, organisationID)
		if err != nil {
			return fmt.Errorf("set organisation: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		if organisationID == nil {
			return nil
		}
		// The account's older subjects stand on its organisation too, in the
		// same transaction: a link is never half made.
		for _, q := range []string{`UPDATE needs SET organisation_id = $2 WHERE submitted_by = $1 AND organisation_id IS NULL`,
			`UPDATE study_actions SET organisation_id = $2 WHERE applicant_id = $1 AND organisation_id IS NULL`,
			`UPDATE supports SET organisation_id = $2 WHERE user_id = $1 AND organisation_id IS NULL`,
			`UPDATE carriers SET organisation_id = $2 WHERE proposed_by = $1 AND organisation_id IS NULL`,
			`UPDATE call_applications SET organisation_id = $2 WHERE by_id = $1 AND organisation_id IS NULL`,
			`UPDATE rally_entries SET organisation_id = $2 WHERE submitted_by = $1 AND organisation_id IS NULL`} {
			if _, err := tx.Exec(ctx, q, userID, *organisationID); err != nil {
				return fmt.Errorf("link subjects: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return User{}, err
	}
	return db.UserByID(ctx, userID)
}
