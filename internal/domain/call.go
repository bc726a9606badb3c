package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Stages of a call for projects (appel à projets): territories volunteer
// for experiments while it is open, the committee decides the officer's
// selection, the selection is published.
const (
	StageScheduled Stage = "scheduled"
	StageOpen      Stage = "open"
	StageClosed    Stage = "closed"
	StageDeciding  Stage = "deciding"
	StagePublished Stage = "published"
	// A call that closed with no application ends by itself.
	StageNoApplications Stage = "no_applications"
	// A closed call the officer ended without a selection.
	StageUnsuccessful Stage = "unsuccessful"
)

// CallStages lists a call's stages in order, its ends last.
var CallStages = []Stage{StageScheduled, StageOpen, StageClosed, StageDeciding, StagePublished, StageNoApplications, StageUnsuccessful}

// CallTerminal tells whether nothing more can happen to a call in stage s.
func CallTerminal(s Stage) bool {
	return s == StagePublished || s == StageNoApplications || s == StageUnsuccessful
}

// Actions of a call (vote and the system's are shared).
const (
	ActionCreateCall Action = "create"
	ActionApply      Action = "apply"
	ActionPropose    Action = "propose"
	// ActionCloseUnsuccessful ends a closed call without a selection.
	ActionCloseUnsuccessful Action = "close_unsuccessful"
	// Recorded by the system at the call's dates.
	ActionOpenCall  Action = "open"
	ActionCloseCall Action = "close"
)

// CallTable is the call for projects: every stage rule lives here.
var CallTable = StageRules{
	ActionApply:             {roles: []Role{RoleActor}, from: []Stage{StageOpen}},
	ActionPropose:           {roles: []Role{RoleOfficer}, from: []Stage{StageClosed}, to: StageDeciding},
	ActionVote:              {roles: []Role{RoleCommittee}, from: []Stage{StageDeciding}},
	ActionCloseUnsuccessful: {roles: []Role{RoleOfficer}, from: []Stage{StageClosed}, to: StageUnsuccessful},
}

// CallFields are the fields each action reads, in the order a form shows them.
var CallFields = map[Action][]string{
	ActionApply:             {"territory_code", "motivation"},
	ActionPropose:           {"territory_codes", "comment"},
	ActionVote:              {"decision", "comment"},
	ActionCloseUnsuccessful: {"reason", "comment"},
}

// Call rules: calls created before a call could end without a selection
// keep the rule they ran under (their recorded histories replay as they
// ran: no reminder while closed, closing with no application leaves them
// closed), although their officer may close them without result.
const (
	CallRuleOriginal = 0
	// CallRuleEnds: a call closing with no application ends by itself, and
	// a closed call with no proposal reminds its officer.
	CallRuleEnds = 1
)

// CallDecisions are the committee's options on a call's selection.
var CallDecisions = NeedDecisions

// CallRoles returns who may take a call action (nil for an unknown one).
func CallRoles(a Action) []Role { return CallTable.Roles(a) }

// CallAllowedFrom tells whether the action can be taken from this stage.
func CallAllowedFrom(a Action, s Stage) bool { return CallTable.AllowedFrom(a, s) }

// Bounds of a call: what its workflow keeps stays far below MaxStateBytes
// (motivations are not kept in the state: the read model holds them).
const (
	MaxCallNeeds        = 20
	MaxCallApplications = 500
)

// CallDraft is what an officer sends to open a call; the form's fields
// carry the same names. Dates are RFC 3339 times or calendar days: a call
// opening on a day opens at its first instant in Paris, one closing on a
// day closes at its end.
type CallDraft struct {
	Title       string   `json:"title"`
	Description string   `json:"description"`
	OpensAt     string   `json:"opens_at"`
	ClosesAt    string   `json:"closes_at"`
	NeedIDs     []string `json:"need_ids,omitempty"`
}

// parseCallTime reads a call's date; end picks the end of a calendar day.
func parseCallTime(s string, end bool) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC().Truncate(time.Second), true
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		d := Date(t.Format(time.DateOnly))
		if end {
			return d.End(), true
		}
		return d.Start(), true
	}
	return time.Time{}, false
}

