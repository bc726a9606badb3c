package storage

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"essor/internal/domain"
)

// Personal data (RGPD): what Essor holds about one person, exported whole,
// and the erasure of that person. Accounts are never deleted (needs, votes and
// the audit trail point at them): an erased account keeps its id, and its
// name is replaced on every record that shows it.

// ErasedName replaces an erased person's name wherever it was recorded.
const ErasedName = "Personne effacée"

// ErasedEmail is the address an erased account keeps: unique per account (the
// e-mail index), and undeliverable (.invalid is reserved, RFC 2606).
func ErasedEmail(id string) string { return "efface-" + id + "@efface.invalid" }

// Actions recorded in the audit trail of an account (subject "user").
const (
	ActionExportPersonalData = "export_personal_data"
	ActionErasePerson        = "erase_person"
)

var (
	// ErrAlreadyErased refuses to erase a person twice.
	ErrAlreadyErased = domain.E(domain.CodeConflict, "error.already_erased")
	// ErrAccountErased refuses to change an erased account.
	ErrAccountErased = domain.E(domain.CodeConflict, "error.account_erased")
)

// Erasure is who erases a person and why: an admin, or domain.System when
// the retention period of closed accounts has passed.
type Erasure struct {
	By     domain.Caller
	Reason string
}

// Erased is what an erasure changed.
type Erased struct {
	UserID   string    `json:"id"`
	ErasedAt time.Time `json:"erased_at"`
	Counts   struct {
		Sessions int `json:"sessions"`
		Needs    int `json:"needs"`
		Events   int `json:"events"`
		Votes    int `json:"votes"`
		Carriers int `json:"carriers"`
		Supports int `json:"supports"`
		// StudyActions counts the study-actions the person applied for.
		StudyActions int `json:"study_actions"`
	} `json:"counts"`
}

