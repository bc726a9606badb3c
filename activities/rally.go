package activities

import (
	"context"
	"time"

	"go.temporal.io/sdk/temporal"

	"essor/internal/domain"
	"essor/internal/storage"
)

// SaveRoundInput is a round after a change: its state (without the book of
// entries, of which only the count travels), the events, the entry or the
// sheet the change recorded, and the next deadline.
type SaveRoundInput struct {
	Round    domain.Round         `json:"round"`
	Entries  int                  `json:"entries"`
	Events   []domain.Event       `json:"events"`
	Entry    *storage.EntryRecord `json:"entry,omitempty"`
	Sheet    *storage.SheetRecord `json:"sheet,omitempty"`
	Deadline *time.Time           `json:"deadline,omitempty"`
}

// SaveRound writes a round to the read model, idempotently; a write the
// database refuses for good fails at once, not retried (see SaveNeed).
func (a *Activities) SaveRound(ctx context.Context, in SaveRoundInput) error {
	err := a.DB.SaveRound(ctx, &in.Round, in.Entries, in.Events, in.Entry, in.Sheet, in.Deadline)
	if err != nil && storage.Permanent(err) {
		a.refused("rally_round", in.Round.ID, in.Round.Version, err)
		return temporal.NewNonRetryableApplicationError("the read model refused the save", ErrReadModelRefused, err)
	}
	return err
}