// Validate returns a 422 naming every failing field, or nil; it writes the
// dates back as RFC 3339 times in UTC. Whether the needs exist is the
// service's to check.
func (d *CallDraft) Validate(now time.Time) error {
	fe := FieldErrors{}
	checkText(fe, "title", &d.Title, true, 5, 200)
	checkText(fe, "description", &d.Description, true, 20, 10000)
	lo, hi := DateBounds(now)
	read := func(field string, v *string, end bool) (time.Time, bool) {
		if strings.TrimSpace(*v) == "" {
			fe.Add(field, "field.required")
			return time.Time{}, false
		}
		t, ok := parseCallTime(*v, end)
		switch {
		case !ok:
			fe.Add(field, "field.datetime")
		case t.Before(lo.Start()) || t.After(hi.End()):
			fe.Add(field, "field.date_range", string(lo), string(hi))
			ok = false
		default:
			*v = t.Format(time.RFC3339)
		}
		return t, ok
	}
	opens, ok1 := read("opens_at", &d.OpensAt, false)
	closes, ok2 := read("closes_at", &d.ClosesAt, true)
	switch {
	case ok1 && ok2 && !closes.After(opens):
		fe.Add("closes_at", "field.closes_after_opens")
	case ok2 && !closes.After(now):
		fe.Add("closes_at", "field.future")
	}
	switch {
	case len(d.NeedIDs) > MaxCallNeeds:
		fe.Add("need_ids", "field.max_items", strconv.Itoa(MaxCallNeeds))
	default:
		ids := make([]string, 0, len(d.NeedIDs))
		for _, v := range d.NeedIDs {
			id, ok := ParseID(v)
			if !ok {
				fe.Add("need_ids", "field.uuid")
				break
			}
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		d.NeedIDs = ids
	}
	return fe.Err()
}

// CallApplication is a territory's application. Its motivation travels to
// the read model with the change that records it, not in the state.
type CallApplication struct {
	TerritoryCode   string    `json:"territory_code"`
	Motivation      string    `json:"motivation,omitempty"`
	Organisation    string    `json:"organisation"`
	OrganisationKey string    `json:"organisation_key"`
	OrganisationID  string    `json:"organisation_id,omitempty"` // the applicant's account's directory record
	ByID            string    `json:"by_id"`
	ByName          string    `json:"by_name"`
	At              time.Time `json:"at"`
}

// CallProposal is the selection an officer puts to the committee.
type CallProposal struct {
	TerritoryCodes []string   `json:"territory_codes"`
	Comment        string     `json:"comment,omitempty"`
	By             OfficerRef `json:"by"`
	At             time.Time  `json:"at"`
	Round          int        `json:"round"`
	Outcome        Decision   `json:"outcome,omitempty"`
}

// CallInput is the body of the call's actions; each reads its own fields (CallFields).
type CallInput struct {
	Action         Action   `json:"action"`
	Comment        string   `json:"comment,omitempty"`
	TerritoryCode  string   `json:"territory_code,omitempty"`
	Motivation     string   `json:"motivation,omitempty"`
	TerritoryCodes []string `json:"territory_codes,omitempty"`
	Decision       Decision `json:"decision,omitempty"`
	Reason         string   `json:"reason,omitempty"`
}

// CallCommand is an action with who asks for it; Quorum is filled for what
// opens or moves a ballot.
type CallCommand struct {
	CallInput
	Caller Caller `json:"caller"`
	Quorum int    `json:"quorum,omitempty"`
	// BallotRule is the rule of the ballot it opens (the workflow sets it
	// from its version); Voice is what a vote speaks for (institution.go).
	BallotRule int   `json:"ballot_rule,omitempty"`
	Voice      Voice `json:"voice,omitzero"`
}

// Call is the whole state of one call for projects; its workflow owns it.
type Call struct {
	// Conditions are those a committee session attached to its approval.
	Conditions  string    `json:"conditions,omitempty"`
	ID          string    `json:"id"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	OpensAt     time.Time `json:"opens_at"`
	ClosesAt    time.Time `json:"closes_at"`
	NeedIDs     []string  `json:"need_ids,omitempty"`
	CreatedBy   Caller    `json:"created_by"`
	Tracked
	Applications []CallApplication `json:"applications,omitempty"` // without their motivations
	Proposal     *CallProposal     `json:"proposal,omitempty"`     // the last one
	Ballots      []Ballot          `json:"ballots,omitempty"`
	Selected     []string          `json:"selected,omitempty"`
	Reminded     []string          `json:"reminded,omitempty"`
	Rule         int               `json:"rule,omitempty"` // CallRuleEnds since calls could end without a selection
	// Reason is why the officer ended the call without a selection.
	Reason string `json:"reason,omitempty"`
}

// NewCall builds a call from a valid draft and its first event; a call
// whose opening has come opens at once.
func NewCall(id string, d CallDraft, by Caller, now time.Time) (*Call, Event) {
	opens, _ := parseCallTime(d.OpensAt, false)
	closes, _ := parseCallTime(d.ClosesAt, true)
	c := &Call{ID: id, Title: d.Title, Description: d.Description, OpensAt: opens, ClosesAt: closes,
		NeedIDs: slices.Clone(d.NeedIDs), CreatedBy: by, Tracked: Tracked{CreatedAt: now, UpdatedAt: now}, Rule: CallRuleEnds}
	to := StageScheduled
	if !opens.After(now) {
		to = StageOpen
	}
	ev := c.record(by, ActionCreateCall, to, "", now)
	ev.Data = map[string]string{"opens_at": opens.Format(time.RFC3339), "closes_at": closes.Format(time.RFC3339)}
	return c, ev
}

// Ballot returns the open committee ballot, if any.
func (c *Call) Ballot() *Ballot {
	if len(c.Ballots) == 0 || c.Stage != StageDeciding {
		return nil
	}
	b := &c.Ballots[len(c.Ballots)-1]
	if b.Decided() {
		return nil
	}
	return b
}

// Territories are the territories that applied, in the order they did.
func (c *Call) Territories() []string {
	var out []string
	for _, a := range c.Applications {
		if !slices.Contains(out, a.TerritoryCode) {
			out = append(out, a.TerritoryCode)
		}
	}
	return out
}

// Stake is who may not vote on the selection: the organisations that
// applied (and, for people applying without one, themselves).
func (c *Call) Stake() Stake {
	var st Stake
	for _, a := range c.Applications {
		if a.OrganisationID != "" && !slices.Contains(st.Organisations, "id:"+a.OrganisationID) {
			st.Organisations = append(st.Organisations, "id:"+a.OrganisationID)
		}
		if strings.HasPrefix(a.OrganisationKey, "user:") || a.OrganisationKey == "" {
			if a.ByID != "" && !slices.Contains(st.Submitters, a.ByID) {
				st.Submitters = append(st.Submitters, a.ByID)
			}
			continue
		}
		if !slices.Contains(st.Organisations, a.OrganisationKey) {
			st.Organisations = append(st.Organisations, a.OrganisationKey)
		}
	}
	return st
}

// NotOpen is the 409 of an application outside the call's dates: it names them.
func (c *Call) NotOpen() *Error {
	return E(CodeStage, "error.call_not_open", TimeArg(c.OpensAt), TimeArg(c.ClosesAt), "@stage."+string(c.Stage))
}

// Authorize checks, without changing anything, that the caller may take the
// action at now: 422 unknown action, 403 role or stake, 409 stage.
func (c *Call) Authorize(cmd CallCommand, now time.Time) error {
	if _, err := CallTable.Check(cmd.Action, cmd.Caller); err != nil {
		return err
	}
	if !CallTable.AllowedFrom(cmd.Action, c.Stage) {
		if cmd.Action == ActionApply {
			return c.NotOpen()
		}
		return StageConflict(c.Stage)
	}
	switch cmd.Action {
	case ActionApply:
		if !now.Before(c.ClosesAt) { // closing now: the deadline is on its way
			return c.NotOpen()
		}
		if len(c.Applications) >= MaxCallApplications {
			return E(CodeConflict, "error.call_full", strconv.Itoa(MaxCallApplications))
		}
	case ActionVote:
		if c.Ballot() == nil {
			return StageConflict(c.Stage)
		}
		if key, arg := c.Stake().VoiceStake(MemberOf(cmd.Caller), cmd.Voice, c.Ballot().Rule); key == "error.stake_organisation" {
			return E(CodeForbidden, "error.stake_applicant", arg)
		} else if key == "error.stake_institution" {
			return E(CodeForbidden, key, arg)
		} else if key != "" {
			return E(CodeForbidden, "error.stake_applicant_self")
		}
	}
	return nil
}

// Validate checks the action's own fields; ref, when given, checks that a
// territory exists and is not retired (the workflow, out of its reach,
// trusts the service's check).
func (c *Call) Validate(cmd *CallCommand, ref Reference) error {
	in := &cmd.CallInput
	fe := FieldErrors{}
	checkText(fe, "comment", &in.Comment, false, 2, 5000)
	switch cmd.Action {
	case ActionApply:
		in.TerritoryCode = strings.TrimSpace(in.TerritoryCode)
		switch {
		case in.TerritoryCode == "":
			fe.Add("territory_code", "field.required")
		case ref != nil && !ref.TerritoryExists(in.TerritoryCode):
			fe.Add("territory_code", "field.unknown_territory")
		}
		checkText(fe, "motivation", &in.Motivation, true, 20, 5000)
		if err := fe.Err(); err != nil {
			return err
		}
		key := cmd.Caller.OrganisationKey()
		if slices.ContainsFunc(c.Applications, func(a CallApplication) bool {
			return a.OrganisationKey == key && a.TerritoryCode == in.TerritoryCode
		}) {
			return E(CodeConflict, "error.call_applied", in.TerritoryCode)
		}
	case ActionPropose:
		applied := c.Territories()
		var codes []string
		switch {
		case len(in.TerritoryCodes) == 0:
			fe.Add("territory_codes", "field.required")
		case len(in.TerritoryCodes) > MaxCallApplications:
			fe.Add("territory_codes", "field.max_items", strconv.Itoa(MaxCallApplications))
		default:
			for _, v := range in.TerritoryCodes {
				v = strings.TrimSpace(v)
				if !slices.Contains(applied, v) {
					fe.Add("territory_codes", "field.not_applied", v)
					break
				}
				if !slices.Contains(codes, v) {
					codes = append(codes, v)
				}
			}
		}
		in.TerritoryCodes = codes
	case ActionVote:
		if !slices.Contains(CallDecisions, in.Decision) {
			fe.Add("decision", "field.oneof", joinDecisions(CallDecisions))
		}
	case ActionCloseUnsuccessful:
		checkText(fe, "reason", &in.Reason, true, 5, 2000)
	}
	return fe.Err()
}

// Bounds refuses a command that could grow the state past MaxStateBytes
// (the update's validator applies it, as for needs).
func (c *Call) Bounds(cmd CallCommand) error {
	small := cmd
	small.Motivation = "" // not kept in the state
	return roomFor(c, small)
}

// Apply carries out an authorised, valid command and returns its events.
func (c *Call) Apply(cmd CallCommand, now time.Time) []Event {
	in := cmd.CallInput
	r := CallTable[cmd.Action]
	events := []Event{c.record(cmd.Caller, cmd.Action, r.to, in.Comment, now)}
	ev := &events[0]
	switch cmd.Action {
	case ActionApply:
		c.Applications = append(c.Applications, CallApplication{TerritoryCode: in.TerritoryCode,
			Organisation: cmd.Caller.OrganisationName(), OrganisationKey: cmd.Caller.OrganisationKey(),
			OrganisationID: cmd.Caller.OrganisationID, ByID: cmd.Caller.UserID, ByName: cmd.Caller.Name, At: now})
		ev.Data = map[string]string{"territory_code": in.TerritoryCode, "organisation": cmd.Caller.OrganisationName()}
	case ActionPropose:
		c.Ballots = append(c.Ballots, NewBallot(len(c.Ballots)+1, now, cmd.Quorum, cmd.Voice, max(cmd.BallotRule, RuleMajority)))
		c.Proposal = &CallProposal{TerritoryCodes: slices.Clone(in.TerritoryCodes), Comment: in.Comment,
			By: OfficerRef{ID: cmd.Caller.UserID, Name: cmd.Caller.Name}, At: now, Round: len(c.Ballots)}
		ev.Data = map[string]string{"territory_codes": strings.Join(in.TerritoryCodes, ","), "round": strconv.Itoa(len(c.Ballots))}
	case ActionVote:
		b := c.Ballot()
		replaced := b.CastVoice(Vote{VoterID: cmd.Caller.UserID, VoterName: cmd.Caller.Name, Decision: in.Decision, Comment: in.Comment, At: now},
			cmd.Voice, cmd.Quorum)
		ev.Data = map[string]string{"decision": string(in.Decision), "round": strconv.Itoa(b.Round)}
		if replaced {
			ev.Data["replaced"] = "true"
		}
		if d, ok := b.Tally(b.Quorum); ok {
			events = append(events, c.decide(b, d, now))
		}
	case ActionCloseUnsuccessful:
		c.Reason = in.Reason
		ev.Data = map[string]string{"reason": in.Reason, "applications": strconv.Itoa(len(c.Applications))}
	}
	return events
}

// decide closes the ballot: approval publishes the selection; a rejection
// or a return sends the call back to the officer, who proposes again.
func (c *Call) decide(b *Ballot, d Decision, now time.Time) Event {
	b.Outcome, b.DecidedAt = d, now
	count := b.Count()
	data := map[string]string{
		"decision": string(d), "round": strconv.Itoa(b.Round), "quorum": strconv.Itoa(b.Quorum),
		"approve": strconv.Itoa(count[DecisionApprove]), "reject": strconv.Itoa(count[DecisionReject]),
		"back_to_study": strconv.Itoa(count[DecisionBackToStudy]),
	}
	to := StageClosed
	if c.Proposal != nil {
		c.Proposal.Outcome = d
	}
	if d == DecisionApprove && c.Proposal != nil {
		to = StagePublished
		c.Selected = slices.Clone(c.Proposal.TerritoryCodes)
		data["selected"] = strings.Join(c.Selected, ",")
	}
	ev := c.record(System, ActionDecide, to, "", now)
	ev.Data = data
	return ev
}

// CallPolicy holds the delay behind a call's committee escalation.
type CallPolicy struct {
	CommitteeWithin time.Duration `json:"committee_within"`
}

// DefaultCallPolicy gives the committee a month, as for needs.
var DefaultCallPolicy = CallPolicy{CommitteeWithin: 30 * 24 * time.Hour}

// Deadline kinds of a call.
const (
	KindCallOpens  = "call_opens"
	KindCallCloses = "call_closes"
	// KindProposalOverdue: a closed call has waited for its officer's
	// proposal longer than the committee's delay.
	KindProposalOverdue = "proposal_overdue"
)

// Deadlines are the current stage's deadlines, fired or not: the opening
// and the closing keyed by their date (a call whose dates moved would get
// new ones), the committee's escalation while it decides.
func (c *Call) Deadlines(p CallPolicy) []Deadline {
	switch c.Stage {
	case StageScheduled:
		return []Deadline{{Key: "open:" + c.OpensAt.Format(time.RFC3339), Kind: KindCallOpens, Action: ActionOpenCall, At: c.OpensAt}}
	case StageOpen:
		return []Deadline{{Key: "close:" + c.ClosesAt.Format(time.RFC3339), Kind: KindCallCloses, Action: ActionCloseCall, At: c.ClosesAt}}
	case StageClosed:
		if c.Rule >= CallRuleEnds && p.CommitteeWithin > 0 {
			return []Deadline{{Key: "proposal:" + strconv.Itoa(c.StageSeq), Kind: KindProposalOverdue,
				Action: ActionRemind, At: c.StageEnteredAt.Add(p.CommitteeWithin)}}
		}
	case StageDeciding:
		if p.CommitteeWithin > 0 {
			return []Deadline{{Key: "committee:" + strconv.Itoa(c.StageSeq), Kind: KindCommitteeOverdue,
				Action: ActionEscalate, At: c.StageEnteredAt.Add(p.CommitteeWithin)}}
		}
	}
	return nil
}

// PendingDeadlines are the deadlines still to fire, earliest first.
func (c *Call) PendingDeadlines(p CallPolicy) []Deadline {
	return PendingDeadlines(c.Deadlines(p), c.Reminded)
}

// Fire records that a deadline passed: the call opens, closes, or the
// officer who proposed is alerted that the committee is late.
func (c *Call) Fire(d Deadline, now time.Time) Event {
	c.Reminded = append(c.Reminded, d.Key)
	var to Stage
	switch d.Kind {
	case KindCallOpens:
		to = StageOpen
	case KindCallCloses:
		to = StageClosed
		if c.Rule >= CallRuleEnds && len(c.Applications) == 0 {
			to = StageNoApplications
		}
	}
	ev := c.record(System, d.Action, to, "", now)
	ev.Data = map[string]string{"kind": d.Kind, "due": d.At.UTC().Format(time.RFC3339)}
	if d.Kind == KindCallCloses {
		ev.Data["applications"] = strconv.Itoa(len(c.Applications))
	}
	if c.Proposal != nil && d.Kind == KindCommitteeOverdue {
		ev.Data["officer_id"], ev.Data["officer_name"] = c.Proposal.By.ID, c.Proposal.By.Name
	}
	if d.Kind == KindProposalOverdue { // the officer who opened the call proposes its selection
		ev.Data["officer_id"], ev.Data["officer_name"] = c.CreatedBy.UserID, c.CreatedBy.Name
	}
	return ev
}

// Clone is a deep copy (to undo a change the read model refused).
func (c *Call) Clone() Call {
	k := *c
	k.NeedIDs = slices.Clone(c.NeedIDs)
	k.Applications = slices.Clone(c.Applications)
	k.Selected = slices.Clone(c.Selected)
	k.Reminded = slices.Clone(c.Reminded)
	k.Ballots = cloneBallots(c.Ballots)
	if c.Proposal != nil {
		p := *c.Proposal
		p.TerritoryCodes = slices.Clone(c.Proposal.TerritoryCodes)
		k.Proposal = &p
	}
	return k
}

// record moves the call to stage `to` ("" stays) and returns the event.

// TimeArg carries a moment as a message argument: each language writes it
// its own way, in Paris time (internal/i18n).
func TimeArg(t time.Time) string { return TimeArgPrefix + t.UTC().Format(time.RFC3339) }

// TimeArgPrefix marks a message argument that is a moment.
const TimeArgPrefix = "^time:"
