package storage

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"essor/internal/domain"
)

// notice is one message to queue in the outbox: for one person (to), or for
// every active account holding a role (toRole); nobody is told of their own
// action (except).
type notice struct {
	subject   string
	subjectID string
	seq       int
	to        string
	toRole    domain.Role
	// toOfficersOf, a territory's code: the officers who cover it or one of
	// its parents, or every officer when none does (a need nobody is in
	// charge of).
	toOfficersOf string
	// toSupportersOf, a need's id: the people whose support it holds
	// (never its submitter, who has messages of their own).
	toSupportersOf string
	// toMembersOf, an organisation's id: the accounts that belong to it.
	toMembersOf string
	except      string
	kind        domain.NotificationKind
	data        map[string]string
}

// enqueue writes notices to the outbox in the caller's transaction, so a
// message exists if and only if the change that causes it is saved. Rows
// are keyed by subject, event sequence, recipient and kind: a retried save
// adds nothing.
func enqueue(ctx context.Context, tx pgx.Tx, notices []notice) error {
	for _, n := range notices {
		if n.toOfficersOf != "" {
			if err := enqueueOfficersOf(ctx, tx, n); err != nil {
				return err
			}
			continue
		}
		if n.toSupportersOf != "" {
			if err := enqueueSupportersOf(ctx, tx, n); err != nil {
				return err
			}
			continue
		}
		if n.toMembersOf != "" {
			if err := enqueueMembersOf(ctx, tx, n); err != nil {
				return err
			}
			continue
		}
		if n.to == "" && n.toRole == "" {
			continue
		}
		if _, err := tx.Exec(ctx, `INSERT INTO outbox (subject, subject_id, seq, recipient_id, kind, data)
			SELECT $1, $2, $3, u.id, $5, $6 FROM users u
			WHERE u.active AND u.erased_at IS NULL
				AND (u.id = $4::uuid OR ($7::text <> '' AND $7::text = ANY(u.roles)))
				AND u.id IS DISTINCT FROM $8::uuid
			ON CONFLICT DO NOTHING`,
			n.subject, n.subjectID, n.seq, nullable(n.to), string(n.kind), n.data, string(n.toRole), nullable(n.except)); err != nil {
			return fmt.Errorf("queue notification: %w", err)
		}
	}
	return nil
}

// enqueueOfficersOf queues a notice for the active officers covering its
// territory (the territory itself or any of its parents, all of them: a
// commune's EPCI, département and region), or for every
// active officer when none does.
func enqueueOfficersOf(ctx context.Context, tx pgx.Tx, n notice) error {
	if _, err := tx.Exec(ctx, `WITH RECURSIVE up (code) AS (
				SELECT $4::text
				UNION SELECT p.parent_code FROM territory_parents p JOIN up ON p.code = up.code),
			officers AS (
				SELECT u.id FROM users u WHERE u.active AND u.erased_at IS NULL AND $8::text = ANY(u.roles)),
			covering AS (
				SELECT DISTINCT o.id FROM officers o JOIN officer_territories ot ON ot.user_id = o.id
				WHERE ot.territory_code IN (SELECT code FROM up))
		INSERT INTO outbox (subject, subject_id, seq, recipient_id, kind, data)
		SELECT $1, $2, $3, o.id, $5, $6 FROM officers o
		WHERE (o.id IN (SELECT id FROM covering) OR NOT EXISTS (SELECT 1 FROM covering))
			AND o.id IS DISTINCT FROM $7::uuid
		ON CONFLICT DO NOTHING`,
		n.subject, n.subjectID, n.seq, n.toOfficersOf, string(n.kind), n.data, nullable(n.except), string(domain.RoleOfficer)); err != nil {
		return fmt.Errorf("queue notification to officers: %w", err)
	}
	return nil
}

// enqueueSupportersOf queues a notice for each active person who supports
// the need (on behalf of their organisation), but its submitter.
func enqueueSupportersOf(ctx context.Context, tx pgx.Tx, n notice) error {
	if _, err := tx.Exec(ctx, `INSERT INTO outbox (subject, subject_id, seq, recipient_id, kind, data)
		SELECT DISTINCT $1, $2::uuid, $3::int, u.id, $5, $6::jsonb FROM supports s JOIN users u ON u.id = s.user_id
		JOIN needs nd ON nd.id = s.need_id
		WHERE s.need_id = $4::uuid AND u.active AND u.erased_at IS NULL
			AND u.id IS DISTINCT FROM nd.submitted_by AND u.id IS DISTINCT FROM $7::uuid
		ON CONFLICT DO NOTHING`,
		n.subject, n.subjectID, n.seq, n.toSupportersOf, string(n.kind), n.data, nullable(n.except)); err != nil {
		return fmt.Errorf("queue notification to supporters: %w", err)
	}
	return nil
}

