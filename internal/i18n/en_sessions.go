package i18n

// The steering committee's sessions: agenda, convening, attendance and
// quorum, decisions in session.
var enSessions = map[string]string{
	"field.starts_at":          "date and time",
	"field.attendance":         "attendance",
	"field.votes":              "votes",
	"field.conflicts":          "members who left the room",
	"field.conditions":         "conditions",
	"field.n":                  "agenda item",
	"field.report":             "report",
	"field.subject":            "programme",
	"field.id":                 "file",
	"field.attendance_member":  "The “%s” field must name committee members, each once.",
	"field.attendance_proxy":   "The “%s” field: a represented member must be represented by another committee member.",
	"field.agenda_item":        "The “%s” field names no agenda item.",
	"field.item_decided":       "The “%s” field names an item already decided.",
	"field.session_budget":     "The “%s” field goes with an approval: a positive amount in euros.",
	"field.session_conditions": "The “%s” field goes with an approval.",
	"field.session_votes":      "The “%s” field must count the votes for, against and abstaining (positive integers).",
	"field.not_open_decision":  "The “%s” field must name a file awaiting a committee decision.",
	"error.item_on_agenda":     "This file is on this session's agenda already.",
	"error.item_on_session":    "This file is on another session's agenda already: one session at a time.",
	"error.item_not_open":      "The decision on this file is not open any more: it was taken meanwhile.",
	"error.agenda_full":        "The agenda has %s items already.",
	"error.session_no_quorum":  "No quorum: %s institutions present or represented, %s needed.",

	"action.add_item":    "File put on the agenda",
	"action.convene":     "Session convened",
	"action.decide_item": "Item decided in session",
	"action.remind":      "Session reminder",

	"notify.kind.session_convened":  "A committee session is convened",
	"notify.kind.session_reminder":  "A reminder the day before a committee session",
	"mail.subject.session_convened": "Convened: “%s”",
	"mail.subject.session_reminder": "Tomorrow: “%s”",
	"mail.line.session_convened":    "You are convened to the session “%s” on %s (%s).",
	"mail.line.session_reminder":    "Reminder: the session “%s” is tomorrow, %s (%s).",
}
