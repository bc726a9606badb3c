package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// The steering committee's sessions (api.md "Committee: institutions,
// sessions, minutes"): an officer plans one, puts open decisions on its
// agenda, convenes the members, opens it with the attendance (a quorum of
// institutions), decides each item in session and closes it.

// Stages of a session (open and closed are the calls' words too).
const (
	StagePlanned  Stage = "planned"
	StageConvened Stage = "convened"
)

// SessionStages lists a session's stages in order.
var SessionStages = []Stage{StagePlanned, StageConvened, StageOpen, StageClosed}

// Actions of a session.
const (
	ActionAddItem      Action = "add_item"
	ActionConvene      Action = "convene"
	ActionOpenSession  Action = "open"
	ActionDecideItem   Action = "decide_item"
	ActionCloseSession Action = "close"
	// ActionApproveMinutes approves, in session, a closed session's minutes.
	ActionApproveMinutes Action = "approve_minutes"
	// ActionRemindSession is the system's reminder the day before.
	ActionRemindSession Action = "remind"
)

// SessionTable is a session's life: every stage rule lives here.
var SessionTable = StageRules{
	ActionAddItem:        {roles: []Role{RoleOfficer, RoleAdmin}, from: []Stage{StagePlanned, StageConvened}},
	ActionConvene:        {roles: []Role{RoleOfficer, RoleAdmin}, from: []Stage{StagePlanned}, to: StageConvened},
	ActionOpenSession:    {roles: []Role{RoleOfficer, RoleAdmin}, from: []Stage{StageConvened}, to: StageOpen},
	ActionDecideItem:     {roles: []Role{RoleOfficer, RoleAdmin}, from: []Stage{StageOpen}},
	ActionCloseSession:   {roles: []Role{RoleOfficer, RoleAdmin}, from: []Stage{StageOpen}, to: StageClosed},
	ActionApproveMinutes: {roles: []Role{RoleOfficer, RoleAdmin}, from: []Stage{StageOpen}},
}

// SessionDecisions are what a session decides on an item; adjourn leaves
// the subject's decision open for a later session.
var SessionDecisions = []string{"approve", "reject", "back_to_study", "adjourn"}

// Attendance statuses.
var AttendanceStatuses = []string{"present", "excused", "represented"}

// Bounds of a session's texts and lists.
var SessionTexts = map[string]TextBounds{"title": {3, 200}, "place": {2, 500}, "report": {2, 10000},
	"conditions": {2, 5000}, "reason": {5, 2000}, "comment": {2, 5000}}

const (
	MaxAgendaItems = 200
	MaxAttendance  = 200
)

// KindSessionReminder is the reminder the day before a convened session.
const KindSessionReminder = "session_reminder"

// SessionDraft is what an officer plans.
type SessionDraft struct {
	Title    string `json:"title"`
	StartsAt string `json:"starts_at"` // RFC 3339
	Place    string `json:"place"`
}

// Session is the whole state of one committee session; its workflow owns it.
type Session struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	StartsAt  time.Time  `json:"starts_at"`
	Place     string     `json:"place"`
	CreatedBy OfficerRef `json:"created_by"`
	Tracked
	Agenda     []AgendaItem `json:"agenda"`
	Attendance []Attendee   `json:"attendance,omitempty"`
	// Quorum and Present count institutions (voices) when it opened.
	Quorum   int      `json:"quorum,omitempty"`
	Present  int      `json:"present,omitempty"`
	Reminded []string `json:"reminded,omitempty"`
	// MinutesApproved are the earlier sessions whose minutes this one approved.
	MinutesApproved []string `json:"minutes_approved,omitempty"`
}

// AgendaItem is one open decision on the agenda, and what the session decided.
type AgendaItem struct {
	N         int           `json:"n"`
	Subject   Subject       `json:"subject"`
	SubjectID string        `json:"id"`
	Title     string        `json:"title"`
	Report    string        `json:"report,omitempty"`
	Decision  *ItemDecision `json:"decision,omitempty"`
}

// ItemDecision is a session's decision on an item.
type ItemDecision struct {
	Decision   string    `json:"decision"`
	BudgetEUR  *float64  `json:"budget_eur,omitempty"`
	Conditions string    `json:"conditions,omitempty"`
	Reason     string    `json:"reason,omitempty"`
	Votes      VoteCount `json:"votes"`
	Conflicts  []string  `json:"conflicts,omitempty"`
	At         time.Time `json:"at"`
}

// VoteCount is the votes counted in session.
type VoteCount struct {
	For     *int `json:"for"`
	Against *int `json:"against"`
	Abstain *int `json:"abstain"`
}

// Attendee is a member's attendance.
type Attendee struct {
	UserID      string `json:"user_id"`
	Name        string `json:"name,omitempty"`
	Institution string `json:"institution,omitempty"`
	Status      string `json:"status"`
	ProxyID     string `json:"proxy_id,omitempty"`
}

