package activities

import (
	"context"

	"go.temporal.io/sdk/temporal"

	"essor/internal/domain"
	"essor/internal/storage"
)

// SaveCallInput is a call's state after a change, the events the change
// recorded, the current stage's deadlines (fired or not) and, for an
// application, the application with its motivation (the state keeps none).
type SaveCallInput struct {
	Call      domain.Call             `json:"call"`
	Events    []domain.Event          `json:"events"`
	Deadlines []domain.Deadline       `json:"deadlines,omitempty"`
	Applied   *domain.CallApplication `json:"applied,omitempty"`
}

// SaveCall writes a call to the read model, idempotently; a write the
// database refuses for good fails at once (see SaveNeed).
func (a *Activities) SaveCall(ctx context.Context, in SaveCallInput) error {
	err := a.DB.SaveCall(ctx, &in.Call, in.Events, in.Deadlines, in.Applied)
	if err != nil && storage.Permanent(err) {
		a.refused("call", in.Call.ID, in.Call.Version, err)
		return temporal.NewNonRetryableApplicationError("the read model refused the save", ErrReadModelRefused, err)
	}
	return err
}