// enqueueMembersOf queues a notice for each active account of an organisation.
func enqueueMembersOf(ctx context.Context, tx pgx.Tx, n notice) error {
	if _, err := tx.Exec(ctx, `INSERT INTO outbox (subject, subject_id, seq, recipient_id, kind, data)
		SELECT $1, $2::uuid, $3::int, u.id, $5, $6::jsonb FROM users u
		WHERE u.organisation_id = $4::uuid AND u.active AND u.erased_at IS NULL AND u.id IS DISTINCT FROM $7::uuid
		ON CONFLICT DO NOTHING`,
		n.subject, n.subjectID, n.seq, n.toMembersOf, string(n.kind), n.data, nullable(n.except)); err != nil {
		return fmt.Errorf("queue notification to an organisation's members: %w", err)
	}
	return nil
}

// needNotices are the messages a need's new events cause: its submitter
// hears of stage changes, requests for information and supports; its
// supporters of stage changes; the officer in charge of information given,
// carriers volunteering and deadlines passed (the officers of its territory
// when nobody is in charge); the committee of ballots opened and decided.
func needNotices(n *domain.Need, events []domain.Event) []notice {
	var out []notice
	officer := ""
	if n.Officer != nil {
		officer = n.Officer.ID
	}
	for _, ev := range events {
		base := notice{subject: "need", subjectID: n.ID, seq: ev.Seq, except: ev.ActorID, data: eventData(n.Title, ev)}
		add := func(kind domain.NotificationKind, to string, role domain.Role) {
			x := base
			x.kind, x.to, x.toRole = kind, to, role
			out = append(out, x)
		}
		submitter := n.SubmittedBy.UserID
		switch ev.Action {
		case domain.ActionSubmit:
			continue
		case domain.ActionRequestInfo:
			add(domain.NotifyInfoRequested, submitter, "")
			continue
		case domain.ActionProvideInfo:
			add(domain.NotifyInfoProvided, officer, "")
		case domain.ActionSupport:
			add(domain.NotifySupported, submitter, "")
		case domain.ActionProposeCarrier:
			if officer != "" {
				add(domain.NotifyCarrierProposed, officer, "")
			} else if n.TerritoryCode != "" {
				x := base
				x.kind, x.toOfficersOf = domain.NotifyCarrierProposed, n.TerritoryCode
				out = append(out, x)
			}
		case domain.ActionInviteCarrier:
			x := base
			x.kind, x.toMembersOf = domain.NotifyCarrierInvited, ev.Data["organisation_id"]
			x.data = maps.Clone(x.data)
			x.data["message"], x.data["summary"] = ev.Data["message"], excerpt(n.Description, 600)
			out = append(out, x)
		case domain.ActionRemind, domain.ActionEscalate:
			kind := domain.NotifyDeadlinePassed
			if ev.Data["kind"] == "qualification_overdue" {
				kind = domain.NotifyWaiting
			}
			if to := ev.Data["officer_id"]; to != "" {
				add(kind, to, "")
			} else if n.TerritoryCode == "" {
				add(kind, "", domain.RoleOfficer)
			} else { // nobody in charge yet: the officers of its territory
				x := base
				x.kind, x.toOfficersOf = kind, n.TerritoryCode
				out = append(out, x)
			}
		case domain.ActionSubmitStudy:
			add(domain.NotifyVoteAwaited, "", domain.RoleCommittee)
		case domain.ActionDecide:
			add(domain.NotifyDecisionTaken, "", domain.RoleCommittee)
			add(domain.NotifyDecisionLetter, submitter, "")
		}
		if ev.FromStage != ev.ToStage {
			add(domain.NotifyStageChanged, submitter, "")
			x := base
			x.kind, x.toSupportersOf = domain.NotifySupportedStageChanged, n.ID
			out = append(out, x)
		}
	}
	return out
}

