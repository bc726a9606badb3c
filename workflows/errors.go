package workflows

import (
	"errors"

	"go.temporal.io/sdk/temporal"

	"essor/internal/domain"
)

// businessError turns a domain error into a non-retryable application error
// that carries it, so that the caller gets the same code and message back.
func businessError(err error) error {
	if de, ok := domain.As(err); ok {
		// Error() ranges over the field names but sorts them: deterministic.
		msg := de.Error() //workflowcheck:ignore
		return temporal.NewApplicationErrorWithOptions(msg, string(de.Code),
			temporal.ApplicationErrorOptions{NonRetryable: true, Details: []any{*de}})
	}
	return err
}

// DomainError recovers the domain error from what an update or workflow
// returned to a client, if it carries one.
func DomainError(err error) (*domain.Error, bool) {
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || !appErr.HasDetails() {
		return nil, false
	}
	var de domain.Error
	if appErr.Details(&de) != nil || de.Code == "" {
		return nil, false
	}
	return &de, true
}