// EraseUser erases a person: the account is closed and keeps no name,
// e-mail or password; its sessions and replayable responses are deleted; on
// needs, the audit trail, votes, carriers and supports the name becomes
// ErasedName (the facts stay: what was done, when, by which account id); an
// event on the account records the erasure, by whom and why, without the name.
func (db *DB) EraseUser(ctx context.Context, id string, e Erasure) (Erased, error) {
	out := Erased{UserID: id}
	if !domain.IsUUID(id) {
		return out, ErrNotFound
	}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		// The row lock orders this erasure with the saves of needs that name
		// the person (withoutErasedNames takes a share lock on it).
		var name, email string
		var erasedAt *time.Time
		err := tx.QueryRow(ctx, "SELECT name, email, erased_at FROM users WHERE id = $1 FOR UPDATE", id).
			Scan(&name, &email, &erasedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("erase: %w", err)
		}
		if erasedAt != nil {
			return ErrAlreadyErased
		}
		steps := []struct {
			count *int
			sql   string
			args  []any
		}{
			{&out.Counts.Sessions, "DELETE FROM sessions WHERE user_id = $1", nil},
			{nil, "DELETE FROM idempotency_keys WHERE scope = $1::text", nil},
			{&out.Counts.Needs, "UPDATE needs SET submitted_by_name = $2 WHERE submitted_by = $1", []any{ErasedName}},
			// A person without an organisation supports in their own name; a
			// carrier they proposed may bear it (a sole trader).
			{&out.Counts.Events, `UPDATE events SET actor_name = $2,
					data = CASE WHEN data->>'key' = 'user:' || $1::text
						OR ($3::text <> '' AND strpos(lower(data->>'organisation'), lower($3)) > 0)
						THEN jsonb_set(data, '{organisation}', to_jsonb($2::text)) ELSE data END
				WHERE actor_id = $1::uuid`, []any{ErasedName, name}},
			// The officer in charge of needs, and the events that named them so.
			{nil, "UPDATE needs SET officer_name = $2 WHERE officer_id = $1", []any{ErasedName}},
			{nil, `UPDATE events SET data = jsonb_set(data, '{officer_name}', to_jsonb($2::text))
				WHERE data ? 'officer_id' AND data->>'officer_id' = $1::uuid::text`, []any{ErasedName}},
			{&out.Counts.Votes, "UPDATE votes SET voter_name = $2 WHERE voter_id = $1", []any{ErasedName}},
			// Contact details are the person's own when they name them: on
			// what they proposed, by name or address; elsewhere, by address.
			{&out.Counts.Carriers, `UPDATE carriers SET
					proposed_by_name = CASE WHEN proposed_by = $1 THEN $2 ELSE proposed_by_name END,
					organisation = CASE WHEN proposed_by = $1 AND $3::text <> '' AND strpos(lower(organisation), lower($3)) > 0
						THEN $2 ELSE organisation END,
					contact = CASE WHEN ($4::text <> '' AND strpos(lower(contact), lower($4)) > 0)
						OR (proposed_by = $1 AND $3::text <> '' AND strpos(lower(contact), lower($3)) > 0) THEN $2 ELSE contact END
				WHERE proposed_by = $1 OR ($4::text <> '' AND strpos(lower(contact), lower($4)) > 0)`, []any{ErasedName, name, email}},
			{&out.Counts.Supports, "UPDATE supports SET organisation = $2 WHERE organisation_key = 'user:' || $1::text", []any{ErasedName}},
			// The directory: a record whose contact is the person's address loses it.
			{nil, "UPDATE organisations SET email = NULL, updated_at = now() WHERE $2::text <> '' AND lower(email) = lower($2) AND $1::uuid IS NOT NULL", []any{email}},
			// The Fonds de confiance: who applied, who appraised, who reported.
			{&out.Counts.StudyActions, "UPDATE study_actions SET applicant_name = $2 WHERE applicant_id = $1", []any{ErasedName}},
			{nil, `UPDATE study_actions SET officer_name = $2,
					appraisal = CASE WHEN appraisal->'by'->>'id' = $1::text THEN jsonb_set(appraisal, '{by,name}', to_jsonb($2::text)) ELSE appraisal END
				WHERE officer_id = $1`, []any{ErasedName}},
			{nil, "UPDATE study_reports SET by_name = $2 WHERE by_id = $1", []any{ErasedName}},
			// Rally'nov and the calls for projects: who set up, entered, scored or applied.
			{nil, "UPDATE rally_rounds SET created_by_name = $2 WHERE created_by = $1", []any{ErasedName}},
			{nil, "UPDATE rally_entries SET submitted_by_name = $2 WHERE submitted_by = $1", []any{ErasedName}},
			{nil, "UPDATE rally_sheets SET juror_name = $2 WHERE juror_id = $1", []any{ErasedName}},
			{nil, "UPDATE calls SET created_by_name = $2 WHERE created_by = $1", []any{ErasedName}},
			{nil, "UPDATE call_applications SET by_name = $2 WHERE by_id = $1", []any{ErasedName}},
			// The discussion: the author's name on their comments and their trail;
			// messages not sent yet are dropped (the person has no address any more).
			{nil, "UPDATE comments SET author_name = $2 WHERE author_id = $1", []any{ErasedName}},
			{nil, "UPDATE comment_events SET actor_name = $2 WHERE actor_id = $1", []any{ErasedName}},
			{nil, "UPDATE outbox SET status = 'skipped', last_error = 'erased' WHERE recipient_id = $1 AND status IN ('pending', 'sending')", nil},
		}
		for _, st := range steps {
			tag, err := tx.Exec(ctx, st.sql, append([]any{id}, st.args...)...)
			if err != nil {
				return fmt.Errorf("erase: %w", err)
			}
			if st.count != nil {
				*st.count = int(tag.RowsAffected())
			}
		}
		err = tx.QueryRow(ctx, `UPDATE users SET name = $2, email = $3, password_hash = '', active = false,
				deactivated_at = COALESCE(deactivated_at, now()), erased_at = now(), updated_at = now()
			WHERE id = $1 RETURNING erased_at`, id, ErasedName, ErasedEmail(id)).Scan(&out.ErasedAt)
		if err != nil {
			return fmt.Errorf("erase: %w", err)
		}
		c := out.Counts
		return recordAccountEvent(ctx, tx, id, e.By, ActionErasePerson, e.Reason, map[string]string{
			"sessions": strconv.Itoa(c.Sessions), "needs": strconv.Itoa(c.Needs), "events": strconv.Itoa(c.Events),
			"votes": strconv.Itoa(c.Votes), "carriers": strconv.Itoa(c.Carriers), "supports": strconv.Itoa(c.Supports),
		})
	})
	return out, err
}

