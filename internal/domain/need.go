package domain

import (
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Action is something that happens to an emerging project.
type Action string

const (
	ActionSubmit         Action = "submit"
	ActionRequestInfo    Action = "request_info"
	ActionProvideInfo    Action = "provide_info"
	ActionQualify        Action = "qualify"
	ActionReject         Action = "reject"
	ActionMerge          Action = "merge"
	ActionStartStudy     Action = "start_study"
	ActionSubmitStudy    Action = "submit_study"
	ActionVote           Action = "vote"
	ActionProposeCarrier Action = "propose_carrier"
	ActionStartPilot     Action = "start_pilot"
	ActionDeploy         Action = "deploy"
	ActionComplete       Action = "complete"
	ActionAbandon        Action = "abandon"
	ActionAssign         Action = "assign"
	ActionSupport        Action = "support"
	ActionDeclineCarrier Action = "decline_carrier"
	ActionInviteCarrier  Action = "invite_carrier"
	// Recorded by the system, never requested.
	ActionDecide   Action = "decide"
	ActionRemind   Action = "reminder"
	ActionEscalate Action = "escalation"
	ActionAbsorb   Action = "merged_from"
)

// NeedTable is the emergence pipeline: every stage rule lives in this table.
var NeedTable = StageRules{
	ActionRequestInfo:    {roles: []Role{RoleOfficer}, from: []Stage{StageCaptured}, to: StageAwaitingInfo},
	ActionProvideInfo:    {roles: []Role{RoleActor, RoleOfficer}, from: []Stage{StageAwaitingInfo}, to: StageCaptured},
	ActionQualify:        {roles: []Role{RoleOfficer}, from: []Stage{StageCaptured}, to: StageQualified},
	ActionReject:         {roles: []Role{RoleOfficer}, from: []Stage{StageCaptured, StageAwaitingInfo, StageQualified, StageFeasibility}, to: StageRejected},
	ActionMerge:          {roles: []Role{RoleOfficer}, from: []Stage{StageCaptured, StageAwaitingInfo, StageQualified}, to: StageMerged},
	ActionStartStudy:     {roles: []Role{RoleOfficer}, from: []Stage{StageQualified}, to: StageFeasibility},
	ActionSubmitStudy:    {roles: []Role{RoleOfficer}, from: []Stage{StageFeasibility}, to: StageCommittee},
	ActionVote:           {roles: []Role{RoleCommittee}, from: []Stage{StageCommittee}},
	ActionProposeCarrier: {roles: []Role{RoleActor, RoleOfficer}, from: []Stage{StageCarrierSearch}},
	ActionDeclineCarrier: {roles: []Role{RoleOfficer}, from: []Stage{StageCarrierSearch}},
	ActionInviteCarrier:  {roles: []Role{RoleOfficer}, from: []Stage{StageCarrierSearch}},
	ActionStartPilot:     {roles: []Role{RoleOfficer}, from: []Stage{StageCarrierSearch}, to: StagePilot},
	ActionDeploy:         {roles: []Role{RoleOfficer}, from: []Stage{StagePilot}, to: StageDeployment},
	ActionComplete:       {roles: []Role{RoleOfficer}, from: []Stage{StageDeployment}, to: StageDeployed},
	ActionAbandon:        {roles: []Role{RoleOfficer}, from: ActiveStages, to: StageAbandoned},
	ActionAssign:         {roles: []Role{RoleOfficer, RoleAdmin}, from: ActiveStages},
	ActionSupport:        {roles: []Role{RoleActor}, from: ActiveStages},

	// The pilot's follow-up (outcome.go).
	ActionRecordIndicator: {roles: []Role{RoleOfficer}, from: []Stage{StagePilot}},
}

// ActionFields are the fields each requested action reads from its input
// (NeedInput's JSON names, which the web forms share), in the order a form
// shows them. Pages and the API document read them from here.
var ActionFields = map[Action][]string{
	ActionRequestInfo:     {"comment"},
	ActionProvideInfo:     {"comment"},
	ActionQualify:         {"comment"},
	ActionReject:          {"reason", "comment"},
	ActionMerge:           {"into", "comment"},
	ActionStartStudy:      {"due_date", "comment"},
	ActionSubmitStudy:     {"recommendation", "budget_eur", "summary", "comment"},
	ActionVote:            {"decision", "comment"},
	ActionProposeCarrier:  {"organisation_id", "organisation", "contact", "motivation"},
	ActionDeclineCarrier:  {"carrier_id", "reason"},
	ActionInviteCarrier:   {"organisation_id", "message"},
	ActionStartPilot:      {"carrier_id", "territories", "start_date", "end_date", "budget_eur", "indicators", "comment"},
	ActionRecordIndicator: {"key", "value", "at", "comment"},
	ActionDeploy:          {"evaluation", "territories", "comment"},
	ActionComplete:        {"structure", "jobs_created", "funders", "comment"},
	ActionAbandon:         {"reason", "comment"},
	ActionAssign:          {"officer_id", "comment"},
}

// TransitionActions are the actions of POST /needs/{id}/transitions, in pipeline order.
var TransitionActions = []Action{
	ActionRequestInfo, ActionProvideInfo, ActionQualify, ActionReject, ActionMerge,
	ActionStartStudy, ActionSubmitStudy, ActionVote, ActionProposeCarrier, ActionInviteCarrier, ActionDeclineCarrier, ActionStartPilot,
	ActionRecordIndicator, ActionDeploy, ActionComplete, ActionAssign, ActionAbandon,
}

// RequestedActions are the actions a person can ask for (transitions and support).
func RequestedActions() []Action { return append(slices.Clone(TransitionActions), ActionSupport) }

// ActionRoles returns who may take an action (nil for an unknown one).
func ActionRoles(a Action) []Role { return NeedTable.Roles(a) }

// ActionAllowedFrom tells whether the action can be taken from this stage.
func ActionAllowedFrom(a Action, s Stage) bool { return NeedTable.AllowedFrom(a, s) }

// Study recommendations: what a feasibility study concludes.
const (
	RecommendGo   = "go"
	RecommendNoGo = "no_go"
)

// StudyRecommendations are the recommendations a study may make, in the order shown.
var StudyRecommendations = []string{RecommendGo, RecommendNoGo}

// Subjects are the kinds of subject the committee decides.
var Subjects = []Subject{SubjectNeed, SubjectStudyAction, SubjectCall}

// NeedDecisions are the options of the steering committee on an experiment.
var NeedDecisions = []Decision{DecisionApprove, DecisionReject, DecisionBackToStudy}

// NeedSubmission is what an actor sends to report a need; the web form's fields
// carry the same names.
type NeedSubmission struct {
	Title         string `json:"title" validate:"required,min=5,max=200"`
	Description   string `json:"description" validate:"required,min=20,max=10000"`
	Theme         string `json:"theme" validate:"required"`
	TerritoryCode string `json:"territory_code" validate:"required"`
	Beneficiaries *int   `json:"beneficiaries,omitempty" validate:"omitempty,min=0,max=100000000"`
	Organisation  string `json:"organisation,omitempty" validate:"max=200"`
	Evidence      string `json:"evidence,omitempty" validate:"max=10000"`
}

// Normalise trims the free-text fields.
func (s *NeedSubmission) Normalise() {
	s.Title = strings.TrimSpace(s.Title)
	s.Description = strings.TrimSpace(s.Description)
	s.Theme = strings.TrimSpace(s.Theme)
	s.TerritoryCode = strings.TrimSpace(s.TerritoryCode)
	s.Organisation = strings.TrimSpace(s.Organisation)
	s.Evidence = strings.TrimSpace(s.Evidence)
}

// Reference answers whether themes and territories exist.
type Reference interface {
	ThemeExists(slug string) bool
	TerritoryExists(code string) bool
}

// AnyReference accepts every theme and territory: for checks made where the
// reference data is out of reach, when they were checked before.
type AnyReference struct{}

func (AnyReference) ThemeExists(string) bool     { return true }
func (AnyReference) TerritoryExists(string) bool { return true }

// Validate returns a 422 naming every failing field, or nil.
func (s *NeedSubmission) Validate(ref Reference) error {
	s.Normalise()
	fe := FieldErrors{}
	CheckStruct(s, fe)
	if s.Theme != "" && !ref.ThemeExists(s.Theme) {
		fe.Add("theme", "field.unknown_theme")
	}
	if s.TerritoryCode != "" && !ref.TerritoryExists(s.TerritoryCode) {
		fe.Add("territory_code", "field.unknown_territory")
	}
	return fe.Err()
}

// NeedInput is the body of POST /needs/{id}/transitions; each action reads
// the fields it needs. The web forms carry the same field names.
type NeedInput struct {
	Action         Action   `json:"action"`
	Comment        string   `json:"comment,omitempty"`
	Reason         string   `json:"reason,omitempty"`
	Into           string   `json:"into,omitempty"`
	DueDate        string   `json:"due_date,omitempty"`
	Recommendation string   `json:"recommendation,omitempty"`
	Summary        string   `json:"summary,omitempty"`
	Decision       Decision `json:"decision,omitempty"`
	Organisation   string   `json:"organisation,omitempty"`
	OrganisationID string   `json:"organisation_id,omitempty"`
	Message        string   `json:"message,omitempty"`
	Contact        string   `json:"contact,omitempty"`
	Motivation     string   `json:"motivation,omitempty"`
	CarrierID      string   `json:"carrier_id,omitempty"`
	Territories    []string `json:"territories,omitempty"`
	StartDate      string   `json:"start_date,omitempty"`
	EndDate        string   `json:"end_date,omitempty"`
	BudgetEUR      *float64 `json:"budget_eur,omitempty"`
	OfficerID      string   `json:"officer_id,omitempty"`

	// The pilot's indicators (start_pilot), a measure (record_indicator),
	// the evaluation (deploy, with Territories) and the outcome (complete).
	Indicators  []Indicator `json:"indicators,omitempty"`
	Key         string      `json:"key,omitempty"`
	Value       *float64    `json:"value,omitempty"`
	At          string      `json:"at,omitempty"`
	Evaluation  *Evaluation `json:"evaluation,omitempty"`
	Structure   *Structure  `json:"structure,omitempty"`
	JobsCreated *float64    `json:"jobs_created,omitempty"`
	Funders     []Funder    `json:"funders,omitempty"`
}

// NeedCommand is an action with who asks for it; Quorum is filled for votes.
type NeedCommand struct {
	NeedInput
	Caller Caller `json:"caller"`
	Quorum int    `json:"quorum,omitempty"`
	// OfficerName is the name of the account OfficerID names (assign): the
	// service looks it up, the workflow cannot.
	OfficerName string `json:"officer_name,omitempty"`
	// BallotRule is the rule of the ballot a submitted study opens (the
	// workflow sets it from its version).
	BallotRule int `json:"ballot_rule,omitempty"`
	// QualifyAgain gives a need that provide_info sends back to captured a
	// fresh qualification deadline (the workflow sets it from its version).
	QualifyAgain bool `json:"qualify_again,omitempty"`
	// QuorumAll is the quorum counting every member, stakes or not: ballots
	// opened under the plurality rule keep deciding with it.
	QuorumAll int `json:"quorum_all,omitempty"`
	// Voice is what a vote speaks for (institution.go).
	Voice Voice `json:"voice,omitzero"`
}

// Carrier is an organisation or person proposed to carry the project.
type Carrier struct {
	ID           string `json:"id"`
	Organisation string `json:"organisation"`
	// OrganisationID is the directory record the proposal stands for: the
	// proposer's organisation, or the one an officer records.
	OrganisationID string    `json:"organisation_id,omitempty"`
	Contact        string    `json:"contact"`
	Motivation     string    `json:"motivation"`
	ProposedBy     Caller    `json:"proposed_by"`
	ProposedAt     time.Time `json:"proposed_at"`
	Chosen         bool      `json:"chosen"`
	// Key is the organisation the proposal stands for (one live proposal
	// each): the proposer's own, or the one an officer typed.
	Key string `json:"key,omitempty"`
	// Declined is set by the officer (decline_carrier), with the reason; a
	// declined proposal cannot be chosen and no longer counts as live.
	Declined       bool   `json:"declined,omitempty"`
	DeclinedReason string `json:"declined_reason,omitempty"`
}

// carrierKey is the organisation a proposal stands for: an officer proposes
// on behalf of the organisation typed in the form, anyone else for their own.
func carrierKey(by Caller, organisationID, organisation string) string {
	if organisationID != "" {
		return "id:" + organisationID
	}
	if by.Has(RoleOfficer) {
		return NormaliseKey(organisation)
	}
	return by.OrganisationKey()
}

// liveCarrier returns the index of the proposal id names, if it is live (not
// declined), or -1.
func (n *Need) liveCarrier(id string) int {
	return slices.IndexFunc(n.Carriers, func(c Carrier) bool { return c.ID == id && !c.Declined })
}

// SubmitterKeys are the organisation keys of who submitted the need: the
// organisation named on it and the submitter's account's (a person without
// one stands for themselves). None of them may support the need.
func (n *Need) SubmitterKeys() []string {
	var keys []string
	for _, k := range []string{NormaliseKey(n.Organisation), n.SubmittedBy.OrganisationKey()} {
		if k != "" && k != "user:" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

// SubmitterKey is the one organisation key that stands for the need's
// submitter: the organisation named on it, else the submitter's own.
func (n *Need) SubmitterKey() string {
	if k := NormaliseKey(n.Organisation); k != "" {
		return k
	}
	if n.SubmittedBy.UserID == "" {
		return ""
	}
	return n.SubmittedBy.OrganisationKey()
}

// Study is the feasibility study.
type Study struct {
	DueDate        Date      `json:"due_date"`
	StartedAt      time.Time `json:"started_at"`
	LedBy          string    `json:"led_by,omitempty"` // the officer who started it (a stake in its decision)
	Recommendation string    `json:"recommendation,omitempty"`
	Summary        string    `json:"summary,omitempty"`
	BudgetEUR      *float64  `json:"budget_eur,omitempty"` // the experiment budget it proposes
}

// Pilot is the experimentation.
type Pilot struct {
	CarrierID   string   `json:"carrier_id"`
	Territories []string `json:"territories"`
	StartDate   Date     `json:"start_date"`
	EndDate     Date     `json:"end_date"`
	BudgetEUR   float64  `json:"budget_eur"`

	// What the pilot follows, and the values measured (record_indicator).
	Indicators []Indicator `json:"indicators,omitempty"`
	Measures   []Measure   `json:"measures,omitempty"`
}

// OfficerRef is the officer in charge of a project.
type OfficerRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Event is one line of a project's audit trail.
type Event struct {
	Seq       int               `json:"seq"`
	At        time.Time         `json:"at"`
	ActorID   string            `json:"actor_id,omitempty"`
	ActorName string            `json:"actor_name"`
	Action    Action            `json:"action"`
	FromStage Stage             `json:"from_stage"`
	ToStage   Stage             `json:"to_stage"`
	Comment   string            `json:"comment,omitempty"`
	Data      map[string]string `json:"data,omitempty"`
}

// Need is the whole state of one emerging project. The workflow owns it; the
// read model in PostgreSQL is a projection of it.
type Need struct {
	ID             string `json:"id"`
	NeedSubmission        // as submitted
	SubmittedBy    Caller `json:"submitted_by"`
	Tracked
	Supporters []string  `json:"supporters,omitempty"` // organisation keys, sorted
	Carriers   []Carrier `json:"carriers,omitempty"`
	// Invited are the organisations an officer invited to carry it (ids).
	Invited []string `json:"invited,omitempty"`
	// Conditions are those a committee session attached to its approval.
	Conditions string   `json:"conditions,omitempty"`
	Study      *Study   `json:"study,omitempty"`
	Ballots    []Ballot `json:"ballots,omitempty"` // the last one is open while in committee
	Pilot      *Pilot   `json:"pilot,omitempty"`
	MergedInto string   `json:"merged_into,omitempty"`
	Reminded   []string `json:"reminded,omitempty"` // deadline keys already fired
	// QualifyFrom is when the submitter last answered a request for
	// information, under the fresh-deadline rule (Command.QualifyAgain): the
	// qualification deadline then counts from it, under a key of its own.
	// Nil for needs never asked, and for answers given before the rule.
	QualifyFrom *time.Time `json:"qualify_from,omitempty"`

	// Officer is in charge of the file (assign, or who qualified it).
	Officer *OfficerRef `json:"officer,omitempty"`

	// Rules is the version of the rules the need was created under (0 for
	// needs created before NeedRules existed): requirements and refusals added
	// since apply only from their version, so old histories replay unchanged.
	Rules int `json:"rules,omitempty"`

	// ApprovedBudgetEUR is the experiment budget the committee approved
	// (the study's proposal); start_pilot may not exceed it.
	ApprovedBudgetEUR *float64 `json:"approved_budget_eur,omitempty"`
	// Deployment holds the pilot's evaluation and where the model spreads.
	Deployment *Deployment `json:"deployment,omitempty"`
	// Outcome is what the project produced, recorded at complete.
	Outcome *Outcome `json:"outcome,omitempty"`
}

// NeedRules is the version of the rules new needs are created under.
const NeedRules = 1

// Bounds on what a need's workflow keeps, so that its state, the input of a
// continue-as-new and every save stay far below Temporal's 2 MB payload
// limit whatever people send (a test fills a need to them).
const (
	MaxCarriers   = 20
	MaxSupporters = 1000
	// MaxStateBytes is the largest state, as JSON, a command may grow a need to.
	MaxStateBytes = 512 << 10
)

// Bounds are the refusals added after needs were already running: dates
// out of range, a merge into itself in another spelling, too many carriers
// or supports, a state that would outgrow MaxStateBytes. Only the update's
// validator applies them (validators are not replayed): an update that an
// older version accepted replays as it ran.
func (n *Need) Bounds(cmd NeedCommand, now time.Time) error {
	in := cmd.NeedInput
	fe := FieldErrors{}
	lo, hi := DateBounds(now)
	for _, f := range []struct{ name, v string }{{"due_date", in.DueDate}, {"start_date", in.StartDate}, {"end_date", in.EndDate}} {
		if d, ok := ParseDate(f.v); ok && (d.Before(lo) || hi.Before(d)) {
			fe.Add(f.name, "field.date_range", string(lo), string(hi))
		}
	}
	if into, ok := ParseID(in.Into); cmd.Action == ActionMerge && ok && into == n.ID {
		fe.Add("into", "field.merge_self")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	switch {
	case cmd.Action == ActionProposeCarrier && len(n.Carriers) >= MaxCarriers:
		return E(CodeConflict, "error.too_many_carriers", strconv.Itoa(MaxCarriers))
	case cmd.Action == ActionSupport && len(n.Supporters) >= MaxSupporters:
		return E(CodeConflict, "error.too_many_supports", strconv.Itoa(MaxSupporters))
	}
	return n.Room(cmd)
}

func joinDecisions(ds []Decision) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = string(d)
	}
	return strings.Join(s, ", ")
}

// Room refuses a command that could grow the state past MaxStateBytes: the
// state grows by at most the command's own text plus a little bookkeeping.
func (n *Need) Room(cmd NeedCommand) error {
	state, err1 := json.Marshal(n)
	in, err2 := json.Marshal(cmd)
	if err1 == nil && err2 == nil && len(state)+len(in)+2048 > MaxStateBytes {
		return E(CodeConflict, "error.need_full")
	}
	return nil
}

// Stake is who has an interest in the project's committee decision: the
// organisation of the account that submitted it and the officer who led its
// study. The organisation typed on the need is a label only: a name an
// applicant types never removes a voter.
func (n *Need) Stake() Stake {
	var s Stake
	for _, k := range n.SubmittedBy.OrganisationKeys() {
		if !slices.Contains(s.Organisations, k) {
			s.Organisations = append(s.Organisations, k)
		}
	}
	if n.SubmittedBy.UserID != "" { // a submitter without an organisation has a stake too
		s.Submitters = append(s.Submitters, n.SubmittedBy.UserID)
	}
	if n.Study != nil && n.Study.LedBy != "" {
		s.People = append(s.People, n.Study.LedBy)
	}
	return s
}

// Clone is a deep copy of the state (to undo a change the read model
// refused). Callers are shared: nothing changes them in place.
func (n *Need) Clone() Need {
	c := *n
	c.Supporters = slices.Clone(n.Supporters)
	c.Carriers = slices.Clone(n.Carriers)
	c.Reminded = slices.Clone(n.Reminded)
	if n.QualifyFrom != nil {
		q := *n.QualifyFrom
		c.QualifyFrom = &q
	}
	if n.Beneficiaries != nil {
		b := *n.Beneficiaries
		c.Beneficiaries = &b
	}
	if n.Study != nil {
		st := *n.Study
		c.Study = &st
	}
	if n.Officer != nil {
		o := *n.Officer
		c.Officer = &o
	}
	if n.Pilot != nil {
		p := *n.Pilot
		p.Territories = slices.Clone(n.Pilot.Territories)
		p.Indicators = slices.Clone(n.Pilot.Indicators)
		p.Measures = slices.Clone(n.Pilot.Measures)
		c.Pilot = &p
	}
	c.cloneFollowUp(n)
	c.Ballots = cloneBallots(n.Ballots)
	return c
}

// NewNeed builds a captured need and its first event.
func NewNeed(id string, s NeedSubmission, by Caller, now time.Time) (*Need, Event) {
	if s.Organisation == "" {
		s.Organisation = by.Organisation
	}
	n := &Need{ID: id, NeedSubmission: s, SubmittedBy: by, Tracked: Tracked{CreatedAt: now, UpdatedAt: now}, Rules: NeedRules}
	ev := n.record(by, ActionSubmit, StageCaptured, "", now)
	return n, ev
}

// Ballot returns the open committee ballot, if any.
func (n *Need) Ballot() *Ballot {
	if n.Stage != StageCommittee || len(n.Ballots) == 0 {
		return nil
	}
	b := &n.Ballots[len(n.Ballots)-1]
	if b.Decided() {
		return nil
	}
	return b
}

// Authorize checks, without changing anything, that the caller may take the
// action now: 422 for an unknown action, 403 for a role or person that may
// not, 409 for a stage that does not allow it.
func (n *Need) Authorize(cmd NeedCommand) error {
	if err := Permit(NeedTable, cmd.Action, cmd.Caller, n.Stage); err != nil {
		return err
	}
	switch cmd.Action {
	case ActionProvideInfo:
		if !cmd.Caller.MayAnswerFor(n.SubmittedBy.UserID, n.SubmittedBy.OrganisationID) {
			return E(CodeForbidden, "error.not_submitter")
		}
	case ActionVote:
		if b := n.Ballot(); b != nil && b.Rule >= RuleMajority {
			if key, arg := n.Stake().VoiceStake(MemberOf(cmd.Caller), cmd.Voice, b.Rule); key == "error.stake_organisation" || key == "error.stake_institution" {
				return E(CodeForbidden, key, arg)
			} else if key != "" {
				return E(CodeForbidden, key)
			}
		}
	case ActionSupport:
		if slices.Contains(n.Supporters, cmd.Caller.OrganisationKey()) {
			return E(CodeConflict, "error.already_supported")
		}
		if n.Rules >= 1 && slices.Contains(n.SubmitterKeys(), cmd.Caller.OrganisationKey()) {
			return E(CodeConflict, "error.support_own_need")
		}
	}
	return nil
}

// TextBounds are a text's length in characters, once trimmed.
type TextBounds struct{ Min, Max int }

// NeedTexts bound the texts of a need's actions: Validate checks them and
// the API's document states them.
var NeedTexts = map[string]TextBounds{
	"comment": {2, 5000}, "reason": {5, 2000}, "summary": {20, 10000},
	"organisation": {2, 200}, "contact": {3, 200}, "motivation": {20, 5000}, "message": {2, 2000},
}

// Validate checks the action's own fields; now is the time of the request.
func (n *Need) Validate(cmd *NeedCommand, now time.Time, ref Reference) error {
	in := &cmd.NeedInput
	fe := FieldErrors{}
	text := func(field string, v *string, required bool) {
		b := NeedTexts[field]
		checkText(fe, field, v, required, b.Min, b.Max)
	}
	date := func(field, v string) (Date, bool) {
		if strings.TrimSpace(v) == "" {
			fe.Add(field, "field.required")
			return "", false
		}
		d, ok := ParseDate(v)
		if !ok {
			fe.Add(field, "field.date")
		}
		return d, ok
	}
	text("comment", &in.Comment, cmd.Action == ActionProvideInfo || cmd.Action == ActionRequestInfo)
	today := Today(now)
	switch cmd.Action {
	case ActionReject, ActionAbandon:
		text("reason", &in.Reason, true)
	case ActionMerge:
		in.Into = strings.TrimSpace(in.Into)
		switch {
		case in.Into == "":
			fe.Add("into", "field.required")
		case !IsUUID(in.Into):
			fe.Add("into", "field.uuid")
		case in.Into == n.ID:
			fe.Add("into", "field.merge_self")
		}
	case ActionStartStudy:
		if d, ok := date("due_date", in.DueDate); ok && d.Before(today) {
			fe.Add("due_date", "field.date_past")
		}
	case ActionSubmitStudy:
		if !slices.Contains(StudyRecommendations, in.Recommendation) {
			fe.Add("recommendation", "field.oneof", strings.Join(StudyRecommendations, ", "))
		}
		text("summary", &in.Summary, true)
		n.validateStudyBudget(in, fe)
	case ActionVote:
		if !slices.Contains(NeedDecisions, in.Decision) {
			fe.Add("decision", "field.oneof", joinDecisions(NeedDecisions))
		}
	case ActionProposeCarrier:
		text("organisation", &in.Organisation, true)
		text("contact", &in.Contact, true)
		text("motivation", &in.Motivation, true)
		n.validateCarrierOrganisation(cmd, fe)
		if n.Rules >= 1 {
			if key := carrierKey(cmd.Caller, in.OrganisationID, in.Organisation); key != "" &&
				slices.ContainsFunc(n.Carriers, func(c Carrier) bool { return !c.Declined && c.Key == key }) {
				return E(CodeConflict, "error.carrier_already_proposed")
			}
		}
	case ActionInviteCarrier:
		text("message", &in.Message, false)
		if err := n.validateInvitation(in, fe); err != nil {
			return err
		}
	case ActionDeclineCarrier:
		id, ok := ParseID(in.CarrierID)
		switch {
		case strings.TrimSpace(in.CarrierID) == "":
			fe.Add("carrier_id", "field.required")
		case !ok:
			fe.Add("carrier_id", "field.uuid")
		case n.liveCarrier(id) < 0:
			fe.Add("carrier_id", "field.live_carrier")
		}
		if ok {
			in.CarrierID = id
		}
		text("reason", &in.Reason, true)
	case ActionAssign:
		id, ok := ParseID(in.OfficerID)
		switch {
		case strings.TrimSpace(in.OfficerID) == "":
			fe.Add("officer_id", "field.required")
		case !ok:
			fe.Add("officer_id", "field.uuid")
		case n.Officer != nil && n.Officer.ID == id:
			fe.Add("officer_id", "field.officer_unchanged")
		}
		if ok {
			in.OfficerID = id
		}
	case ActionStartPilot:
		if id, ok := ParseID(in.CarrierID); ok {
			in.CarrierID = id
		}
		in.CarrierID = strings.TrimSpace(in.CarrierID)
		if in.CarrierID == "" {
			fe.Add("carrier_id", "field.required")
		} else if !slices.ContainsFunc(n.Carriers, func(c Carrier) bool { return c.ID == in.CarrierID }) {
			fe.Add("carrier_id", "field.unknown_carrier")
		} else if n.liveCarrier(in.CarrierID) < 0 {
			fe.Add("carrier_id", "field.carrier_declined")
		}
		if len(in.Territories) == 0 {
			fe.Add("territories", "field.required")
		}
		seen := map[string]bool{}
		for _, t := range in.Territories {
			if !ref.TerritoryExists(t) {
				fe.Add("territories", "field.unknown_territories", t)
			} else if seen[t] {
				fe.Add("territories", "field.duplicate_territory", t)
			}
			seen[t] = true
		}
		start, okStart := date("start_date", in.StartDate)
		end, okEnd := date("end_date", in.EndDate)
		if okStart && okEnd && !start.Before(end) {
			fe.Add("end_date", "field.end_before_start")
		}
		switch {
		case in.BudgetEUR == nil:
			fe.Add("budget_eur", "field.required")
		case math.IsNaN(*in.BudgetEUR) || math.IsInf(*in.BudgetEUR, 0):
			fe.Add("budget_eur", "field.number")
		case *in.BudgetEUR < 0:
			fe.Add("budget_eur", "field.min", "0")
		case *in.BudgetEUR > 1e10:
			fe.Add("budget_eur", "field.max", "10000000000")
		}
		n.validatePilotPlan(in, fe)
	case ActionRecordIndicator:
		if err := n.validateMeasure(in, now, fe); err != nil {
			return err
		}
	case ActionDeploy:
		n.validateDeployment(in, ref, fe)
	case ActionComplete:
		n.validateOutcome(in, fe)
	}
	return fe.Err()
}

// Apply carries out an authorised, valid command and returns the events it
// records. It is deterministic: same state, command and time, same result.
func (n *Need) Apply(cmd NeedCommand, now time.Time, studyDefault time.Duration) []Event {
	in := cmd.NeedInput
	r := NeedTable[cmd.Action]
	comment := in.Comment
	switch cmd.Action {
	case ActionReject, ActionAbandon, ActionDeclineCarrier:
		comment = joinText(in.Reason, in.Comment)
	case ActionSubmitStudy:
		comment = joinText(in.Summary, in.Comment)
	}
	ev := n.record(cmd.Caller, cmd.Action, r.to, comment, now)
	events := []Event{ev}
	last := &events[0]
	switch cmd.Action {
	case ActionMerge:
		n.MergedInto = in.Into
		last.Data = map[string]string{"into": in.Into}
	case ActionProvideInfo:
		if cmd.QualifyAgain {
			at := now
			n.QualifyFrom = &at
		}
	case ActionAssign:
		n.Officer = &OfficerRef{ID: in.OfficerID, Name: cmd.OfficerName}
		last.Data = n.Officer.data()
	case ActionQualify:
		// The officer who qualifies a file nobody is in charge of takes it.
		if n.Officer == nil && cmd.Caller.Has(RoleOfficer) {
			n.Officer = &OfficerRef{ID: cmd.Caller.UserID, Name: cmd.Caller.Name}
			last.Data = n.Officer.data()
		}
	case ActionStartStudy:
		due, _ := ParseDate(in.DueDate)
		n.Study = &Study{DueDate: due, StartedAt: now, LedBy: cmd.Caller.UserID}
		last.Data = map[string]string{"due_date": string(due)}
	case ActionSubmitStudy:
		n.Study.Recommendation, n.Study.Summary = in.Recommendation, in.Summary
		last.Data = map[string]string{"recommendation": in.Recommendation}
		n.Ballots = append(n.Ballots, NewBallot(len(n.Ballots)+1, now, cmd.Quorum, cmd.Voice, cmd.BallotRule))
	case ActionSupport:
		key := cmd.Caller.OrganisationKey()
		i, _ := slices.BinarySearch(n.Supporters, key)
		n.Supporters = slices.Insert(n.Supporters, i, key)
		last.Data = map[string]string{"organisation": cmd.Caller.OrganisationName(), "key": key}
		if cmd.Caller.OrganisationID != "" {
			last.Data["organisation_id"] = cmd.Caller.OrganisationID
		}
	case ActionProposeCarrier:
		c := Carrier{
			ID:           DerivedID(n.ID, "carrier", strconv.Itoa(last.Seq)),
			Organisation: in.Organisation, OrganisationID: in.OrganisationID, Contact: in.Contact, Motivation: in.Motivation,
			ProposedBy: cmd.Caller, ProposedAt: now,
		}
		if n.Rules >= 1 {
			c.Key = carrierKey(cmd.Caller, in.OrganisationID, in.Organisation)
		}
		n.Carriers = append(n.Carriers, c)
		last.Data = map[string]string{"carrier_id": c.ID, "organisation": c.Organisation}
		if c.OrganisationID != "" {
			last.Data["organisation_id"] = c.OrganisationID
		}
	case ActionInviteCarrier:
		n.Invited = append(n.Invited, in.OrganisationID)
		last.Data = map[string]string{"organisation_id": in.OrganisationID, "organisation": in.Organisation}
		if in.Message != "" {
			last.Data["message"] = in.Message
		}
	case ActionDeclineCarrier:
		c := &n.Carriers[n.liveCarrier(in.CarrierID)]
		c.Declined, c.DeclinedReason = true, in.Reason
		last.Data = map[string]string{"carrier_id": c.ID, "organisation": c.Organisation}
	case ActionStartPilot:
		start, _ := ParseDate(in.StartDate)
		end, _ := ParseDate(in.EndDate)
		n.Pilot = &Pilot{CarrierID: in.CarrierID, Territories: slices.Clone(in.Territories), StartDate: start, EndDate: end, BudgetEUR: roundCents(*in.BudgetEUR)}
		for i := range n.Carriers {
			n.Carriers[i].Chosen = n.Carriers[i].ID == in.CarrierID
		}
		last.Data = map[string]string{"carrier_id": in.CarrierID, "territories": strings.Join(in.Territories, ","),
			"start_date": string(start), "end_date": string(end), "budget_eur": strconv.FormatFloat(n.Pilot.BudgetEUR, 'f', 2, 64)}
	case ActionVote:
		b := n.Ballot()
		quorum := cmd.Quorum
		if b.Rule == RulePlurality && cmd.QuorumAll > 0 {
			quorum = cmd.QuorumAll // an older ballot: every member counts, as when it opened
		}
		replaced := b.CastVoice(Vote{VoterID: cmd.Caller.UserID, VoterName: cmd.Caller.Name, Decision: in.Decision, Comment: in.Comment, At: now},
			cmd.Voice, quorum)
		last.Data = map[string]string{"decision": string(in.Decision), "round": strconv.Itoa(b.Round)}
		if replaced {
			last.Data["replaced"] = "true"
		}
		if d, ok := b.Tally(b.Quorum); ok {
			events = append(events, n.decide(b, d, now, studyDefault))
		}
	}
	n.applyFollowUp(cmd, now, &events[0])
	return events
}

// decide closes the ballot and moves the project on.
func (n *Need) decide(b *Ballot, d Decision, now time.Time, studyDefault time.Duration) Event {
	b.Outcome, b.DecidedAt = d, now
	to := StageCarrierSearch
	switch d {
	case DecisionReject:
		to = StageRejected
	case DecisionBackToStudy:
		to = StageFeasibility
		n.Study = &Study{DueDate: Today(now).AddDays(int(studyDefault / (24 * time.Hour))), StartedAt: now, LedBy: n.Study.LedBy}
	}
	count := b.Count()
	ev := n.record(System, ActionDecide, to, "", now)
	ev.Data = map[string]string{
		"decision": string(d), "round": strconv.Itoa(b.Round), "quorum": strconv.Itoa(b.Quorum),
		"approve": strconv.Itoa(count[DecisionApprove]), "reject": strconv.Itoa(count[DecisionReject]),
		"back_to_study": strconv.Itoa(count[DecisionBackToStudy]),
	}
	if to == StageFeasibility {
		ev.Data["due_date"] = string(n.Study.DueDate)
	}
	if d == DecisionApprove {
		n.approveBudget(&ev)
	}
	return ev
}

// Deadline is a moment at which, if the project has not moved, the system
// records a reminder (or, for the committee, an escalation).
type Deadline struct {
	Key    string    `json:"key"`
	Kind   string    `json:"kind"`
	Action Action    `json:"action"`
	At     time.Time `json:"at"`
}

// Policy holds the delays behind deadlines.
type Policy struct {
	QualifyWithin   time.Duration `json:"qualify_within"`
	CommitteeWithin time.Duration `json:"committee_within"`
	StudyDefault    time.Duration `json:"study_default"`
	// CarrierWithin is how long the carrier search may take before a
	// reminder; zero (the inputs of workflows started before it existed)
	// sets no such deadline.
	CarrierWithin time.Duration `json:"carrier_within,omitempty"`
}

// DefaultPolicy is what the region asked for: qualify within 14 days, the
// committee decides within 30, a study sent back gets 90 more days.
var DefaultPolicy = Policy{QualifyWithin: 14 * 24 * time.Hour, CommitteeWithin: 30 * 24 * time.Hour, StudyDefault: 90 * 24 * time.Hour,
	CarrierWithin: 60 * 24 * time.Hour}

// PendingDeadlines are the need's deadlines still to fire, earliest first
// (one per stage today; the mechanism takes any number).
func (n *Need) PendingDeadlines(p Policy) []Deadline {
	var all []Deadline
	if d, ok := n.Deadline(p); ok {
		all = append(all, d)
	}
	return PendingDeadlines(all, n.Reminded)
}

// NextDeadline is the deadline still to fire in the current stage, if any.
func (n *Need) NextDeadline(p Policy) (Deadline, bool) {
	if ds := n.PendingDeadlines(p); len(ds) > 0 {
		return ds[0], true
	}
	return Deadline{}, false
}

// Deadline is the current stage's deadline, fired or not (the read model
// shows a project as overdue from then until it moves on).
func (n *Need) Deadline(p Policy) (Deadline, bool) {
	var d Deadline
	switch n.Stage {
	case StageCaptured, StageAwaitingInfo:
		d = Deadline{Key: "qualification", Kind: "qualification_overdue", Action: ActionRemind, At: n.CreatedAt.Add(p.QualifyWithin)}
		if n.QualifyFrom != nil { // back from the submitter: a fresh delay, reminded anew
			d.Key, d.At = "qualification:"+n.QualifyFrom.UTC().Format(time.RFC3339Nano), n.QualifyFrom.Add(p.QualifyWithin)
		}
	case StageFeasibility:
		d = Deadline{Key: "study:" + strconv.Itoa(n.StageSeq), Kind: "study_overdue", Action: ActionRemind, At: n.Study.DueDate.End()}
	case StageCommittee:
		d = Deadline{Key: "committee:" + strconv.Itoa(n.StageSeq), Kind: "committee_overdue", Action: ActionEscalate, At: n.StageEnteredAt.Add(p.CommitteeWithin)}
	case StageCarrierSearch:
		if p.CarrierWithin <= 0 {
			return Deadline{}, false
		}
		d = Deadline{Key: "carrier:" + strconv.Itoa(n.StageSeq), Kind: "carrier_search_overdue", Action: ActionRemind, At: n.StageEnteredAt.Add(p.CarrierWithin)}
	case StagePilot:
		d = Deadline{Key: "pilot:" + strconv.Itoa(n.StageSeq), Kind: "pilot_overdue", Action: ActionRemind, At: n.Pilot.EndDate.End()}
	default:
		return Deadline{}, false
	}
	return d, true
}

// Fire records that a deadline passed.
func (n *Need) Fire(d Deadline, now time.Time) Event {
	n.Reminded = append(n.Reminded, d.Key)
	ev := n.record(System, d.Action, "", "", now)
	ev.Data = map[string]string{"kind": d.Kind, "due": d.At.UTC().Format(time.RFC3339)}
	if n.Officer != nil { // the reminder names who is in charge
		ev.Data["officer_id"], ev.Data["officer_name"] = n.Officer.ID, n.Officer.Name
	}
	return ev
}

// data is how an event records the officer in charge.
func (o *OfficerRef) data() map[string]string {
	return map[string]string{"officer_id": o.ID, "officer_name": o.Name}
}

// Absorb records on the target that another need was merged into it. The
// merged need's supporters and its submitting organisation (keys) become
// supporters of this one: each organisation once, never one that submitted
// this need, and no more than MaxSupporters in all. The event lists the
// keys it added (one per line), so the read model can copy their supports.
func (n *Need) Absorb(fromID, fromTitle string, supporters []string, by Caller, now time.Time) Event {
	own := n.SubmitterKeys()
	var added []string
	for _, k := range supporters {
		if k == "" || slices.Contains(own, k) || len(n.Supporters) >= MaxSupporters {
			continue
		}
		i, found := slices.BinarySearch(n.Supporters, k)
		if found {
			continue
		}
		n.Supporters = slices.Insert(n.Supporters, i, k)
		added = append(added, k)
	}
	ev := n.record(by, ActionAbsorb, "", "", now)
	ev.Data = map[string]string{"need_id": fromID, "title": fromTitle}
	if len(added) > 0 {
		ev.Data["supporters"] = strings.Join(added, "\n")
		ev.Data["supports_carried"] = strconv.Itoa(len(added))
	}
	return ev
}

// MergeSupporters are the organisation keys a merge carries to its target:
// the need's supporters, then its submitting organisation.
func (n *Need) MergeSupporters() []string {
	keys := slices.Clone(n.Supporters)
	if k := n.SubmitterKey(); k != "" && !slices.Contains(keys, k) {
		keys = append(keys, k)
	}
	return keys
}

// record moves the project to stage `to` ("" stays) and returns the event.

// DerivedID is a stable UUID (version 5 style) computed from parts, so that a
// replayed or retried step names the same thing.
func DerivedID(parts ...string) string {
	h := sha1.Sum([]byte(strings.Join(parts, "\x00")))
	h[6] = (h[6] & 0x0f) | 0x50
	h[8] = (h[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// IsUUID tells whether s is a canonical UUID.
func IsUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
				return false
			}
		}
	}
	return true
}

func joinText(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + "\n\n" + b
}

func roundCents(v float64) float64 {
	c := int64(v*100 + 0.5)
	return float64(c) / 100
}
