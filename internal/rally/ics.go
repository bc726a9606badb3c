package rally

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"essor/internal/domain"
	"essor/internal/storage"
)

// CalendarEvent is one event of a round's calendar.
type CalendarEvent struct {
	UID      string
	Summary  string
	Location string
	Text     string
	Start    time.Time
	End      time.Time
	AllDay   bool // Start and End are days in Paris (End excluded)
}

// Calendar writes a round's phases and stages as an iCalendar file (RFC
// 5545): CRLF line ends, lines folded at 75 octets, text escaped. UIDs are
// stable (phase-<phase>@<round-id>.essor, stage-<stage-id>@<round-id>.essor)
// and SEQUENCE is the round's version, so importing it again updates the
// events instead of duplicating them. phaseLabel and entryTitle name things
// in the reader's language.
func Calendar(r storage.RoundRow, phaseLabel func(domain.Phase) string, stageSummary func(place string) string, entryTitle map[string]string) []byte {
	var evs []CalendarEvent
	for _, sp := range r.Phases {
		ev := CalendarEvent{UID: "phase-" + string(sp.Phase) + "@" + r.ID + ".essor", Summary: r.Title + " — " + phaseLabel(sp.Phase),
			Start: sp.StartsAt, End: sp.EndsAt}
		ev.AllDay = midnightInParis(sp.StartsAt) && midnightInParis(sp.EndsAt)
		evs = append(evs, ev)
	}
	for _, st := range r.Stages {
		var titles []string
		for _, id := range st.EntryIDs {
			if t := entryTitle[id]; t != "" {
				titles = append(titles, t)
			}
		}
		day := st.Date.Time()
		evs = append(evs, CalendarEvent{UID: "stage-" + st.ID + "@" + r.ID + ".essor", Summary: r.Title + " — " + stageSummary(st.Place),
			Location: st.Place, Text: strings.Join(titles, "\n"), Start: day, End: day.AddDate(0, 0, 1), AllDay: true})
	}
	var b strings.Builder
	line := func(s string) { b.WriteString(fold(s)) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Essor//Rally'nov//FR")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	line("X-WR-CALNAME:" + escapeText(r.Title))
	stamp := r.UpdatedAt.UTC().Format("20060102T150405Z")
	for _, ev := range evs {
		line("BEGIN:VEVENT")
		line("UID:" + ev.UID)
		line("DTSTAMP:" + stamp)
		line("SEQUENCE:" + strconv.FormatInt(r.Version, 10))
		if ev.AllDay {
			line("DTSTART;VALUE=DATE:" + ev.Start.In(domain.Paris).Format("20060102"))
			line("DTEND;VALUE=DATE:" + ev.End.In(domain.Paris).Format("20060102"))
		} else {
			line("DTSTART:" + ev.Start.UTC().Format("20060102T150405Z"))
			line("DTEND:" + ev.End.UTC().Format("20060102T150405Z"))
		}
		line("SUMMARY:" + escapeText(ev.Summary))
		if ev.Location != "" {
			line("LOCATION:" + escapeText(ev.Location))
		}
		if ev.Text != "" {
			line("DESCRIPTION:" + escapeText(ev.Text))
		}
		line("TRANSP:TRANSPARENT")
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return []byte(b.String())
}

func midnightInParis(t time.Time) bool {
	p := t.In(domain.Paris)
	return p.Hour() == 0 && p.Minute() == 0 && p.Second() == 0 && p.Nanosecond() == 0
}

// escapeText escapes a TEXT value: backslash, semicolon, comma and newlines.
func escapeText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// fold ends a content line with CRLF, folding it into lines of at most 75
// octets (continuations start with a space), never inside a UTF-8 character.
func fold(s string) string {
	var b strings.Builder
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
	return b.String()
}
