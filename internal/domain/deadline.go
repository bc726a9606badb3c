package domain

import (
	"slices"
	"time"
)

// PendingDeadlines returns, of a subject's current deadlines, those not
// fired yet (their key is not in fired), earliest first: what the one
// deadline mechanism of every workflow waits for.
func PendingDeadlines(all []Deadline, fired []string) []Deadline {
	var out []Deadline
	for _, d := range all {
		if !slices.Contains(fired, d.Key) {
			out = append(out, d)
		}
	}
	slices.SortStableFunc(out, func(a, b Deadline) int { return a.At.Compare(b.At) })
	return out
}

// SameDeadlines tells whether two lists hold the same deadlines (key and time).
func SameDeadlines(a, b []Deadline) bool {
	return slices.EqualFunc(a, b, func(x, y Deadline) bool { return x.Key == y.Key && x.At.Equal(y.At) })
}

// Due returns those of pending whose moment has come.
func Due(pending []Deadline, now time.Time) []Deadline {
	var out []Deadline
	for _, d := range pending {
		if !d.At.After(now) {
			out = append(out, d)
		}
	}
	return out
}
