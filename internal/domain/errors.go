package domain

import (
	"errors"
	"fmt"
	"sort"
	"time"
)

// Code classifies an error; the HTTP layer maps each code to one status.
type Code string

const (
	CodeInvalid         Code = "validation_failed"      // 422
	CodeMalformed       Code = "malformed_request"      // 400
	CodeUnauthenticated Code = "unauthenticated"        // 401
	CodeForbidden       Code = "forbidden"              // 403
	CodeNotFound        Code = "not_found"              // 404
	CodeStage           Code = "stage_conflict"         // 409, the message names the current stage
	CodeConflict        Code = "conflict"               // 409
	CodeGone            Code = "gone"                   // 410: a link past its lifetime
	CodeTooLarge        Code = "payload_too_large"      // 413
	CodeMediaType       Code = "unsupported_media_type" // 415
	CodeRateLimited     Code = "rate_limited"           // 429
	CodeUnavailable     Code = "unavailable"            // 503
	CodeInternal        Code = "internal"               // 500
)

// Message is a translatable text: a catalogue key and its arguments. An
// argument that starts with "@" is itself a catalogue key (a stage, a role…).
type Message struct {
	Key  string   `json:"key"`
	Args []string `json:"args,omitempty"`
}

// Msg builds a Message.
func Msg(key string, args ...string) Message { return Message{Key: key, Args: args} }

// Error is the one error type that crosses layers (and Temporal, as the
// details of an ApplicationError): users see its translated message.
type Error struct {
	Code    Code               `json:"code"`
	Message Message            `json:"message"`
	Fields  map[string]Message `json:"fields,omitempty"`
	// RetryAfter, when set, tells the client how long to wait before trying
	// again (the HTTP layer sends it as Retry-After); it never crosses Temporal.
	RetryAfter time.Duration `json:"-"`
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("%s: %s %v", e.Code, e.Message.Key, e.Message.Args)
	}
	names := make([]string, 0, len(e.Fields))
	for f := range e.Fields {
		names = append(names, f)
	}
	sort.Strings(names)
	return fmt.Sprintf("%s: %s %v", e.Code, e.Message.Key, names)
}

// E builds an Error.
func E(code Code, key string, args ...string) *Error {
	return &Error{Code: code, Message: Msg(key, args...)}
}

// StageConflict is the 409 for an action the current stage does not allow.
func StageConflict(stage Stage) *Error {
	return E(CodeStage, "error.stage", "@stage."+string(stage))
}

// Forbidden is the 403 for a role that may not act.
func Forbidden() *Error { return E(CodeForbidden, "error.forbidden") }

// NotFound is the 404 for a missing resource.
func NotFound() *Error { return E(CodeNotFound, "error.not_found") }

// As returns the *Error inside err, if any.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// IsCode tells whether err is a domain error with this code.
func IsCode(err error, code Code) bool {
	e, ok := As(err)
	return ok && e.Code == code
}

// FieldErrors collects per-field validation messages.
type FieldErrors map[string]Message

// Add records the first message for a field; the message's first argument
// is the field's own label, so that every message names its field.
func (f FieldErrors) Add(field, key string, args ...string) {
	if _, ok := f[field]; !ok {
		f[field] = Msg(key, append([]string{"@field." + field}, args...)...)
	}
}

// Err returns a 422 naming every failing field, or nil.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: CodeInvalid, Message: Msg("error.validation"), Fields: map[string]Message(f)}
}
