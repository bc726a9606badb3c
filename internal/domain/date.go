package domain

import (
	"strings"
	"time"
	_ "time/tzdata" // the region's time zone, whatever the machine has
)

// Paris is the region's time zone: a date's day ends at midnight there.
var Paris = mustLocation("Europe/Paris")

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// Date is a calendar day, "2006-01-02", as dates travel in the API.
type Date string

// ParseDate accepts a calendar day or an RFC 3339 time (its day is kept).
func ParseDate(s string) (Date, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return Date(t.Format(time.DateOnly)), true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return Date(t.Format(time.DateOnly)), true
	}
	return "", false
}

// Time is the start of the day, UTC.
func (d Date) Time() time.Time {
	t, _ := time.Parse(time.DateOnly, string(d))
	return t
}

// End is the first instant after the day in Paris: the moment a due date has passed.
func (d Date) End() time.Time {
	t := d.Time()
	return time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, Paris).UTC()
}

// Before compares two dates.
func (d Date) Before(o Date) bool { return d < o }

// DateBounds is the range of days Essor accepts, so that a typo such as
// 9999-12-31 is refused rather than scheduling a deadline for ever: from
// 2000 (older records are not this plan's) to the end of 2100.
func DateBounds(time.Time) (lo, hi Date) { return "2000-01-01", "2100-12-31" }
