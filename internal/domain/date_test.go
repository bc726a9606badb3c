package domain

import (
	"testing"
	"time"
)

func TestAddMonthsClampsToTheMonthsLastDay(t *testing.T) {
	for _, c := range []struct {
		from Date
		n    int
		want Date
	}{
		{"2027-05-31", 9, "2028-02-29"}, // leap year
		{"2026-05-31", 9, "2027-02-28"},
		{"2026-08-31", 6, "2027-02-28"},
		{"2027-08-31", 6, "2028-02-29"},
		{"2026-01-31", 1, "2026-02-28"},
		{"2026-03-31", 1, "2026-04-30"},
		{"2026-01-30", 1, "2026-02-28"},
		{"2026-01-15", 1, "2026-02-15"},
		{"2026-11-30", 3, "2027-02-28"},
		{"2026-12-31", 2, "2027-02-28"},
		{"2026-10-31", 0, "2026-10-31"},
		{"2026-03-31", -1, "2026-02-28"},
		{"2026-05-31", 12, "2027-05-31"},
	} {
		if got := c.from.AddMonths(c.n); got != c.want {
			t.Errorf("%s + %d months = %s, want %s", c.from, c.n, got, c.want)
		}
	}
	if got := Date("2026-05-31").addMonthsOverflow(9); got != "2027-03-03" {
		t.Errorf("the old rule: %s", got)
	}
}

func TestDaysAreParisDays(t *testing.T) {
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		at   string
		want Date
	}{
		{"2026-12-01T23:30:00Z", "2026-12-02"}, // 00:30 in Paris (winter, UTC+1)
		{"2026-12-01T22:59:59Z", "2026-12-01"},
		{"2026-12-01T23:00:00Z", "2026-12-02"},
		{"2026-06-30T22:30:00Z", "2026-07-01"}, // 00:30 in Paris (summer, UTC+2)
		{"2026-06-30T21:59:59Z", "2026-06-30"},
		{"2026-12-31T23:30:00Z", "2027-01-01"}, // a measure at 00:30 on 1 January
		// daylight saving: Sunday 29 March 2026 02:00 → 03:00, Sunday 25 October 2026 03:00 → 02:00
		{"2026-03-28T23:00:00Z", "2026-03-29"},
		{"2026-03-29T21:59:59Z", "2026-03-29"},
		{"2026-03-29T22:00:00Z", "2026-03-30"},
		{"2026-10-24T22:00:00Z", "2026-10-25"},
		{"2026-10-25T22:59:59Z", "2026-10-25"},
		{"2026-10-25T23:00:00Z", "2026-10-26"},
	} {
		if got := DayOf(utc(c.at)); got != c.want {
			t.Errorf("DayOf(%s) = %s, want %s", c.at, got, c.want)
		}
		if got, ok := ParseDate(c.at); !ok || got != c.want {
			t.Errorf("ParseDate(%s) = %s, want %s", c.at, got, c.want)
		}
	}
	if got, _ := ParseDate("2026-12-01T20:30:00-05:00"); got != "2026-12-02" {
		t.Errorf("an offset time late in the evening: %s", got)
	}
	if DayOf(time.Time{}) != "" {
		t.Error("the zero time has no day")
	}
	// A day's bounds in Paris, across both changes of time.
	for _, c := range []struct {
		d          Date
		start, end string
		hours      float64
	}{
		{"2026-03-29", "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z", 23},
		{"2026-10-25", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z", 25},
		{"2026-12-02", "2026-12-01T23:00:00Z", "2026-12-02T23:00:00Z", 24},
	} {
		if !c.d.Start().Equal(utc(c.start)) || !c.d.End().Equal(utc(c.end)) || c.d.End().Sub(c.d.Start()).Hours() != c.hours {
			t.Errorf("%s: %s – %s", c.d, c.d.Start(), c.d.End())
		}
		if DayOf(c.d.Start()) != c.d || DayOf(c.d.End().Add(-time.Nanosecond)) != c.d || DayOf(c.d.End()) != c.d.AddDays(1) {
			t.Errorf("%s: its bounds are not its own", c.d)
		}
	}
}

