package storage

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"

	"essor/internal/domain"
)

// ErrBadCursor is returned for a cursor this server did not make.
var ErrBadCursor = errors.New("bad cursor")

// DefaultPageSize is a list's page when the caller names none.
const DefaultPageSize = 50

// conds gathers a list query's conditions and their numbered arguments.
type conds struct {
	where []string
	args  []any
}

func newConds(args ...any) *conds { return &conds{args: args} }

// arg adds an argument and returns its placeholder.
func (c *conds) arg(v any) string {
	c.args = append(c.args, v)
	return "$" + strconv.Itoa(len(c.args))
}

func (c *conds) add(cond string) { c.where = append(c.where, cond) }

// sql is the conditions joined ("TRUE" when there are none).
func (c *conds) sql() string {
	if len(c.where) == 0 {
		return "TRUE"
	}
	return strings.Join(c.where, " AND ")
}

// after adds the condition of a newest-first page that follows cursor, on
// the columns at and id ("" is the first page).
func (c *conds) after(cursor, at, id string) error { return c.keyset(cursor, at, id, "<") }

// afterAsc is after for an oldest-first page.
func (c *conds) afterAsc(cursor, at, id string) error { return c.keyset(cursor, at, id, ">") }

func (c *conds) keyset(cursor, at, id, op string) error {
	if cursor == "" {
		return nil
	}
	t, i, err := decodeCursor(cursor)
	if err != nil {
		return err
	}
	c.add("(" + at + ", " + id + ") " + op + " (" + c.arg(t) + ", " + c.arg(i) + "::uuid)")
	return nil
}

// newestFirst orders a page on (at, id) and reads one row more than the
// page, which tells whether another follows.
func newestFirst(at, id string, limit int) string {
	return " ORDER BY " + at + " DESC, " + id + " DESC LIMIT " + strconv.Itoa(pageSize(limit)+1)
}

// oldestFirst is newestFirst the other way.
func oldestFirst(at, id string, limit int) string {
	return " ORDER BY " + at + ", " + id + " LIMIT " + strconv.Itoa(pageSize(limit)+1)
}

func pageSize(limit int) int {
	if limit <= 0 {
		return DefaultPageSize
	}
	return limit
}

// cut trims a page read with one row more and names the next page's cursor
// ("" at the end) from its last row's (at, id).
func cut[T any](list []T, limit int, key func(T) (time.Time, string)) ([]T, string) {
	limit = pageSize(limit)
	if len(list) <= limit {
		return list, ""
	}
	list = list[:limit]
	at, id := key(list[limit-1])
	return list, encodeCursor(at, id)
}

func encodeCursor(at time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(at.UTC().Format(time.RFC3339Nano) + "|" + id))
}

func decodeCursor(c string) (time.Time, string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return time.Time{}, "", ErrBadCursor
	}
	ts, id, ok := strings.Cut(string(b), "|")
	at, err := time.Parse(time.RFC3339Nano, ts)
	if !ok || err != nil || !domain.IsUUID(id) {
		return time.Time{}, "", ErrBadCursor
	}
	return at, id, nil
}