// SessionInput is the body of a session's actions.
type SessionInput struct {
	Action     Action     `json:"action"`
	Subject    Subject    `json:"subject,omitempty"`
	SubjectID  string     `json:"id,omitempty"`
	Report     string     `json:"report,omitempty"`
	Attendance []Attendee `json:"attendance,omitempty"`
	N          int        `json:"n,omitempty"`
	Decision   string     `json:"decision,omitempty"`
	BudgetEUR  *float64   `json:"budget_eur,omitempty"`
	Conditions string     `json:"conditions,omitempty"`
	Reason     string     `json:"reason,omitempty"`
	Votes      *VoteCount `json:"votes,omitempty"`
	Conflicts  []string   `json:"conflicts,omitempty"`
	Comment    string     `json:"comment,omitempty"`
	// MinutesOf is the closed session whose minutes approve_minutes approves.
	MinutesOf string `json:"minutes_of,omitempty"`
}

// SessionCommand is an action with who asks for it and what the service
// looked up: the item's title, the committee's members (with their
// institutions and names).
type SessionCommand struct {
	SessionInput
	Caller  Caller   `json:"caller"`
	Title   string   `json:"title,omitempty"`
	Members []Member `json:"members,omitempty"`
	Names   []string `json:"names,omitempty"` // Members' names, in order
}

// NewSession plans a session.
func NewSession(id string, d SessionDraft, by Caller, now time.Time) (*Session, Event, error) {
	fe := FieldErrors{}
	checkText(fe, "title", &d.Title, true, SessionTexts["title"].Min, SessionTexts["title"].Max)
	checkText(fe, "place", &d.Place, true, SessionTexts["place"].Min, SessionTexts["place"].Max)
	at, err := time.Parse(time.RFC3339, strings.TrimSpace(d.StartsAt))
	switch {
	case strings.TrimSpace(d.StartsAt) == "":
		fe.Add("starts_at", "field.required")
	case err != nil:
		fe.Add("starts_at", "field.datetime")
	case !at.After(now):
		fe.Add("starts_at", "field.date_past")
	default:
		if _, hi := DateBounds(now); at.After(hi.End()) { // the same horizon as every date of Essor
			fe.Add("starts_at", "field.date_range", string(Today(now)), string(hi))
		}
	}
	if err := fe.Err(); err != nil {
		return nil, Event{}, err
	}
	s := &Session{ID: id, Title: d.Title, StartsAt: at.UTC(), Place: d.Place, CreatedBy: OfficerRef{ID: by.UserID, Name: by.Name},
		Tracked: Tracked{CreatedAt: now, UpdatedAt: now, Stage: StagePlanned, StageEnteredAt: now}, Agenda: []AgendaItem{}}
	ev := s.record(by, ActionCreateCall, StagePlanned, "", now)
	ev.Data = map[string]string{"starts_at": s.StartsAt.Format(time.RFC3339)}
	return s, ev, nil
}

// Item returns the item numbered n, or nil.
func (s *Session) Item(n int) *AgendaItem {
	if n < 1 || n > len(s.Agenda) {
		return nil
	}
	return &s.Agenda[n-1]
}

// Authorize checks that the caller may take the action now (role, stage).
func (s *Session) Authorize(cmd SessionCommand) error {
	return Permit(SessionTable, cmd.Action, cmd.Caller, s.Stage)
}

// Validate checks the action's own fields against the session.
func (s *Session) Validate(cmd *SessionCommand) error {
	in := &cmd.SessionInput
	fe := FieldErrors{}
	text := func(field string, v *string, required bool) {
		b := SessionTexts[field]
		checkText(fe, field, v, required, b.Min, b.Max)
	}
	text("comment", &in.Comment, false)
	switch cmd.Action {
	case ActionAddItem:
		text("report", &in.Report, false)
		in.SubjectID = strings.ToLower(strings.TrimSpace(in.SubjectID))
		switch {
		case !slices.Contains(Subjects, in.Subject):
			fe.Add("subject", "field.oneof", joinSubjects())
		case !IsUUID(in.SubjectID):
			fe.Add("id", "field.uuid")
		case slices.ContainsFunc(s.Agenda, func(a AgendaItem) bool { return a.SubjectID == in.SubjectID }):
			return E(CodeConflict, "error.item_on_agenda")
		case len(s.Agenda) >= MaxAgendaItems:
			return E(CodeConflict, "error.agenda_full", strconv.Itoa(MaxAgendaItems))
		}
	case ActionOpenSession:
		s.validateAttendance(cmd, fe)
		if len(fe) == 0 {
			if present, quorum := s.count(cmd); present < quorum {
				return E(CodeStage, "error.session_no_quorum", strconv.Itoa(present), strconv.Itoa(quorum))
			}
		}
	case ActionDecideItem:
		s.validateDecision(cmd, fe)
	case ActionApproveMinutes:
		in.MinutesOf = strings.ToLower(strings.TrimSpace(in.MinutesOf))
		switch {
		case !IsUUID(in.MinutesOf):
			fe.Add("minutes_of", "field.uuid")
		case in.MinutesOf == s.ID || slices.Contains(s.MinutesApproved, in.MinutesOf):
			return E(CodeConflict, "error.minutes_approved")
		}
	}
	return fe.Err()
}