// TestRulesTakeTodayInParis: at 00:30 in Paris, "today" is already the new day.
func TestRulesTakeTodayInParis(t *testing.T) {
	halfPastMidnight := time.Date(2026, 12, 2, 0, 30, 0, 0, Paris) // 23:30 UTC on 1 December
	officerOf := Caller{UserID: "00000000-0000-0000-0000-0000000000c3", Name: "Olivier", Roles: []Role{RoleOfficer}}

	t.Run("a due date of yesterday is refused", func(t *testing.T) {
		n := needIn(StageQualified)
		cmd := NeedCommand{NeedInput: NeedInput{Action: ActionStartStudy, DueDate: "2026-12-01"}, Caller: officerOf}
		if de, ok := As(n.Validate(&cmd, halfPastMidnight, allRef{})); !ok || de.Fields["due_date"].Key != "field.date_past" {
			t.Fatalf("yesterday's due date: %v", de)
		}
		cmd.DueDate = "2026-12-02"
		if err := n.Validate(&cmd, halfPastMidnight, allRef{}); err != nil {
			t.Fatalf("today's due date: %v", err)
		}
	})

	t.Run("back to study gets its default due date from today in Paris", func(t *testing.T) {
		for _, now := range []time.Time{halfPastMidnight, time.Date(2026, 12, 2, 23, 30, 0, 0, Paris), time.Date(2026, 3, 1, 23, 30, 0, 0, Paris)} {
			n := needIn(StageCommittee)
			n.Ballots[0].Quorum = 1
			cmd := NeedCommand{NeedInput: NeedInput{Action: ActionVote, Decision: DecisionBackToStudy}, Caller: Caller{UserID: "00000000-0000-0000-0000-0000000000d1", Name: "C", Roles: []Role{RoleCommittee}}, Quorum: 1}
			n.Apply(cmd, now, 90*24*time.Hour)
			if want := DayOf(now).AddDays(90); n.Stage != StageFeasibility || n.Study.DueDate != want {
				t.Fatalf("at %s: stage %s, due %s, want %s", now, n.Stage, n.Study.DueDate, want)
			}
		}
	})

	t.Run("a measure at 00:30 on 1 January is dated 1 January", func(t *testing.T) {
		n := needIn(StagePilot)
		v := 3.0
		cmd := NeedCommand{NeedInput: NeedInput{Action: ActionRecordIndicator, Key: "families", Value: &v}, Caller: officerOf}
		newYear := time.Date(2027, 1, 1, 0, 30, 0, 0, Paris)
		if err := n.Validate(&cmd, newYear, allRef{}); err != nil {
			t.Fatal(err)
		}
		n.Apply(cmd, newYear, 0)
		if got := n.Pilot.Measures[len(n.Pilot.Measures)-1].At; got != "2027-01-01" {
			t.Fatalf("measure dated %s", got)
		}
	})
}

func TestStudyActionMonthsClamp(t *testing.T) {
	for _, c := range []struct {
		start  Date
		months int
		end    Date
	}{
		{"2027-05-31", 9, "2028-02-29"},
		{"2026-05-31", 9, "2027-02-28"},
		{"2026-08-31", 6, "2027-02-28"},
		{"2026-11-02", 6, "2027-05-02"},
	} {
		s := studyIn(StageStudy)
		s.Carrier.StartDate, s.Months = c.start, c.months
		if got := s.EndDate(); got != c.end {
			t.Errorf("%d months from %s end on %s, want %s", c.months, c.start, got, c.end)
		}
		var end Deadline
		for _, d := range s.Deadlines(DefaultStudyActionPolicy) {
			if d.Kind == KindStudyEnd {
				end = d
			}
		}
		if !end.At.Equal(c.end.End()) && !end.At.Equal(c.end.Start()) {
			t.Errorf("the end deadline of %s + %d is at %s", c.start, c.months, end.At)
		}
	}
	s := studyIn(StageStudy)
	s.Carrier.StartDate = "2026-08-31"
	if got := []Date{s.MonthStart(1), s.MonthStart(2), s.MonthStart(6), s.MonthStart(7)}; got[0] != "2026-08-31" || got[1] != "2026-09-30" ||
		got[2] != "2027-01-31" || got[3] != "2027-02-28" {
		t.Errorf("month starts %v", got)
	}
	// A study-action applied for before months clamped keeps Go's rule, as its workflow ran.
	s.MonthRule = 0
	s.Carrier.StartDate, s.Months = "2026-05-31", 9
	if got := s.EndDate(); got != "2027-03-03" {
		t.Errorf("the old rule's end: %s", got)
	}
}
