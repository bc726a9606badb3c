package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"essor/internal/domain"
)

// BallotRow is one committee decision with its votes.
type BallotRow struct {
	Round     int        `db:"round"`
	OpenedAt  time.Time  `db:"opened_at"`
	Quorum    int        `db:"quorum"`
	Outcome   string     `db:"outcome"`
	DecidedAt *time.Time `db:"decided_at"`
	Votes     []VoteRow  `db:"votes"`
	Rule      int        `db:"rule"` // domain.RuleInstitutions: the quorum counts institutions
}

// VoteRow is a member's vote.
type VoteRow struct {
	VoterID   string    `json:"voter_id"`
	VoterName string    `json:"voter_name"`
	Decision  string    `json:"decision"`
	Comment   string    `json:"comment"`
	At        time.Time `json:"at"`
	// Institution is the institution the vote spoke for ("" for none).
	Institution string `json:"institution"`
}

// BallotSubject is what a ballot decides, as the committee's list shows it.
type BallotSubject struct {
	Kind     domain.Subject
	Title    string
	Open     bool       // still awaiting votes
	Deadline *time.Time // the escalation deadline while open
}

// saveBallot writes a ballot and its current votes; a member's new vote
// replaces the previous one.
func saveBallot(ctx context.Context, tx pgx.Tx, subjectID string, subj BallotSubject, b domain.Ballot) error {
	var decided *time.Time
	if b.Decided() {
		decided = &b.DecidedAt
	}
	if _, err := tx.Exec(ctx, `INSERT INTO ballots (subject_id, round, opened_at, quorum, outcome, decided_at,
			subject, title, open, deadline, rule)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (subject_id, round) DO UPDATE SET quorum = EXCLUDED.quorum, outcome = EXCLUDED.outcome,
			decided_at = EXCLUDED.decided_at, title = EXCLUDED.title, open = EXCLUDED.open, deadline = EXCLUDED.deadline`,
		subjectID, b.Round, b.OpenedAt, b.Quorum, string(b.Outcome), decided,
		string(subj.Kind), subj.Title, subj.Open && !b.Decided(), subj.Deadline, b.Rule); err != nil {
		return fmt.Errorf("save ballot: %w", err)
	}
	for _, v := range b.Votes {
		if _, err := tx.Exec(ctx, `INSERT INTO votes (subject_id, round, voter_id, voter_name, decision, comment, at, institution)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (subject_id, round, voter_id) DO UPDATE SET decision = EXCLUDED.decision,
				comment = EXCLUDED.comment, at = EXCLUDED.at, institution = EXCLUDED.institution`,
			subjectID, b.Round, v.VoterID, v.VoterName, string(v.Decision), v.Comment, v.At, v.Institution); err != nil {
			return fmt.Errorf("save vote: %w", err)
		}
	}
	return nil
}

// Ballots returns a subject's committee decisions, oldest first, with votes.
func (db *DB) Ballots(ctx context.Context, subjectID string) ([]BallotRow, error) {
	rows, err := db.Pool.Query(ctx, `SELECT b.round, b.opened_at, b.quorum, b.outcome, b.decided_at, b.rule,
			COALESCE((SELECT json_agg(json_build_object('voter_id', v.voter_id, 'voter_name', v.voter_name,
				'decision', v.decision, 'comment', v.comment, 'at', v.at, 'institution', v.institution) ORDER BY v.at)
				FROM votes v WHERE v.subject_id = b.subject_id AND v.round = b.round), '[]') AS votes
		FROM ballots b WHERE b.subject_id = $1 ORDER BY b.round`, subjectID)
	if err != nil {
		return nil, fmt.Errorf("ballots: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[BallotRow])
}

// PendingBallot is an open committee decision awaiting a member's vote.
type PendingBallot struct {
	Subject   string    `db:"subject"`
	SubjectID string    `db:"subject_id"`
	Title     string    `db:"title"`
	Round     int       `db:"round"`
	OpenedAt  time.Time `db:"opened_at"`
	Quorum    int       `db:"quorum"`
	Votes     int       `db:"votes"`
	Rule      int       `db:"rule"`
	MyVote    *string   `db:"my_vote"`
	// The session whose agenda holds it, if any.
	SessionID     *string    `db:"session_id"`
	SessionTitle  *string    `db:"session_title"`
	SessionStarts *time.Time `db:"session_starts"`
	Deadline      *time.Time `db:"deadline"`
	// Summary is what the committee decides on: the need's study, the
	// officer's appraisal of a study-action, the call's description.
	Summary        *string `db:"summary"`
	Recommendation *string `db:"recommendation"`
}

// PendingBallots lists every open committee decision of every programme,
// oldest first, with the member's current vote on each.
func (db *DB) PendingBallots(ctx context.Context, voterID string) ([]PendingBallot, error) {
	rows, err := db.Pool.Query(ctx, `SELECT b.subject, b.subject_id, b.title, b.round, b.opened_at, b.quorum, b.rule,
			(SELECT count(*)::int FROM votes v WHERE v.subject_id = b.subject_id AND v.round = b.round) AS votes,
			(SELECT v.decision FROM votes v WHERE v.subject_id = b.subject_id AND v.round = b.round AND v.voter_id = $1) AS my_vote,
			b.deadline, si.session_id::text AS session_id, cs.title AS session_title, cs.starts_at AS session_starts,
			CASE b.subject
				WHEN 'need' THEN (SELECT n.study->>'summary' FROM needs n WHERE n.id = b.subject_id)
				WHEN 'study_action' THEN (SELECT coalesce(sa.appraisal->>'opinion', sa.summary) FROM study_actions sa WHERE sa.id = b.subject_id)
				WHEN 'call' THEN (SELECT c.description FROM calls c WHERE c.id = b.subject_id)
			END AS summary,
			CASE b.subject
				WHEN 'need' THEN (SELECT n.study->>'recommendation' FROM needs n WHERE n.id = b.subject_id)
				WHEN 'study_action' THEN (SELECT sa.appraisal->>'recommendation' FROM study_actions sa WHERE sa.id = b.subject_id)
			END AS recommendation
		FROM ballots b LEFT JOIN session_items si ON si.subject_id = b.subject_id AND si.pending
			LEFT JOIN committee_sessions cs ON cs.id = si.session_id
		WHERE b.open
		ORDER BY b.opened_at, b.subject_id`, voterID)
	if err != nil {
		return nil, fmt.Errorf("pending ballots: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[PendingBallot])
}

// BallotSubjectOf tells what kind of subject an id's ballots decide.
func (db *DB) BallotSubjectOf(ctx context.Context, subjectID string) (domain.Subject, error) {
	if !domain.IsUUID(subjectID) {
		return "", ErrNotFound
	}
	var kind string
	err := db.Pool.QueryRow(ctx, `SELECT subject FROM ballots WHERE subject_id = $1 ORDER BY round DESC LIMIT 1`, subjectID).Scan(&kind)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("ballot subject: %w", err)
	}
	return domain.Subject(kind), nil
}
