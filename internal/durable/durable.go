// Package durable is the one way Essor's services call Temporal: start a
// workflow together with its first update, send an update and wait for its
// result, and turn whatever Temporal answers into a domain error. Every
// programme's service goes through one lifecycle (lifecycle.go), so
// retries, conflicts and outages read the same everywhere.
package durable

import (
	"context"
	"errors"
	"fmt"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"essor/internal/domain"
	"essor/workflows"
)

// ErrEnded is returned by Update when the workflow has ended (its subject
// is in a terminal stage): the caller names that stage in a 409.
var ErrEnded = errors.New("the workflow has ended")

// Client sends workflows their starts and updates on one task queue.
type Client struct {
	Temporal  client.Client
	TaskQueue string
}

// StartWithUpdate starts workflow id (unless it runs or ran already: a
// retried start is not an error) with its input, sends it the update named
// update at once and waits until that update has completed.
func (c *Client) StartWithUpdate(ctx context.Context, id, workflow string, input any, update string, result any) error {
	start := c.Temporal.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
		ID:                       id,
		TaskQueue:                c.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}, workflow, input)
	h, err := c.Temporal.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: start,
		UpdateOptions: client.UpdateWorkflowOptions{
			WorkflowID: id, UpdateID: update, UpdateName: update, WaitForStage: client.WorkflowUpdateStageCompleted,
		},
	})
	if err == nil {
		err = h.Get(ctx, result)
	}
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) { // a retry of a start whose workflow already ended
		return nil
	}
	return Error(err)
}

// Update sends workflow id the update named update with arg and waits for
// its result. The same updateID names the same update, so a retried request
// is carried out once. ErrEnded when the workflow has ended.
func (c *Client) Update(ctx context.Context, id, update, updateID string, arg, result any) error {
	h, err := c.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: id, UpdateID: updateID, UpdateName: update, Args: []any{arg},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = h.Get(ctx, result)
	}
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return ErrEnded
	}
	return Error(err)
}

// Error turns what the Temporal client returned into the domain error it
// carries (a refusal by a validator or a handler), or into "unavailable"
// when Temporal could not answer: the same request may succeed in a moment
// (a 503 with Retry-After).
func Error(err error) error {
	if err == nil {
		return nil
	}
	if de, ok := workflows.DomainError(err); ok {
		return de
	}
	if _, ok := domain.As(err); ok {
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return fmt.Errorf("%w: %w", domain.E(domain.CodeUnavailable, "error.unavailable"), err)
	}
	var (
		unavailable *serviceerror.Unavailable
		deadline    *serviceerror.DeadlineExceeded
		exhausted   *serviceerror.ResourceExhausted
		canceled    *serviceerror.Canceled
	)
	if errors.As(err, &unavailable) || errors.As(err, &deadline) || errors.As(err, &exhausted) || errors.As(err, &canceled) {
		return fmt.Errorf("%w: %w", domain.E(domain.CodeUnavailable, "error.unavailable"), err)
	}
	return err
}

// Outcome names an error for the metrics: "ok", a domain code, or "error".
func Outcome(err error) string {
	if err == nil {
		return "ok"
	}
	if de, ok := domain.As(err); ok {
		return string(de.Code)
	}
	if de, ok := workflows.DomainError(err); ok {
		return string(de.Code)
	}
	return "error"
}
