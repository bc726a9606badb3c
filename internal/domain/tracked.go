package domain

import "time"

// Tracked is the bookkeeping every subject moving through stages shares
// (needs, study-actions, calls): embedded where these fields stood, so the
// JSON of workflow states is what it was, field for field.
type Tracked struct {
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	Stage          Stage     `json:"stage"`
	StageEnteredAt time.Time `json:"stage_entered_at"`
	StageSeq       int       `json:"stage_seq"` // the event that entered the stage
	Version        int64     `json:"version"`
	Seq            int       `json:"seq"` // the last event's
}

// record counts an event and moves to stage to ("" stays), and returns
// the event for the audit trail.
func (t *Tracked) record(by Caller, a Action, to Stage, comment string, now time.Time) Event {
	from := t.Stage
	if to == "" {
		to = from
	}
	t.Seq++
	t.Version++
	t.UpdatedAt = now
	if to != from {
		t.Stage, t.StageEnteredAt, t.StageSeq = to, now, t.Seq
	}
	return Event{Seq: t.Seq, At: now, ActorID: by.UserID, ActorName: by.Name, Action: a, FromStage: from, ToStage: to, Comment: comment}
}
