package activities

import (
	"context"
	"errors"
	"time"

	"essor/internal/i18n"
	"essor/internal/mail"
	"essor/internal/storage"
)

// Mail is what sending e-mails needs.
type Mail struct {
	Sender  *mail.Sender // nil when SMTP_URL is empty: messages wait in the outbox
	BaseURL string       // ESSOR_BASE_URL, for links
	// Lease is how long a claimed message is left to its sender before
	// another may send it again: a sender killed between the SMTP server's
	// acceptance and the record of it leaves the message claimed, and it is
	// sent again (same Message-ID) once the lease is over.
	Lease time.Duration
	Batch int
	// UnsubscribeTTL is how long each message's unsubscribe link works
	// (storage.DefaultUnsubscribeTTL when zero).
	UnsubscribeTTL time.Duration
	MaxAttempts    int
	// AfterSend, when set, runs between the server's acceptance of a
	// message and its record as sent (tests fail there, as a process killed
	// at that moment would).
	AfterSend func(messageID string) error
}

// Defaults for Mail's zero fields.
const (
	DefaultMailLease       = 10 * time.Minute
	DefaultMailBatch       = 50
	DefaultMailMaxAttempts = 20
)

func (m *Mail) lease() time.Duration { return cmp(m.Lease, DefaultMailLease) }
func (m *Mail) batch() int           { return cmp(m.Batch, DefaultMailBatch) }
func (m *Mail) maxAttempts() int     { return cmp(m.MaxAttempts, DefaultMailMaxAttempts) }

