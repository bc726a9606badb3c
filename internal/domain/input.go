package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"golang.org/x/text/unicode/norm"
)

// MaxTextBytes bounds any one text that enters Essor, whatever its field:
// the longest field (10,000 characters) fits, and nothing larger can reach a
// workflow's state.
const MaxTextBytes = 64 << 10

// TextProblem says why a text was refused ("" when it is fine); each value
// is a catalogue key naming the fault for the person who sent it.
type TextProblem string

const (
	TextOK        TextProblem = ""
	TextNotUTF8   TextProblem = "field.not_utf8"
	TextControl   TextProblem = "field.control_char"
	TextTooLarge  TextProblem = "field.too_many_bytes"
	textMaxNotice             = "65536"
)

// CleanText is the one gate for text that enters: it refuses invalid UTF-8,
// control characters other than newline and tab, and texts over
// MaxTextBytes; it turns CRLF line ends (what browsers send) into LF and
// normalises to NFC so that search and duplicate detection see one spelling.
func CleanText(s string) (string, TextProblem) {
	if len(s) > MaxTextBytes {
		return s, TextTooLarge
	}
	if !utf8.ValidString(s) {
		return s, TextNotUTF8
	}
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	for _, r := range s {
		if r != '\n' && r != '\t' && unicode.IsControl(r) {
			return s, TextControl
		}
	}
	if !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
		if len(s) > MaxTextBytes {
			return s, TextTooLarge
		}
	}
	return s, TextOK
}

// AddTextProblem records a refused text on its field.
func (f FieldErrors) AddTextProblem(field string, p TextProblem) {
	if p == TextTooLarge {
		f.Add(field, string(p), textMaxNotice)
		return
	}
	f.Add(field, string(p))
}

// ParseID reads an id in its canonical form (lower-case, hyphenated), so
// that two spellings of one UUID compare equal everywhere.
func ParseID(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) != 36 {
		return "", false
	}
	u, err := uuid.Parse(s)
	if err != nil {
		return "", false
	}
	return u.String(), true
}
