package activities

import (
	"context"
	"time"

	"essor/internal/domain"
)

// SaveNeedInput is a need's state after a change, with the events the change
// recorded and the next deadline.
type SaveNeedInput struct {
	Need     domain.Need    `json:"need"`
	Events   []domain.Event `json:"events"`
	Deadline *time.Time     `json:"deadline,omitempty"`
}

// SaveNeed writes a need to the read model; it is idempotent, so a retry or
// a replayed workflow task never duplicates an event.
func (a *Activities) SaveNeed(ctx context.Context, in SaveNeedInput) error {
	return a.DB.SaveNeed(ctx, &in.Need, in.Events, in.Deadline)
}
