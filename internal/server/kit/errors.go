package kit

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/storage"
)

// statusOf maps each domain code to its one HTTP status.
var StatusOf = map[domain.Code]int{
	domain.CodeMalformed:       http.StatusBadRequest,
	domain.CodeUnauthenticated: http.StatusUnauthorized,
	domain.CodeForbidden:       http.StatusForbidden,
	domain.CodeNotFound:        http.StatusNotFound,
	domain.CodeStage:           http.StatusConflict,
	domain.CodeConflict:        http.StatusConflict,
	domain.CodeGone:            http.StatusGone,
	domain.CodeTooLarge:        http.StatusRequestEntityTooLarge,
	domain.CodeMediaType:       http.StatusUnsupportedMediaType,
	domain.CodeInvalid:         http.StatusUnprocessableEntity,
	domain.CodeRateLimited:     http.StatusTooManyRequests,
	domain.CodeUnavailable:     http.StatusServiceUnavailable,
	domain.CodeInternal:        http.StatusInternalServerError,
}

// errorBody is the one shape of every API error.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// classify turns any error into a domain error and its status; anything
// unexpected becomes a 500 whose cause is logged, never shown.
func classify(err error) (*domain.Error, int, bool) {
	if de, ok := domain.As(err); ok {
		return de, StatusOf[de.Code], de.Code == domain.CodeInternal || de.Code == domain.CodeUnavailable
	}
	// Fiber's own errors, and fasthttp's before any handler ran (mapped by
	// Fiber's serverErrorHandler): each 4xx keeps its status, with a French
	// message of ours (theirs are English and may quote the request).
	var fe *fiber.Error
	if errors.As(err, &fe) && fe.Code >= 400 && fe.Code < 500 {
		switch fe.Code {
		case http.StatusNotFound:
			return domain.E(domain.CodeNotFound, "error.page_not_found"), fe.Code, false
		case http.StatusMethodNotAllowed:
			return domain.E("method_not_allowed", "error.method"), fe.Code, false
		case http.StatusRequestEntityTooLarge:
			return domain.E(domain.CodeTooLarge, "error.too_large"), fe.Code, false
		case http.StatusRequestHeaderFieldsTooLarge:
			return domain.E("request_header_too_large", "error.header_too_large", strconv.Itoa(HeaderLimit>>10)), fe.Code, false
		case http.StatusRequestTimeout:
			return domain.E("request_timeout", "error.request_timeout"), fe.Code, false
		default:
			return domain.E(domain.CodeMalformed, "error.bad_request"), fe.Code, false
		}
	}
	// PostgreSQL away (or the request's time spent waiting for it): a 503
	// with Retry-After, the same request may succeed in a moment.
	if storage.IsUnavailable(err) || errors.Is(err, context.DeadlineExceeded) {
		return domain.E(domain.CodeUnavailable, "error.unavailable"), http.StatusServiceUnavailable, true
	}
	if errors.Is(err, storage.ErrBadCursor) {
		fe := domain.FieldErrors{}
		fe.Add("cursor", "field.cursor_invalid")
		de, _ := domain.As(fe.Err())
		return de, http.StatusUnprocessableEntity, false
	}
	return domain.E(domain.CodeInternal, "error.internal"), http.StatusInternalServerError, true
}

// errorHandler is the one place where errors become responses: JSON for the
// API, an HTML page for the web pages.
func (s *Kit) ErrorHandler(c *fiber.Ctx, err error) error {
	de, status, logIt := classify(err)
	if logIt {
		s.Log.Error("request failed", "method", c.Method(), "path", LogPath(c), "status", status,
			"request_id", RequestID(c), "error", err)
	}
	SetRetryAfter(c, de, status)
	if wantsHTML(c) {
		return s.renderError(c, status, de)
	}
	lang := LangOf(c)
	body := errorBody{Error: errorDetail{Code: string(de.Code), Message: i18n.M(lang, de.Message)}}
	if len(de.Fields) > 0 {
		body.Error.Fields = make(map[string]string, len(de.Fields))
		for f, m := range de.Fields {
			body.Error.Fields[f] = i18n.M(lang, m)
		}
	}
	return c.Status(status).JSON(body)
}

// setRetryAfter tells the client when to try again: the error's own delay
// (whole seconds, at least one), else 2 s for a 503 and 60 s for a 429.
func SetRetryAfter(c *fiber.Ctx, de *domain.Error, status int) {
	switch {
	case de.RetryAfter > 0:
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(max(1, (de.RetryAfter+time.Second-1)/time.Second))))
	case status == http.StatusServiceUnavailable:
		c.Set(fiber.HeaderRetryAfter, "2")
	case status == http.StatusTooManyRequests:
		c.Set(fiber.HeaderRetryAfter, "60")
	}
}

// logLevelFor logs server errors as errors; a client's mistake is routine.
func LogLevelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelInfo
}
