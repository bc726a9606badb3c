package activities

import (
	"context"
	"time"

	"go.temporal.io/sdk/temporal"

	"essor/internal/domain"
	"essor/internal/storage"
)

// SaveNeedInput is a need's state after a change, with the events the change
// recorded and the next deadline.
type SaveNeedInput struct {
	Need     domain.Need    `json:"need"`
	Events   []domain.Event `json:"events"`
	Deadline *time.Time     `json:"deadline,omitempty"`
}

// ErrReadModelRefused is the type of the non-retryable error a save returns
// when the database will never accept it.
const ErrReadModelRefused = "ReadModelRefused"

// SaveNeed writes a need to the read model; it is idempotent, so a retry or
// a replayed workflow task never duplicates an event. A write the database
// refuses for good is not retried: it fails at once, is logged and counted,
// and the workflow undoes the change instead of waiting for ever.
func (a *Activities) SaveNeed(ctx context.Context, in SaveNeedInput) error {
	err := a.DB.SaveNeed(ctx, &in.Need, in.Events, in.Deadline)
	if err != nil && storage.Permanent(err) {
		a.refused("need", in.Need.ID, in.Need.Version, err)
		return temporal.NewNonRetryableApplicationError("the read model refused the save", ErrReadModelRefused, err)
	}
	return err
}