func joinSubjects() string {
	var out []string
	for _, s := range Subjects {
		out = append(out, string(s))
	}
	return strings.Join(out, ", ")
}

func (s *Session) validateAttendance(cmd *SessionCommand, fe FieldErrors) {
	in := &cmd.SessionInput
	member := func(id string) bool {
		return slices.ContainsFunc(cmd.Members, func(m Member) bool { return m.ID == id })
	}
	switch {
	case len(in.Attendance) == 0:
		fe.Add("attendance", "field.required")
		return
	case len(in.Attendance) > MaxAttendance:
		fe.Add("attendance", "field.max_items", strconv.Itoa(MaxAttendance))
		return
	}
	seen := map[string]bool{}
	for i := range in.Attendance {
		a := &in.Attendance[i]
		a.UserID, a.ProxyID = strings.ToLower(strings.TrimSpace(a.UserID)), strings.ToLower(strings.TrimSpace(a.ProxyID))
		switch {
		case !member(a.UserID) || seen[a.UserID]:
			fe.Add("attendance", "field.attendance_member")
		case !slices.Contains(AttendanceStatuses, a.Status):
			fe.Add("attendance", "field.oneof", strings.Join(AttendanceStatuses, ", "))
		case a.Status == "represented" && (!member(a.ProxyID) || a.ProxyID == a.UserID):
			fe.Add("attendance", "field.attendance_proxy")
		}
		seen[a.UserID] = true
	}
}

// count is the institutions present or represented and the quorum: more
// than half of the committee's voices.
func (s *Session) count(cmd *SessionCommand) (present, quorum int) {
	voice := func(id string) string {
		for _, m := range cmd.Members {
			if m.ID == id && m.Institution != "" {
				return "institution:" + m.Institution
			}
		}
		return "user:" + id
	}
	all, here := map[string]bool{}, map[string]bool{}
	for _, m := range cmd.Members {
		all[voice(m.ID)] = true
	}
	for _, a := range cmd.Attendance {
		if a.Status == "present" || a.Status == "represented" {
			here[voice(a.UserID)] = true
		}
	}
	return len(here), Quorum(len(all), 0)
}

func (s *Session) validateDecision(cmd *SessionCommand, fe FieldErrors) {
	in := &cmd.SessionInput
	it := s.Item(in.N)
	switch {
	case it == nil:
		fe.Add("n", "field.agenda_item")
		return
	case it.Decision != nil && it.Decision.Decision != "adjourn":
		fe.Add("n", "field.item_decided")
		return
	}
	if !slices.Contains(SessionDecisions, in.Decision) {
		fe.Add("decision", "field.oneof", strings.Join(SessionDecisions, ", "))
	}
	b := SessionTexts["conditions"]
	checkText(fe, "conditions", &in.Conditions, false, b.Min, b.Max)
	r := SessionTexts["reason"]
	checkText(fe, "reason", &in.Reason, in.Decision == "reject", r.Min, r.Max)
	if in.BudgetEUR != nil && (in.Decision != "approve" || *in.BudgetEUR < 0 || *in.BudgetEUR > MaxAmountEUR || *in.BudgetEUR != *in.BudgetEUR) {
		fe.Add("budget_eur", "field.session_budget")
	}
	if in.Conditions != "" && in.Decision != "approve" {
		fe.Add("conditions", "field.session_conditions")
	}
	if in.Decision != "adjourn" {
		if v := in.Votes; v == nil || v.For == nil || v.Against == nil || v.Abstain == nil ||
			*v.For < 0 || *v.Against < 0 || *v.Abstain < 0 || *v.For+*v.Against+*v.Abstain > MaxAttendance {
			fe.Add("votes", "field.session_votes")
		}
	}
	for _, id := range in.Conflicts {
		if !slices.ContainsFunc(s.Attendance, func(a Attendee) bool { return a.UserID == strings.ToLower(id) }) {
			fe.Add("conflicts", "field.attendance_member")
		}
	}
}