// EraseClosedAccounts erases the people whose accounts were closed before
// the given moment (the retention period of closed accounts) and returns
// their ids; an account erased meanwhile by another process is skipped.
func (db *DB) EraseClosedAccounts(ctx context.Context, closedBefore time.Time, e Erasure) ([]string, error) {
	rows, err := db.Pool.Query(ctx, `SELECT id::text FROM users
		WHERE NOT active AND erased_at IS NULL AND deactivated_at < $1 ORDER BY deactivated_at`, closedBefore)
	if err != nil {
		return nil, fmt.Errorf("closed accounts: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("closed accounts: %w", err)
	}
	var erased []string
	for _, id := range ids {
		_, err := db.EraseUser(ctx, id, e)
		if errors.Is(err, ErrAlreadyErased) || errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return erased, err
		}
		erased = append(erased, id)
	}
	return erased, nil
}

// recordAccountEvent appends an event to an account's own audit trail.
func recordAccountEvent(ctx context.Context, tx pgx.Tx, userID string, by domain.Caller, action, comment string, data map[string]string) error {
	if data == nil {
		data = map[string]string{}
	}
	_, err := tx.Exec(ctx, `INSERT INTO events (subject_id, seq, subject, at, actor_id, actor_name, action, comment, data)
		SELECT $1::uuid, COALESCE(max(seq), 0) + 1, 'user', now(), $2::uuid, $3::text, $4::text, $5::text, $6::jsonb
		FROM events WHERE subject_id = $1::uuid`,
		userID, nullable(by.UserID), by.Name, action, comment, data)
	if err != nil {
		return fmt.Errorf("account event: %w", err)
	}
	return nil
}

