package i18n

// The input gate and the bounds of what a workflow keeps.
var enGate = map[string]string{
	"error.bad_path":          "The requested address contains invalid characters.",
	"error.body_not_utf8":     "The request body is not valid UTF-8.",
	"error.need_full":         "This project holds the most text it can keep: shorten your contribution or contact the officer in charge.",
	"error.save_refused":      "The database refused the change; nothing was modified. The technical team has been told.",
	"error.too_many_carriers": "This project already has %s carrier proposals, the maximum.",
	"error.too_many_supports": "This need already has %s supports, the maximum.",
	"field.not_utf8":          "The field “%s” contains bytes that are not valid UTF-8 text.",
	"field.control_char":      "The field “%s” contains a control character that is not allowed (only line breaks and tabs are).",
	"field.too_many_bytes":    "The field “%s” is larger than the maximum of %s bytes.",
	"field.header_ascii":      "The header “%s” must contain printable ASCII characters only.",
	"field.date_range":        "The field “%s” must be a date between %s and %s.",
	"field.number":            "The field “%s” must be a finite number.",
	"field.Idempotency-Key":   "Idempotency-Key",
}
