package domain

import (
	"strings"
	"time"
	_ "time/tzdata" // the region's time zone, whatever the machine has
)

// Every calendar day in Essor is a day in Europe/Paris, and this file is
// the one place that turns instants into days and days into instants.

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

// DayOf is the day in Paris at instant t ("" for the zero time).
func DayOf(t time.Time) Date {
	if t.IsZero() {
		return ""
	}
	return Date(t.In(Paris).Format(time.DateOnly))
}

// Today is the day in Paris at now: what "today" means in every rule.
func Today(now time.Time) Date { return DayOf(now) }

// ParseDate accepts a calendar day or an RFC 3339 time, whose day in Paris
// is kept (23:30 UTC on 1 March is 2 March in Paris).
func ParseDate(s string) (Date, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return Date(t.Format(time.DateOnly)), true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return DayOf(t), true
	}
	return "", false
}

// Time is the day as a civil date (midnight UTC): for arithmetic on days
// and for formats that carry no time zone (an all-day iCalendar event).
func (d Date) Time() time.Time {
	t, _ := time.Parse(time.DateOnly, string(d))
	return t
}

// Start is the first instant of the day in Paris.
func (d Date) Start() time.Time {
	t := d.Time()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, Paris).UTC()
}

// End is the first instant after the day in Paris: the moment a due date has passed.
func (d Date) End() time.Time {
	t := d.Time()
	return time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, Paris).UTC()
}

// AddDays is the day n days later (n may be negative).
func (d Date) AddDays(n int) Date {
	return Date(d.Time().AddDate(0, 0, n).Format(time.DateOnly))
}

// AddMonths is the same day n months later, clamped to the last day of
// that month: 31 May plus 9 months is the last day of February (29 in a
// leap year), never 2 or 3 March.
func (d Date) AddMonths(n int) Date {
	t := d.Time()
	first := time.Date(t.Year(), t.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return Date(time.Date(first.Year(), first.Month(), min(t.Day(), last), 0, 0, 0, 0, time.UTC).Format(time.DateOnly))
}

// addMonthsOverflow is Go's rule past a month's end (31 January plus one
// month is 3 March): study-actions started before AddMonths clamped keep
// it, so that their recorded deadlines replay as they ran.
func (d Date) addMonthsOverflow(n int) Date {
	return Date(d.Time().AddDate(0, n, 0).Format(time.DateOnly))
}

// Before compares two dates.
func (d Date) Before(o Date) bool { return d < o }

// DateBounds is the range of days Essor accepts, so that a typo such as
// 9999-12-31 is refused rather than scheduling a deadline for ever: from
// 2000 (older records are not this plan's) to the end of 2100.
func DateBounds(time.Time) (lo, hi Date) { return "2000-01-01", "2100-12-31" }