func cmp[T int | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

// SendResult says what one batch did.
type SendResult struct {
	Sent   int  `json:"sent"`
	Failed int  `json:"failed"`
	More   bool `json:"more"` // a full batch: there may be more to send
}

// SendPending sends one batch of the messages people want at once. The
// attempt is recorded (claimed) before anything is sent; each message is
// recorded as sent as soon as the server accepts it. An SMTP server away or
// refusing for now gives the messages back and fails the activity, which
// Temporal retries: a failure delays messages, it never loses them. A
// message the server refuses for good is marked failed, and the batch goes on.
func (a *Activities) SendPending(ctx context.Context) (SendResult, error) {
	var res SendResult
	m := a.Mail
	if m == nil || m.Sender == nil {
		return res, nil
	}
	if _, err := a.DB.SkipUnwanted(ctx); err != nil {
		return res, err
	}
	rows, err := a.DB.ClaimImmediate(ctx, m.batch(), m.lease(), m.Sender.IDDomain)
	if err != nil || len(rows) == 0 {
		return res, err
	}
	res.More = len(rows) == m.batch()
	conn, err := m.Sender.Open(ctx)
	if err != nil {
		return res, a.giveBack(ctx, rows, err, true)
	}
	defer conn.Close()
	groups, err := a.groupBacklogs(ctx, rows)
	if err != nil {
		return res, a.giveBack(ctx, rows, err, true)
	}
	for i, g := range groups {
		ids := idsOf(g)
		msg, err := a.compose(ctx, g, len(g) >= backlogAt)
		if err == nil {
			err = m.Sender.Send(conn, msg)
		}
		if err != nil {
			if mail.Permanent(err) {
				res.Failed += len(g)
				if err := a.DB.ReleaseClaims(ctx, ids, storage.Release{Reason: err.Error(), Permanent: true}); err != nil {
					return res, err
				}
				continue
			}
			return res, a.giveBack(ctx, flatten(groups[i:]), err, false)
		}
		if m.AfterSend != nil {
			if err := m.AfterSend(msg.MessageID); err != nil {
				_ = a.giveBack(ctx, flatten(groups[i+1:]), err, true) // not tried; g stays claimed: its outcome is in doubt
				return res, err
			}
		}
		if err := a.DB.MarkSent(ctx, ids); err != nil {
			_ = a.giveBack(ctx, flatten(groups[i+1:]), err, true)
			return res, err
		}
		res.Sent += len(g)
	}
	return res, nil
}

// backlogAt is how many messages waiting for one person make a backlog.
const backlogAt = 3

// groupBacklogs keeps one message per row, except for a person with a
// backlog waiting (left when they switched from the digest to immediate
// sending, or after an outage): theirs go as one digest, under the
// Message-ID of the first, recorded before sending so a retry sends the same
// digest again.
func (a *Activities) groupBacklogs(ctx context.Context, rows []storage.OutboxRow) ([][]storage.OutboxRow, error) {
	var groups [][]storage.OutboxRow
	at := map[string]int{}
	for _, r := range rows {
		if i, ok := at[r.RecipientID]; ok {
			groups[i] = append(groups[i], r)
			continue
		}
		at[r.RecipientID] = len(groups)
		groups = append(groups, []storage.OutboxRow{r})
	}
	var out [][]storage.OutboxRow
	for _, g := range groups {
		if len(g) < backlogAt {
			for _, r := range g {
				out = append(out, []storage.OutboxRow{r})
			}
			continue
		}
		out = append(out, g)
		id := *g[0].MessageID
		if err := a.DB.JoinDigest(ctx, idsOf(g), id); err != nil {
			return nil, err
		}
		for i := range g {
			g[i].MessageID = &id
		}
	}
	return out, nil
}

func idsOf(rows []storage.OutboxRow) []string {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return ids
}

func flatten(groups [][]storage.OutboxRow) []storage.OutboxRow {
	var out []storage.OutboxRow
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// giveBack releases claimed messages after a transient failure, and returns
// the error that makes Temporal retry.
func (a *Activities) giveBack(ctx context.Context, rows []storage.OutboxRow, cause error, untried bool) error {
	if len(rows) > 0 {
		if err := a.DB.ReleaseClaims(ctx, idsOf(rows), storage.Release{Reason: cause.Error(), MaxAttempts: a.Mail.maxAttempts(),
			Uncount: untried}); err != nil {
			return errors.Join(cause, err)
		}
	}
	if a.Log != nil {
		a.Log.Warn("e-mails delayed: the SMTP server cannot take them now", "messages", len(rows), "error", cause)
	}
	return cause
}

// compose writes the e-mail of rows (one row, or a person's digest).
func (a *Activities) compose(ctx context.Context, rows []storage.OutboxRow, digest bool) (mail.Message, error) {
	r := rows[0]
	lang := i18n.Parse(r.Language)
	kind := r.Kind
	if digest {
		kind = storage.DigestKind
	}
	tok, err := a.DB.UnsubscribeToken(ctx, r.RecipientID, kind, a.Mail.UnsubscribeTTL) // a new one in every message
	if err != nil {
		return mail.Message{}, err
	}
	unsub := a.Mail.BaseURL + "/desabonnement/" + tok
	items := make([]mail.Item, len(rows))
	for i, x := range rows {
		items[i] = mail.Item{Kind: x.Kind, Subject: x.Subject, SubjectID: x.SubjectID, Data: x.Data}
	}
	var w mail.Written
	if digest {
		w = mail.ComposeDigest(lang, a.Mail.BaseURL, unsub, items)
	} else {
		w = mail.Compose(lang, a.Mail.BaseURL, unsub, items[0])
	}
	id := ""
	if r.MessageID != nil {
		id = *r.MessageID
	}
	files, err := mail.Attachments(lang, items)
	if err != nil {
		return mail.Message{}, err
	}
	return mail.Message{To: r.Email, ToName: r.Name, Subject: w.Subject, Text: w.Text, HTML: w.HTML,
		MessageID: id, Unsubscribe: unsub, Date: time.Now(), Attachments: files}, nil
}

// DigestInput names a digest run: its moment (messages queued before it
// are grouped) and its day in Paris (part of each digest's Message-ID).
type DigestInput struct {
	Before time.Time `json:"before"`
	Day    string    `json:"day"`
}

// DigestRecipients lists the people a digest run writes to; it first
// queues the week-before reminders of open votes.
func (a *Activities) DigestRecipients(ctx context.Context, in DigestInput) ([]string, error) {
	if a.Mail == nil || a.Mail.Sender == nil {
		return nil, nil
	}
	if _, err := a.DB.QueueVoteReminders(ctx, 7*24*time.Hour); err != nil {
		return nil, err
	}
	if _, err := a.DB.SkipUnwanted(ctx); err != nil {
		return nil, err
	}
	return a.DB.DigestRecipients(ctx, in.Before)
}

// SendDigestInput is one person's digest.
type SendDigestInput struct {
	DigestInput
	RecipientID string `json:"recipient_id"`
}

// SendDigest sends one person their digest: every message waiting for it,
// in one e-mail. Its Message-ID names the person and the day, so a digest
// sent again after a crash is recognisably the same.
func (a *Activities) SendDigest(ctx context.Context, in SendDigestInput) (int, error) {
	m := a.Mail
	if m == nil || m.Sender == nil {
		return 0, nil
	}
	rows, err := a.DB.ClaimDigest(ctx, in.RecipientID, in.Before, m.lease(),
		"digest-"+in.RecipientID+"-"+in.Day+"@"+m.Sender.IDDomain)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	conn, err := m.Sender.Open(ctx)
	if err != nil {
		return 0, a.giveBack(ctx, rows, err, true)
	}
	defer conn.Close()
	msg, err := a.compose(ctx, rows, true)
	if err == nil {
		err = m.Sender.Send(conn, msg)
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	if err != nil {
		if mail.Permanent(err) {
			return 0, a.DB.ReleaseClaims(ctx, ids, storage.Release{Reason: err.Error(), Permanent: true})
		}
		return 0, a.giveBack(ctx, rows, err, false)
	}
	if m.AfterSend != nil {
		if err := m.AfterSend(msg.MessageID); err != nil {
			return 0, err
		}
	}
	if err := a.DB.MarkSent(ctx, ids); err != nil {
		return 0, err
	}
	return len(rows), nil
}
