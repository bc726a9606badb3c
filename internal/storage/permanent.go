package storage

import (
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
)

// Permanent tells whether the database refused a write for reasons a retry
// cannot change: the data itself is wrong for it (SQLSTATE class 22, data
// exception, such as a NUL byte in a text; class 23, an integrity rule;
// class 54, a limit such as an index row too large) or cannot be encoded.
// Connection losses, time-outs and serialisation conflicts are not.
func Permanent(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && len(pgErr.Code) == 5 {
		switch pgErr.Code[:2] {
		case "22", "23", "54":
			return true
		}
	}
	var unsupported *json.UnsupportedValueError
	var unsupportedType *json.UnsupportedTypeError
	return errors.As(err, &unsupported) || errors.As(err, &unsupportedType)
}