// Apply carries out an authorised, valid command and returns its events.
func (s *Session) Apply(cmd SessionCommand, now time.Time) []Event {
	in := cmd.SessionInput
	ev := s.record(cmd.Caller, cmd.Action, SessionTable[cmd.Action].to, in.Comment, now)
	switch cmd.Action {
	case ActionAddItem:
		s.Agenda = append(s.Agenda, AgendaItem{N: len(s.Agenda) + 1, Subject: in.Subject, SubjectID: in.SubjectID, Title: cmd.Title, Report: in.Report})
		ev.Data = map[string]string{"n": strconv.Itoa(len(s.Agenda)), "subject": string(in.Subject), "subject_id": in.SubjectID, "title": cmd.Title}
	case ActionConvene:
		ev.Data = map[string]string{"starts_at": s.StartsAt.Format(time.RFC3339), "items": strconv.Itoa(len(s.Agenda))}
	case ActionOpenSession:
		s.Attendance = nil
		for _, a := range in.Attendance {
			for i, m := range cmd.Members {
				if m.ID == a.UserID {
					a.Institution = m.Institution
					if i < len(cmd.Names) {
						a.Name = cmd.Names[i]
					}
				}
			}
			s.Attendance = append(s.Attendance, a)
		}
		s.Present, s.Quorum = s.count(&cmd)
		ev.Data = map[string]string{"present": strconv.Itoa(s.Present), "quorum": strconv.Itoa(s.Quorum)}
	case ActionDecideItem:
		it := s.Item(in.N)
		d := &ItemDecision{Decision: in.Decision, Conditions: in.Conditions, Reason: in.Reason, Conflicts: in.Conflicts, At: now}
		if in.BudgetEUR != nil {
			b := roundCents(*in.BudgetEUR)
			d.BudgetEUR = &b
		}
		if in.Votes != nil {
			d.Votes = *in.Votes
		}
		it.Decision = d
		ev.Data = map[string]string{"n": strconv.Itoa(in.N), "subject": string(it.Subject), "subject_id": it.SubjectID, "decision": in.Decision}
	case ActionApproveMinutes:
		s.MinutesApproved = append(s.MinutesApproved, in.MinutesOf)
		ev.Data = map[string]string{"minutes_of": in.MinutesOf}
	case ActionCloseSession:
		decided := 0
		for _, it := range s.Agenda {
			if it.Decision != nil && it.Decision.Decision != "adjourn" {
				decided++
			}
		}
		ev.Data = map[string]string{"decided": strconv.Itoa(decided), "items": strconv.Itoa(len(s.Agenda))}
	}
	return []Event{ev}
}

// SessionDeadlines is the reminder the day before a convened session.
func (s *Session) PendingDeadlines() []Deadline {
	if s.Stage != StageConvened {
		return nil
	}
	d := Deadline{Key: KindSessionReminder, Kind: KindSessionReminder, Action: ActionRemindSession, At: s.StartsAt.Add(-24 * time.Hour)}
	return PendingDeadlines([]Deadline{d}, s.Reminded)
}

// Fire records the reminder.
func (s *Session) Fire(d Deadline, now time.Time) Event {
	s.Reminded = append(s.Reminded, d.Key)
	ev := s.record(System, d.Action, "", "", now)
	ev.Data = map[string]string{"kind": d.Kind, "starts_at": s.StartsAt.Format(time.RFC3339)}
	return ev
}

// SessionTerminal tells whether nothing more can happen to a session.
func SessionTerminal(s Stage) bool { return s == StageClosed }

// Bounds refuses a command that could grow the state past MaxStateBytes.
func (s *Session) Bounds(cmd SessionCommand) error { return roomFor(s, cmd) }

// SessionDecision is what a session tells a subject it decided on it.
type SessionDecision struct {
	SessionID  string   `json:"session_id"`
	N          int      `json:"n"`
	Decision   Decision `json:"decision"`
	BudgetEUR  *float64 `json:"budget_eur,omitempty"`
	Conditions string   `json:"conditions,omitempty"`
	Reason     string   `json:"reason,omitempty"`
}

// DecisionOf is the subject's decision for a session's item decision (""
// for adjourn).
func DecisionOf(d string) Decision {
	switch d {
	case "approve":
		return DecisionApprove
	case "reject":
		return DecisionReject
	case "back_to_study":
		return DecisionBackToStudy
	}
	return ""
}

// Clone is a copy of the state to undo a change the read model refused
// (items and attendance are replaced, never changed in place).
func (s *Session) Clone() Session {
	c := *s
	c.Agenda, c.Attendance, c.Reminded = slices.Clone(s.Agenda), slices.Clone(s.Attendance), slices.Clone(s.Reminded)
	return c
}

// Values are the votes for, against and abstaining (0 when not counted).
func (v VoteCount) Values() [3]int {
	out := [3]int{}
	for i, p := range []*int{v.For, v.Against, v.Abstain} {
		if p != nil {
			out[i] = *p
		}
	}
	return out
}
