package activities

import (
	"context"

	"go.temporal.io/sdk/temporal"

	"essor/internal/domain"
	"essor/internal/storage"
)

// SaveStudyActionInput is a study-action's state after a change, the events
// the change recorded and the current stage's deadlines (fired or not).
type SaveStudyActionInput struct {
	StudyAction domain.StudyAction `json:"study_action"`
	Events      []domain.Event     `json:"events"`
	Deadlines   []domain.Deadline  `json:"deadlines,omitempty"`
}

// SaveStudyAction writes a study-action to the read model, idempotently; a
// write the database refuses for good fails at once (see SaveNeed).
func (a *Activities) SaveStudyAction(ctx context.Context, in SaveStudyActionInput) error {
	err := a.DB.SaveStudyAction(ctx, &in.StudyAction, in.Events, in.Deadlines)
	if err != nil && storage.Permanent(err) {
		a.refused("study_action", in.StudyAction.ID, in.StudyAction.Version, err)
		return temporal.NewNonRetryableApplicationError("the read model refused the save", ErrReadModelRefused, err)
	}
	return err
}