// studyActionNotices are the messages a study-action's new events cause:
// the host company (its applicant) hears of stage changes and late monthly
// reports; the officer who instructs it of deadlines passed; the committee
// of ballots opened and decided.
func studyActionNotices(s *domain.StudyAction, events []domain.Event) []notice {
	var out []notice
	for _, ev := range events {
		base := notice{subject: "study_action", subjectID: s.ID, seq: ev.Seq, except: ev.ActorID, data: eventData(s.ProjectTitle, ev)}
		add := func(kind domain.NotificationKind, to string, role domain.Role) {
			x := base
			x.kind, x.to, x.toRole = kind, to, role
			out = append(out, x)
		}
		host := s.Applicant.UserID
		switch ev.Action {
		case domain.ActionSubmit:
			continue
		case domain.ActionRemind, domain.ActionEscalate, domain.ActionStudyEnded:
			if ev.Data["kind"] == domain.KindReportLate {
				add(domain.NotifyReportLate, host, "")
			}
			add(domain.NotifyDeadlinePassed, ev.Data["officer_id"], "")
		case domain.ActionAppraise:
			add(domain.NotifyVoteAwaited, "", domain.RoleCommittee)
		case domain.ActionReviseFinancing:
			if ev.Data["pending"] == "true" {
				add(domain.NotifyVoteAwaited, "", domain.RoleCommittee)
			}
		case domain.ActionDecide:
			add(domain.NotifyDecisionTaken, "", domain.RoleCommittee)
			add(domain.NotifyDecisionLetter, host, "")
		}
		if ev.FromStage != ev.ToStage {
			add(domain.NotifyStageChanged, host, "")
		}
	}
	return out
}

// callNotices are the messages a call's new events cause: the committee
// hears of a selection proposed and decided; once published, every person
// who applied hears of it.
func callNotices(c *domain.Call, events []domain.Event) []notice {
	var out []notice
	for _, ev := range events {
		base := notice{subject: "call", subjectID: c.ID, seq: ev.Seq, except: ev.ActorID, data: eventData(c.Title, ev)}
		add := func(kind domain.NotificationKind, to string, role domain.Role) {
			x := base
			x.kind, x.to, x.toRole = kind, to, role
			out = append(out, x)
		}
		switch {
		case ev.Action == domain.ActionPropose:
			add(domain.NotifyVoteAwaited, "", domain.RoleCommittee)
		case ev.Action == domain.ActionDecide:
			add(domain.NotifyDecisionTaken, "", domain.RoleCommittee)
			if ev.ToStage == domain.StagePublished {
				for _, id := range applicants(c) {
					add(domain.NotifyCallPublished, id, "")
				}
			}
		case ev.Action == domain.ActionRemind || ev.Action == domain.ActionEscalate:
			add(domain.NotifyDeadlinePassed, ev.Data["officer_id"], "")
		case ev.Action == domain.ActionCloseUnsuccessful:
			for _, id := range applicants(c) {
				add(domain.NotifyStageChanged, id, "")
			}
		case ev.ToStage == domain.StageNoApplications:
			add(domain.NotifyStageChanged, c.CreatedBy.UserID, "")
		}
	}
	return out
}

// applicants are the people who applied to a call, once each, in order.
func applicants(c *domain.Call) []string {
	var out []string
	for _, a := range c.Applications {
		if a.ByID != "" && !slices.Contains(out, a.ByID) {
			out = append(out, a.ByID)
		}
	}
	return out
}

// roundNotices are the messages a Rally'nov round's new events cause: the
// jurors hear of each entry that awaits their scores.
func roundNotices(r *domain.Round, entries int, events []domain.Event) []notice {
	var out []notice
	for _, ev := range events {
		n := notice{subject: "rally_round", subjectID: r.ID, seq: ev.Seq, except: ev.ActorID,
			data: eventData(r.Title, ev), kind: domain.NotifyScoresAwaited}
		switch {
		case ev.Action == domain.Action(domain.RallyEnter) && len(r.Jury) == 0:
			n.toRole = domain.RoleJury
			out = append(out, n)
		case ev.Action == domain.Action(domain.RallyEnter):
			for _, j := range r.Jury { // a round with its own jury tells only its jurors
				n.to = j.ID
				out = append(out, n)
			}
		case ev.Action == domain.Action(domain.RallyNameJury) && entries > 0 && ev.Data["added"] != "":
			for _, id := range strings.Split(ev.Data["added"], ",") { // newly named to a round whose entries wait
				n.to = id
				out = append(out, n)
			}
		}
	}
	return out
}

// eventData is what a message says of an event: the subject's title, the
// action, the stages and the event's own facts (a deadline's kind, a
// decision), with the comment cut short.
func eventData(title string, ev domain.Event) map[string]string {
	d := map[string]string{"title": title, "action": string(ev.Action), "from": string(ev.FromStage),
		"to": string(ev.ToStage), "actor": ev.ActorName, "seq": strconv.Itoa(ev.Seq)}
	for _, k := range []string{"kind", "decision", "month", "due", "organisation", "session_id", "approved_budget_eur", "conditions"} {
		if v, ok := ev.Data[k]; ok {
			d[k] = v
		}
	}
	if ev.Comment != "" {
		d["comment"] = excerpt(ev.Comment, 500)
	}
	return d
}

func excerpt(s string, max int) string {
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return string(r[:max-1]) + "…"
}
