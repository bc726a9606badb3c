// Package ical writes the committee sessions' invitations as iCalendar
// files (golang-ical), for the pages and the convening e-mails.
package ical

import (
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"essor/internal/domain"
)

// SessionLength is how long a session is booked in calendars.
const SessionLength = 3 * time.Hour

// Invitation is a session as an iCalendar file for the members' calendars
// (written by golang-ical: folding and escaping are the format's, not ours).
// A later version of the same session replaces it (same UID, a higher
// SEQUENCE).
func Invitation(s domain.Session, link string) string {
	cal := ics.NewCalendar()
	cal.SetProductId("-//Essor//Comité de pilotage//FR")
	cal.SetMethod(ics.MethodPublish)
	ev := cal.AddEvent(s.ID + "@essor.session")
	ev.SetDtStampTime(s.UpdatedAt.UTC())
	ev.SetSequence(int(s.Version))
	ev.SetStartAt(s.StartsAt.UTC())
	ev.SetEndAt(s.StartsAt.Add(SessionLength).UTC())
	ev.SetSummary(s.Title)
	ev.SetLocation(s.Place)
	var agenda []string
	for _, it := range s.Agenda {
		agenda = append(agenda, strconv.Itoa(it.N)+". "+it.Title)
	}
	ev.SetDescription(strings.Join(agenda, "\n"))
	ev.SetURL(link)
	return cal.Serialize()
}