// withoutErasedNames returns the need and events to save with the names of
// erased people replaced: the workflow's state still holds them, and a save
// must not bring them back. It share-locks the rows of the people named, so
// that an erasure running meanwhile either sees this save's rows or is seen by
// it. The inputs are left untouched (a local activity's input shares memory
// with the workflow's state).
func withoutErasedNames(ctx context.Context, tx pgx.Tx, n *domain.Need, events []domain.Event) (*domain.Need, []domain.Event, error) {
	named := map[string]bool{}
	add := func(id string) {
		if domain.IsUUID(id) {
			named[strings.ToLower(id)] = true
		}
	}
	add(n.SubmittedBy.UserID)
	for _, c := range n.Carriers {
		add(c.ProposedBy.UserID)
	}
	if len(n.Ballots) > 0 {
		for _, v := range n.Ballots[len(n.Ballots)-1].Votes {
			add(v.VoterID)
		}
	}
	if n.Officer != nil {
		add(n.Officer.ID)
	}
	for _, ev := range events {
		add(ev.ActorID)
		add(ev.Data["officer_id"]) // assignments and reminders name the officer in charge
	}
	// Every named row is locked, erased or not: an erasure holding its row
	// makes this wait, then shows its outcome.
	rows, err := tx.Query(ctx, "SELECT id::text, erased_at IS NOT NULL FROM users WHERE id = ANY($1::uuid[]) FOR KEY SHARE",
		slices.Collect(maps.Keys(named)))
	if err != nil {
		return nil, nil, fmt.Errorf("erased people: %w", err)
	}
	erased := map[string]bool{}
	var id string
	var gone bool
	_, err = pgx.ForEachRow(rows, []any{&id, &gone}, func() error {
		if gone {
			erased[id] = true
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("erased people: %w", err)
	}
	if len(erased) == 0 {
		return n, events, nil
	}
	is := func(id string) bool { return erased[strings.ToLower(id)] }

	m := *n
	if is(m.SubmittedBy.UserID) {
		m.SubmittedBy.Name = ErasedName
	}
	if m.Officer != nil && is(m.Officer.ID) {
		o := *m.Officer
		o.Name = ErasedName
		m.Officer = &o
	}
	m.Carriers = slices.Clone(n.Carriers)
	for i, c := range m.Carriers {
		if !is(c.ProposedBy.UserID) {
			continue
		}
		if own := c.ProposedBy.Name; own != "" {
			if containsFold(c.Contact, own) {
				m.Carriers[i].Contact = ErasedName
			}
			if containsFold(c.Organisation, own) {
				m.Carriers[i].Organisation = ErasedName
			}
		}
		m.Carriers[i].ProposedBy.Name = ErasedName
	}
	if len(n.Ballots) > 0 {
		m.Ballots = slices.Clone(n.Ballots)
		last := &m.Ballots[len(m.Ballots)-1]
		last.Votes = slices.Clone(last.Votes)
		for i, v := range last.Votes {
			if is(v.VoterID) {
				last.Votes[i].VoterName = ErasedName
			}
		}
	}
	out := slices.Clone(events)
	for i, ev := range out {
		if !is(ev.ActorID) {
			continue
		}
		out[i].ActorName = ErasedName
		if org, ok := ev.Data["organisation"]; ok && (ev.Data["key"] == "user:"+ev.ActorID || (ev.ActorName != "" && containsFold(org, ev.ActorName))) {
			out[i].Data = maps.Clone(ev.Data)
			out[i].Data["organisation"] = ErasedName
		}
	}
	for i, ev := range out {
		if id, ok := ev.Data["officer_id"]; ok && is(id) {
			out[i].Data = maps.Clone(ev.Data)
			out[i].Data["officer_name"] = ErasedName
		}
	}
	return &m, out, nil
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// PersonalData is everything Essor holds about one person (RGPD articles 15
// and 20), as an admin exports it: never a password hash nor a token.
type PersonalData struct {
	ExportedAt     time.Time            `json:"exported_at"`
	Account        PersonAccount        `json:"account"`
	Sessions       PersonSessions       `json:"sessions"`
	Needs          []PersonNeed         `json:"needs_submitted"`
	StudyActions   []PersonStudyAction  `json:"study_actions_applied"`
	Reports        []PersonReport       `json:"study_reports"`
	Supports       []PersonSupport      `json:"supports"`
	Carriers       []PersonCarrier      `json:"carriers"`
	Votes          []PersonVote         `json:"votes"`
	Events         []PersonEvent        `json:"events"`
	AccountHistory []PersonAccountEvent `json:"account_history"`
	Requests       []PersonRequest      `json:"recorded_requests"`
	// Organisations are the directory's records that name the person's
	// address as their contact, or that the account belongs to.
	Organisations []PersonOrganisation `json:"organisations"`
}

// PersonOrganisation is a directory record tied to the person.
type PersonOrganisation struct {
	ID     string  `db:"id" json:"id"`
	Name   string  `db:"name" json:"name"`
	Email  *string `db:"email" json:"email"`
	Member bool    `db:"member" json:"member"` // the account belongs to it
}

// PersonAccount is the account, without its password hash.
type PersonAccount struct {
	ID            string        `db:"id" json:"id"`
	Email         string        `db:"email" json:"email"`
	Name          string        `db:"name" json:"name"`
	Organisation  string        `db:"organisation" json:"organisation"`
	Roles         []domain.Role `db:"roles" json:"roles"`
	Active        bool          `db:"active" json:"active"`
	CreatedAt     time.Time     `db:"created_at" json:"created_at"`
	UpdatedAt     time.Time     `db:"updated_at" json:"updated_at"`
	DeactivatedAt *time.Time    `db:"deactivated_at" json:"deactivated_at"`
	ErasedAt      *time.Time    `db:"erased_at" json:"erased_at"`
}

// PersonSessions are the open sign-ins: when, never their tokens.
type PersonSessions struct {
	Count int             `json:"count"`
	Items []PersonSession `json:"items"`
}

// PersonSession is one open sign-in.
type PersonSession struct {
	Kind      string    `db:"kind" json:"kind"`
	CreatedAt time.Time `db:"created_at" json:"created_at"`
	ExpiresAt time.Time `db:"expires_at" json:"expires_at"`
}

// PersonStudyAction is a study-action the person applied for.
type PersonStudyAction struct {
	ID           string    `db:"id" json:"id"`
	ProjectTitle string    `db:"project_title" json:"project_title"`
	HostCompany  string    `db:"host_company" json:"host_company"`
	Summary      string    `db:"summary" json:"summary"`
	Stage        string    `db:"stage" json:"stage"`
	CreatedAt    time.Time `db:"created_at" json:"created_at"`
}

// PersonReport is a monthly report the person handed in.
type PersonReport struct {
	StudyActionID string    `db:"study_action_id" json:"study_action_id"`
	Month         int       `db:"month" json:"month"`
	Text          string    `db:"text" json:"text"`
	At            time.Time `db:"at" json:"at"`
}

// PersonNeed is a need the person submitted.
type PersonNeed struct {
	ID              string    `db:"id" json:"id"`
	Title           string    `db:"title" json:"title"`
	Description     string    `db:"description" json:"description"`
	Theme           string    `db:"theme" json:"theme"`
	TerritoryCode   string    `db:"territory_code" json:"territory_code"`
	Beneficiaries   *int      `db:"beneficiaries" json:"beneficiaries"`
	Organisation    string    `db:"organisation" json:"organisation"`
	Evidence        string    `db:"evidence" json:"evidence"`
	SubmittedByName string    `db:"submitted_by_name" json:"submitted_by_name"`
	Stage           string    `db:"stage" json:"stage"`
	CreatedAt       time.Time `db:"created_at" json:"created_at"`
	UpdatedAt       time.Time `db:"updated_at" json:"updated_at"`
}

// PersonSupport is a support the person gave to a need.
type PersonSupport struct {
	NeedID       string    `db:"need_id" json:"need_id"`
	NeedTitle    string    `db:"need_title" json:"need_title"`
	Organisation string    `db:"organisation" json:"organisation"`
	At           time.Time `db:"at" json:"at"`
}

// PersonCarrier is a carrier the person proposed, or whose contact is their address.
type PersonCarrier struct {
	ID             string    `db:"id" json:"id"`
	NeedID         string    `db:"need_id" json:"need_id"`
	NeedTitle      string    `db:"need_title" json:"need_title"`
	Organisation   string    `db:"organisation" json:"organisation"`
	Contact        string    `db:"contact" json:"contact"`
	Motivation     string    `db:"motivation" json:"motivation"`
	ProposedBy     string    `db:"proposed_by" json:"proposed_by"`
	ProposedByName string    `db:"proposed_by_name" json:"proposed_by_name"`
	ProposedAt     time.Time `db:"proposed_at" json:"proposed_at"`
	Chosen         bool      `db:"chosen" json:"chosen"`
}

// PersonVote is a vote the person cast in a committee decision.
type PersonVote struct {
	SubjectID string    `db:"subject_id" json:"subject_id"`
	NeedTitle *string   `db:"need_title" json:"need_title"`
	Round     int       `db:"round" json:"round"`
	VoterName string    `db:"voter_name" json:"voter_name"`
	Decision  string    `db:"decision" json:"decision"`
	Comment   string    `db:"comment" json:"comment"`
	At        time.Time `db:"at" json:"at"`
}

// PersonEvent is a line of an audit trail the person authored.
type PersonEvent struct {
	Subject   string            `db:"subject" json:"subject"`
	SubjectID string            `db:"subject_id" json:"subject_id"`
	Seq       int               `db:"seq" json:"seq"`
	At        time.Time         `db:"at" json:"at"`
	ActorName string            `db:"actor_name" json:"actor_name"`
	Action    string            `db:"action" json:"action"`
	FromStage string            `db:"from_stage" json:"from_stage"`
	ToStage   string            `db:"to_stage" json:"to_stage"`
	Comment   string            `db:"comment" json:"comment"`
	Data      map[string]string `db:"data" json:"data"`
}

// PersonAccountEvent is something done to the account itself (an export, an erasure).
type PersonAccountEvent struct {
	Action string    `db:"action" json:"action"`
	At     time.Time `db:"at" json:"at"`
}

// PersonRequest is a response kept for an Idempotency-Key the person sent.
type PersonRequest struct {
	Key       string    `db:"key" json:"key"`
	Status    *int      `db:"status" json:"status"`
	CreatedAt time.Time `db:"created_at" json:"created_at"`
}

// ExportPersonalData gathers everything held about a person and records, in
// the account's audit trail, that `by` exported it.
func (db *DB) ExportPersonalData(ctx context.Context, id string, by domain.Caller) (PersonalData, error) {
	var p PersonalData
	if !domain.IsUUID(id) {
		return p, ErrNotFound
	}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT id::text, email, name, organisation, roles, active, created_at, updated_at,
			deactivated_at, erased_at FROM users WHERE id = $1 FOR UPDATE`, id)
		acc, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[PersonAccount])
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		p.Account = acc
		if p.Sessions.Items, err = collect[PersonSession](ctx, tx, `SELECT kind, created_at, expires_at FROM sessions
			WHERE user_id = $1 ORDER BY created_at`, id); err != nil {
			return err
		}
		p.Sessions.Count = len(p.Sessions.Items)
		if p.Needs, err = collect[PersonNeed](ctx, tx, `SELECT id::text, title, description, theme, territory_code,
				beneficiaries, organisation, evidence, submitted_by_name, stage, created_at, updated_at
			FROM needs WHERE submitted_by = $1 ORDER BY created_at, id`, id); err != nil {
			return err
		}
		if p.StudyActions, err = collect[PersonStudyAction](ctx, tx, `SELECT id::text, project_title, host_company, summary,
				stage, created_at FROM study_actions WHERE applicant_id = $1 ORDER BY created_at, id`, id); err != nil {
			return err
		}
		if p.Reports, err = collect[PersonReport](ctx, tx, `SELECT study_action_id::text, month, text, at
			FROM study_reports WHERE by_id = $1 ORDER BY at`, id); err != nil {
			return err
		}
		if p.Supports, err = collect[PersonSupport](ctx, tx, `SELECT s.need_id::text, n.title AS need_title, s.organisation, s.at
			FROM supports s JOIN needs n ON n.id = s.need_id WHERE s.user_id = $1 ORDER BY s.at`, id); err != nil {
			return err
		}
		if p.Carriers, err = collect[PersonCarrier](ctx, tx, `SELECT c.id::text, c.need_id::text, n.title AS need_title,
				c.organisation, c.contact, c.motivation, c.proposed_by::text, c.proposed_by_name, c.proposed_at, c.chosen
			FROM carriers c JOIN needs n ON n.id = c.need_id
			WHERE c.proposed_by = $1 OR ($2::text <> '' AND strpos(lower(c.contact), lower($2)) > 0)
			ORDER BY c.proposed_at, c.id`, id, acc.Email); err != nil {
			return err
		}
		// Ballots are secret until decided, from whoever exports too: the
		// decision and comment of a vote on an open ballot are left out.
		if p.Votes, err = collect[PersonVote](ctx, tx, `SELECT v.subject_id::text, n.title AS need_title, v.round,
				v.voter_name, CASE WHEN b.outcome = '' THEN 'secret' ELSE v.decision END AS decision,
				CASE WHEN b.outcome = '' THEN '' ELSE v.comment END AS comment, v.at
			FROM votes v LEFT JOIN needs n ON n.id = v.subject_id
				LEFT JOIN ballots b ON b.subject_id = v.subject_id AND b.round = v.round
			WHERE v.voter_id = $1 ORDER BY v.at`, id); err != nil {
			return err
		}
		if p.Events, err = collect[PersonEvent](ctx, tx, `SELECT e.subject, e.subject_id::text, e.seq, e.at, e.actor_name, e.action,
				e.from_stage, e.to_stage,
				CASE WHEN b.outcome = '' THEN '' ELSE e.comment END AS comment,
				CASE WHEN b.outcome = '' THEN jsonb_build_object('round', e.data->>'round', 'secret', 'true') ELSE e.data END AS data
			FROM events e LEFT JOIN ballots b ON e.action = 'vote' AND b.subject_id = e.subject_id
				AND b.round::text = e.data->>'round'
			WHERE e.actor_id = $1 ORDER BY e.at, e.subject_id, e.seq`, id); err != nil {
			return err
		}
		if p.AccountHistory, err = collect[PersonAccountEvent](ctx, tx, `SELECT action, at FROM events
			WHERE subject_id = $1 AND subject = 'user' ORDER BY seq`, id); err != nil {
			return err
		}
		if p.Requests, err = collect[PersonRequest](ctx, tx, `SELECT key, status, created_at FROM idempotency_keys
			WHERE scope = $1::text ORDER BY created_at`, id); err != nil {
			return err
		}
		if p.Organisations, err = collect[PersonOrganisation](ctx, tx, `SELECT o.id::text, o.name, o.email,
				EXISTS (SELECT 1 FROM users u WHERE u.id = $1 AND u.organisation_id = o.id) AS member
			FROM organisations o WHERE o.id = (SELECT organisation_id FROM users WHERE id = $1)
				OR ($2::text <> '' AND lower(o.email) = lower($2)) ORDER BY o.name, o.id`, id, acc.Email); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, "SELECT now()").Scan(&p.ExportedAt); err != nil {
			return err
		}
		return recordAccountEvent(ctx, tx, id, by, ActionExportPersonalData, "", nil)
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return p, fmt.Errorf("export personal data: %w", err)
	}
	return p, err
}

// collect runs a query and gathers its rows into T by column name (never nil).
func collect[T any](ctx context.Context, tx pgx.Tx, sql string, args ...any) ([]T, error) {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[T])
	if out == nil {
		out = []T{}
	}
	return out, err
}
