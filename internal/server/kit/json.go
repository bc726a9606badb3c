package kit

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
)

// decodeJSON reads the request body into v strictly: malformed JSON, a body
// that is not UTF-8 or an unknown field is a 400; a value of the wrong type
// or a text with a control character is a 422 naming its field. Every string
// that comes out is clean (domain.CleanText).
func DecodeJSON(c *fiber.Ctx, v any) error {
	if ct := c.Get(fiber.HeaderContentType); ct != "" && !isJSON(ct) {
		return domain.E(domain.CodeMediaType, "error.media_type")
	}
	body := c.Body()
	if len(bytes.TrimSpace(body)) == 0 {
		return domain.E(domain.CodeMalformed, "error.malformed_json")
	}
	if !utf8.Valid(body) { // the decoder would quietly turn bad bytes into U+FFFD
		return domain.E(domain.CodeMalformed, "error.body_not_utf8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if dec.Decode(&struct{}{}) != io.EOF {
			return domain.E(domain.CodeMalformed, "error.malformed_json")
		}
		fe := domain.FieldErrors{}
		CleanStrings(v, fe)
		return fe.Err()
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		field := typeErr.Field
		if i := strings.IndexByte(field, '.'); i > 0 {
			field = field[:i]
		}
		fe := domain.FieldErrors{}
		fe.Add(fieldName(field), "field.type", "@type."+jsonKind(typeErr.Type.Kind().String()))
		CleanStrings(v, fe)
		return fe.Err()
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name = fieldName(strings.Trim(name, `"`))
		de := domain.E(domain.CodeMalformed, "error.unknown_field", name)
		de.Fields = map[string]domain.Message{name: domain.Msg("error.unknown_field", name)}
		return de
	}
	return domain.E(domain.CodeMalformed, "error.malformed_json")
}

func jsonKind(goKind string) string {
	switch goKind {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64":
		return "number"
	case "slice", "array":
		return "array"
	case "bool":
		return "boolean"
	case "struct", "map":
		return "object"
	}
	return "string"
}

// withFieldsOf adds to a validation error the fields another one names
// (the first message for a field wins).
func WithFieldsOf(first *domain.Error, more error) error {
	if other, ok := domain.As(more); ok && other.Code == domain.CodeInvalid {
		for f, m := range other.Fields {
			if _, ok := first.Fields[f]; !ok {
				first.Fields[f] = m
			}
		}
	}
	return first
}

// isJSON tells a JSON media type (application/json, application/*+json),
// whatever its parameters.
func isJSON(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	return mt == fiber.MIMEApplicationJSON || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")
}
