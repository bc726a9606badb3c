package activities

import (
	"context"

	"go.temporal.io/sdk/temporal"

	"essor/internal/domain"
	"essor/internal/storage"
)

// SaveSessionInput is a committee session's state and its new events.
type SaveSessionInput struct {
	Session domain.Session `json:"session"`
	Events  []domain.Event `json:"events"`
}

// SaveSession writes a session to the read model, idempotently; a write the
// database refuses for good fails at once (see SaveNeed).
func (a *Activities) SaveSession(ctx context.Context, in SaveSessionInput) error {
	err := a.DB.SaveSession(ctx, &in.Session, in.Events)
	if err != nil && storage.Permanent(err) {
		a.refused("session", in.Session.ID, in.Session.Version, err)
		return temporal.NewNonRetryableApplicationError("the read model refused the save", ErrReadModelRefused, err)
	}
	return err
}
