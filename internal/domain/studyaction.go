package domain

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Stages of a trust-fund study-action (Fonds de confiance); the committee
// and rejected stages are the needs' own.
const (
	StageApplication       Stage = "application"
	StageRecruitment       Stage = "recruitment"
	StageStudy             Stage = "study"
	StageConclusion        Stage = "conclusion" // the study's time is over, its conclusion awaited
	StageEnterpriseCreated Stage = "enterprise_created"
	StageNotPursued        Stage = "not_pursued"
	StageWithdrawn         Stage = "withdrawn"
)

// StudyActionStages lists a study-action's stages in order, terminal ones last.
var StudyActionStages = []Stage{StageApplication, StageCommittee, StageRecruitment, StageStudy, StageConclusion,
	StageEnterpriseCreated, StageNotPursued, StageRejected, StageWithdrawn}

// StudyActionActive are the stages in which something can still happen.
var StudyActionActive = StudyActionStages[:5]

// StudyActionTerminal tells whether a study-action has ended in stage s.
func StudyActionTerminal(s Stage) bool { return !slices.Contains(StudyActionActive, s) }

// Actions of a study-action (vote, withdraw and the system's are shared).
const (
	ActionAppraise        Action = "appraise"
	ActionRecruit         Action = "recruit"
	ActionReport          Action = "report"
	ActionExtend          Action = "extend"
	ActionConclude        Action = "conclude"
	ActionWithdraw        Action = "withdraw"
	ActionReviseFinancing Action = "revise_financing"
	// Recorded by the system when the study's time is over.
	ActionStudyEnded Action = "study_ended"
)

// StudyActionTable is the Fonds de confiance: every stage rule lives here.
// A vote is taken whenever a ballot is open: the application's, or a change
// of financing plan after the decision.
var StudyActionTable = StageRules{
	ActionAppraise:        {roles: []Role{RoleOfficer}, from: []Stage{StageApplication}, to: StageCommittee},
	ActionVote:            {roles: []Role{RoleCommittee}, from: []Stage{StageCommittee, StageRecruitment, StageStudy, StageConclusion}},
	ActionRecruit:         {roles: []Role{RoleOfficer}, from: []Stage{StageRecruitment}, to: StageStudy},
	ActionReport:          {roles: []Role{RoleOfficer, RoleActor}, from: []Stage{StageStudy, StageConclusion}},
	ActionExtend:          {roles: []Role{RoleOfficer}, from: []Stage{StageStudy, StageConclusion}, to: StageStudy},
	ActionConclude:        {roles: []Role{RoleOfficer}, from: []Stage{StageStudy, StageConclusion}},
	ActionReviseFinancing: {roles: []Role{RoleOfficer, RoleActor}, from: []Stage{StageApplication, StageRecruitment, StageStudy, StageConclusion}},
	ActionWithdraw:        {roles: []Role{RoleOfficer, RoleActor}, from: StudyActionActive, to: StageWithdrawn},
}

// StudyActionActions are the actions of POST /study-actions/{id}/transitions, in order.
var StudyActionActions = []Action{ActionAppraise, ActionVote, ActionRecruit, ActionReport, ActionExtend,
	ActionConclude, ActionReviseFinancing, ActionWithdraw}

// StudyActionFields are the fields each action reads, in the order a form shows them.
var StudyActionFields = map[Action][]string{
	ActionAppraise:        {"recommendation", "opinion", "comment"},
	ActionVote:            {"decision", "comment"},
	ActionRecruit:         {"carrier_name", "start_date", "comment"},
	ActionReport:          {"month", "text"},
	ActionExtend:          {"months", "comment"},
	ActionConclude:        {"outcome", "enterprise_name", "legal_form", "jobs_created", "reason", "comment"},
	ActionReviseFinancing: {"financing", "comment"},
	ActionWithdraw:        {"reason", "comment"},
}

// StudyActionRoles returns who may take a study-action action (nil for an unknown one).
func StudyActionRoles(a Action) []Role { return StudyActionTable.Roles(a) }

// StudyActionAllowedFrom tells whether the action can be taken from this stage.
func StudyActionAllowedFrom(a Action, s Stage) bool { return StudyActionTable.AllowedFrom(a, s) }

// Bounds of a study-action (the seed: 6 to 9 months).
const (
	MinStudyMonths = 6
	MaxStudyMonths = 9
	MaxFinancing   = 10
)

// Appraisal opinions an officer may give.
const (
	OpinionFavourable   = "favourable"
	OpinionReserved     = "reserved"
	OpinionUnfavourable = "unfavourable"
)

// AppraisalOpinions are the recommendations of an appraisal, in the order shown.
var AppraisalOpinions = []string{OpinionFavourable, OpinionReserved, OpinionUnfavourable}

// Study outcomes.
const (
	OutcomeEnterpriseCreated = "enterprise_created"
	OutcomeNotPursued        = "not_pursued"
)

// StudyOutcomes are the ways a study-action ends.
var StudyOutcomes = []string{OutcomeEnterpriseCreated, OutcomeNotPursued}

// StudyFunderKinds are who co-finances a study-action.
var StudyFunderKinds = []FunderKind{FunderRegion, FunderCDC, FunderPrivate}

// StudyActionDecisions are the committee's options on a study-action.
var StudyActionDecisions = NeedDecisions

// Financing is one line of a study-action's co-financing plan.
type Financing struct {
	Funder    string     `json:"funder"`
	Kind      FunderKind `json:"kind"`
	AmountEUR *float64   `json:"amount_eur"`
}

// Plan sums a financing plan by kind of funder.
type Plan struct {
	RegionEUR  float64 `json:"region_eur"`
	CDCEUR     float64 `json:"cdc_eur"`
	PrivateEUR float64 `json:"private_eur"`
}

// PlanOf adds up a financing plan.
func PlanOf(lines []Financing) Plan {
	var p Plan
	for _, f := range lines {
		if f.AmountEUR == nil {
			continue
		}
		switch f.Kind {
		case FunderRegion:
			p.RegionEUR += *f.AmountEUR
		case FunderCDC:
			p.CDCEUR += *f.AmountEUR
		case FunderPrivate:
			p.PrivateEUR += *f.AmountEUR
		}
	}
	return p
}

// Total is the whole plan.
func (p Plan) Total() float64 { return p.RegionEUR + p.CDCEUR + p.PrivateEUR }

// Leverage is the seed's effet levier of the Region's money: what the Caisse
// des dépôts and private partners bring for each euro of the Region (nil
// without Region money).
func (p Plan) Leverage() *float64 {
	if p.RegionEUR <= 0 {
		return nil
	}
	l := math.Round((p.CDCEUR+p.PrivateEUR)/p.RegionEUR*100) / 100
	return &l
}

// Application is what a host company sends to apply; the form's fields
// carry the same names.
type Application struct {
	HostCompany    string      `json:"host_company"`
	HostSIRET      string      `json:"host_siret,omitempty"`
	ProjectTitle   string      `json:"project_title"`
	Summary        string      `json:"summary"`
	Sponsor        string      `json:"sponsor"`
	DurationMonths int         `json:"duration_months"`
	Financing      []Financing `json:"financing"`
	NeedID         string      `json:"need_id,omitempty"`
}

// Validate returns a 422 naming every failing field, or nil. Whether the
// need exists is the service's to check.
func (a *Application) Validate() error {
	fe := FieldErrors{}
	checkText(fe, "host_company", &a.HostCompany, true, 2, 200)
	a.HostSIRET = strings.Join(strings.Fields(a.HostSIRET), "")
	if a.HostSIRET != "" && !ValidSIRET(a.HostSIRET) {
		fe.Add("host_siret", "field.siret")
	}
	checkText(fe, "project_title", &a.ProjectTitle, true, 5, 200)
	checkText(fe, "summary", &a.Summary, true, 20, 10000)
	checkText(fe, "sponsor", &a.Sponsor, true, 2, 200)
	switch {
	case a.DurationMonths == 0:
		fe.Add("duration_months", "field.required")
	case a.DurationMonths < MinStudyMonths || a.DurationMonths > MaxStudyMonths:
		fe.Add("duration_months", "field.between", strconv.Itoa(MinStudyMonths), strconv.Itoa(MaxStudyMonths))
	}
	checkFinancing(fe, a.Financing)
	a.NeedID = strings.TrimSpace(a.NeedID)
	if a.NeedID != "" {
		if id, ok := ParseID(a.NeedID); ok {
			a.NeedID = id
		} else {
			fe.Add("need_id", "field.uuid")
		}
	}
	return fe.Err()
}

// checkFinancing checks a co-financing plan: 1 to MaxFinancing lines of
// positive amounts, the Region among the funders.
func checkFinancing(fe FieldErrors, lines []Financing) {
	switch {
	case len(lines) == 0:
		fe.Add("financing", "field.required")
		return
	case len(lines) > MaxFinancing:
		fe.Add("financing", "field.max_items", strconv.Itoa(MaxFinancing))
		return
	}
	region := false
	for i := range lines {
		f := &lines[i]
		sub := FieldErrors{}
		checkText(sub, "name", &f.Funder, true, 2, 200)
		switch {
		case f.Kind == "":
			sub.Add("kind", "field.required")
		case !slices.Contains(StudyFunderKinds, f.Kind):
			sub.Add("kind", "field.oneof", joinValues(StudyFunderKinds))
		}
		checkNumber(sub, "amount_eur", f.AmountEUR, true, 0, MaxAmountEUR, true)
		f.AmountEUR = cents(f.AmountEUR)
		addRow(fe, "financing", strconv.Itoa(i+1), sub)
		region = region || f.Kind == FunderRegion
	}
	if !region {
		fe.Add("financing", "field.region_required")
	}
}

// StudyActionInput is the body of POST /study-actions/{id}/transitions; each
// action reads its own fields (StudyActionFields).
type StudyActionInput struct {
	Action         Action      `json:"action"`
	Comment        string      `json:"comment,omitempty"`
	Opinion        string      `json:"opinion,omitempty"`
	Recommendation string      `json:"recommendation,omitempty"`
	Decision       Decision    `json:"decision,omitempty"`
	CarrierName    string      `json:"carrier_name,omitempty"`
	StartDate      string      `json:"start_date,omitempty"`
	Month          int         `json:"month,omitempty"`
	Text           string      `json:"text,omitempty"`
	Months         int         `json:"months,omitempty"`
	Outcome        string      `json:"outcome,omitempty"`
	EnterpriseName string      `json:"enterprise_name,omitempty"`
	LegalForm      LegalForm   `json:"legal_form,omitempty"`
	JobsCreated    *float64    `json:"jobs_created,omitempty"`
	Reason         string      `json:"reason,omitempty"`
	Financing      []Financing `json:"financing,omitempty"`
}

// StudyActionCommand is an action with who asks for it; Quorum is filled
// for what opens or moves a ballot.
type StudyActionCommand struct {
	StudyActionInput
	Caller Caller `json:"caller"`
	Quorum int    `json:"quorum,omitempty"`
	// BallotRule is the rule of the ballots it opens (the workflow sets it
	// from its version; RuleMajority before institutions); Voice is what a
	// vote speaks for (institution.go).
	BallotRule int   `json:"ballot_rule,omitempty"`
	Voice      Voice `json:"voice,omitzero"`
}

// Appraisal is the officer's opinion on an application.
type Appraisal struct {
	Recommendation string     `json:"recommendation,omitempty"`
	Opinion        string     `json:"opinion"`
	By             OfficerRef `json:"by"`
	At             time.Time  `json:"at"`
}

// Recruitment is the carrier the host company recruited and the study's dates.
type Recruitment struct {
	CarrierName string    `json:"carrier_name"`
	StartDate   Date      `json:"start_date"`
	RecruitedAt time.Time `json:"recruited_at"`
}

// Report is a monthly progress report.
type Report struct {
	Month  int       `json:"month"`
	Text   string    `json:"text"`
	ByID   string    `json:"by_id"`
	ByName string    `json:"by_name"`
	At     time.Time `json:"at"`
}

// Conclusion is how a study-action ended.
type Conclusion struct {
	Outcome        string    `json:"outcome"`
	EnterpriseName string    `json:"enterprise_name,omitempty"`
	LegalForm      LegalForm `json:"legal_form,omitempty"`
	JobsCreated    float64   `json:"jobs_created"`
	Reason         string    `json:"reason,omitempty"`
	At             time.Time `json:"at"`
}

// StudyAction is the whole state of one study-action; its workflow owns it.
type StudyAction struct {
	ID string `json:"id"`
	Application
	Applicant Caller `json:"applicant"`
	Tracked
	// Conditions are those a committee session attached to its approval.
	Conditions string `json:"conditions,omitempty"`
	// Months is the study's length now: the applied duration plus extensions.
	Months    int          `json:"months"`
	Officer   *OfficerRef  `json:"officer,omitempty"` // who appraised the file
	Appraisal *Appraisal   `json:"appraisal,omitempty"`
	Ballots   []Ballot     `json:"ballots,omitempty"`
	Carrier   *Recruitment `json:"carrier,omitempty"`
	// ApprovedAt is when the committee granted the application.
	ApprovedAt time.Time `json:"approved_at,omitzero"`
	// PendingFinancing is a new plan awaiting the committee (after the
	// decision, a change of plan needs a new one).
	PendingFinancing []Financing `json:"pending_financing,omitempty"`
	Reports          []Report    `json:"reports,omitempty"`
	Conclusion       *Conclusion `json:"conclusion,omitempty"`
	Reminded         []string    `json:"reminded,omitempty"`
	// MonthRule is how months are added to the start date: MonthsClamped
	// for study-actions applied for since months clamp to their last day;
	// 0 (Go's overflow past a month's end) for older ones, whose recorded
	// deadlines must replay as they ran.
	MonthRule int `json:"month_rule,omitempty"`
}

// MonthsClamped adds months clamped to the month's last day (Date.AddMonths).
const MonthsClamped = 1

// startPlus is the day n months after the study's start, by its month rule.
func (s *StudyAction) startPlus(n int) Date {
	if s.MonthRule >= MonthsClamped {
		return s.Carrier.StartDate.AddMonths(n)
	}
	return s.Carrier.StartDate.addMonthsOverflow(n)
}

// MonthStart is the first day of the study's month m (1 for the first).
func (s *StudyAction) MonthStart(m int) Date {
	if s.Carrier == nil {
		return ""
	}
	return s.startPlus(m - 1)
}

// NewStudyAction builds an application and its first event.
func NewStudyAction(id string, a Application, by Caller, now time.Time) (*StudyAction, Event) {
	s := &StudyAction{ID: id, Application: a, Applicant: by, Tracked: Tracked{CreatedAt: now, UpdatedAt: now}, Months: a.DurationMonths, MonthRule: MonthsClamped}
	ev := s.record(by, ActionSubmit, StageApplication, "", now)
	return s, ev
}

// EndDate is the day the study ends (its start plus its months), "" before recruitment.
func (s *StudyAction) EndDate() Date {
	if s.Carrier == nil {
		return ""
	}
	return s.startPlus(s.Months)
}

// Plan is the financing plan in force.
func (s *StudyAction) Plan() Plan { return PlanOf(s.Financing) }

// Ballot returns the open committee ballot, if any.
func (s *StudyAction) Ballot() *Ballot {
	if len(s.Ballots) == 0 || StudyActionTerminal(s.Stage) {
		return nil
	}
	b := &s.Ballots[len(s.Ballots)-1]
	if b.Decided() {
		return nil
	}
	return b
}

// IsHost tells whether the caller speaks for the host company: who applied,
// or a person of the host company's organisation.
func (s *StudyAction) IsHost(c Caller) bool {
	if c.UserID != "" && c.UserID == s.Applicant.UserID {
		return true
	}
	k := NormaliseKey(c.Organisation)
	return k != "" && (k == NormaliseKey(s.HostCompany) || k == NormaliseKey(s.Applicant.Organisation))
}

// Stake is who may not vote on the study-action: the applicant's account's
// organisation, the applicant and the officer who appraised it. The host
// company's name is typed by the applicant: a label, never a stake.
func (s *StudyAction) Stake() Stake {
	var st Stake
	for _, k := range s.Applicant.OrganisationKeys() {
		if !slices.Contains(st.Organisations, k) {
			st.Organisations = append(st.Organisations, k)
		}
	}
	if s.Applicant.UserID != "" {
		st.Submitters = append(st.Submitters, s.Applicant.UserID)
	}
	if s.Officer != nil {
		st.People = append(st.People, s.Officer.ID)
	}
	return st
}

// Authorize checks, without changing anything, that the caller may take the
// action now: 422 unknown action, 403 role or person, 409 stage.
func (s *StudyAction) Authorize(cmd StudyActionCommand) error {
	if err := Permit(StudyActionTable, cmd.Action, cmd.Caller, s.Stage); err != nil {
		return err
	}
	host := cmd.Caller.Has(RoleOfficer) || s.IsHost(cmd.Caller)
	switch cmd.Action {
	case ActionReport, ActionWithdraw:
		if !host {
			return E(CodeForbidden, "error.not_host")
		}
	case ActionReviseFinancing:
		if !host {
			return E(CodeForbidden, "error.not_host")
		}
		if s.Stage != StageApplication && s.Ballot() != nil {
			return E(CodeConflict, "error.plan_change_pending")
		}
	case ActionVote:
		if s.Ballot() == nil {
			return StageConflict(s.Stage)
		}
		if key, arg := s.Stake().VoiceStake(MemberOf(cmd.Caller), cmd.Voice, s.Ballot().Rule); key == "error.stake_organisation" || key == "error.stake_institution" {
			return E(CodeForbidden, key, arg)
		} else if key != "" {
			return E(CodeForbidden, key)
		}
	}
	return nil
}

// Validate checks the action's own fields; now is the time of the request.
func (s *StudyAction) Validate(cmd *StudyActionCommand, now time.Time) error {
	in := &cmd.StudyActionInput
	fe := FieldErrors{}
	checkText(fe, "comment", &in.Comment, false, 2, 5000)
	switch cmd.Action {
	case ActionAppraise:
		checkText(fe, "opinion", &in.Opinion, true, 20, 10000)
		if in.Recommendation != "" && !slices.Contains(AppraisalOpinions, in.Recommendation) {
			fe.Add("recommendation", "field.oneof", strings.Join(AppraisalOpinions, ", "))
		}
	case ActionVote:
		if !slices.Contains(StudyActionDecisions, in.Decision) {
			fe.Add("decision", "field.oneof", joinDecisions(StudyActionDecisions))
		}
	case ActionRecruit:
		checkText(fe, "carrier_name", &in.CarrierName, true, 2, 200)
		switch d, ok := ParseDate(in.StartDate); {
		case strings.TrimSpace(in.StartDate) == "":
			fe.Add("start_date", "field.required")
		case !ok:
			fe.Add("start_date", "field.date")
		case !s.ApprovedAt.IsZero() && d.Before(DayOf(s.ApprovedAt)):
			fe.Add("start_date", "field.before_approval")
		default:
			in.StartDate = string(d)
		}
	case ActionReport:
		checkText(fe, "text", &in.Text, true, 20, 10000)
		switch {
		case in.Month == 0:
			fe.Add("month", "field.required")
		case in.Month < 1 || in.Month > s.Months:
			fe.Add("month", "field.between", "1", strconv.Itoa(s.Months))
		case s.Carrier != nil && now.Before(s.MonthStart(in.Month).Start()):
			fe.Add("month", "field.month_not_started", string(s.MonthStart(in.Month)))
		case slices.ContainsFunc(s.Reports, func(r Report) bool { return r.Month == in.Month }):
			return E(CodeConflict, "error.report_exists", strconv.Itoa(in.Month))
		}
	case ActionExtend:
		switch {
		case in.Months == 0:
			fe.Add("months", "field.required")
		case in.Months < 1 || in.Months > MaxStudyMonths-s.Months: // no sum: a huge number must not wrap around
			fe.Add("months", "field.extend_within", strconv.Itoa(MaxStudyMonths), strconv.Itoa(max(MaxStudyMonths-s.Months, 0)))
		}
	case ActionConclude:
		switch in.Outcome {
		case OutcomeEnterpriseCreated:
			checkText(fe, "enterprise_name", &in.EnterpriseName, false, 2, 200)
			switch {
			case in.LegalForm == "":
				fe.Add("legal_form", "field.required")
			case !slices.Contains(LegalForms, in.LegalForm):
				fe.Add("legal_form", "field.oneof", joinValues(LegalForms))
			}
			checkNumber(fe, "jobs_created", in.JobsCreated, true, 0, MaxJobsCreated, false)
		case OutcomeNotPursued:
			checkText(fe, "reason", &in.Reason, true, 5, 2000)
		case "":
			fe.Add("outcome", "field.required")
		default:
			fe.Add("outcome", "field.oneof", strings.Join(StudyOutcomes, ", "))
		}
	case ActionReviseFinancing:
		checkFinancing(fe, in.Financing)
	case ActionWithdraw:
		checkText(fe, "reason", &in.Reason, true, 5, 2000)
	}
	return fe.Err()
}

// Bounds refuses dates out of range and a state that would outgrow
// MaxStateBytes (the update's validator applies it, as for needs).
func (s *StudyAction) Bounds(cmd StudyActionCommand) error {
	lo, hi := DateBounds(time.Time{})
	if d, ok := ParseDate(cmd.StartDate); ok && (d.Before(lo) || hi.Before(d)) {
		fe := FieldErrors{}
		fe.Add("start_date", "field.date_range", string(lo), string(hi))
		return fe.Err()
	}
	return roomFor(s, cmd)
}

// roomFor refuses a command that could grow a state past MaxStateBytes.
func roomFor(state, cmd any) error {
	st, err1 := json.Marshal(state)
	in, err2 := json.Marshal(cmd)
	if err1 == nil && err2 == nil && len(st)+len(in)+2048 > MaxStateBytes {
		return E(CodeConflict, "error.need_full")
	}
	return nil
}

// Apply carries out an authorised, valid command and returns its events.
func (s *StudyAction) Apply(cmd StudyActionCommand, now time.Time) []Event {
	in := cmd.StudyActionInput
	r := StudyActionTable[cmd.Action]
	comment := in.Comment
	switch cmd.Action {
	case ActionAppraise:
		comment = joinText(in.Opinion, in.Comment)
	case ActionWithdraw:
		comment = joinText(in.Reason, in.Comment)
	case ActionReport:
		comment = in.Text
	case ActionConclude:
		r.to = StageEnterpriseCreated
		if in.Outcome == OutcomeNotPursued {
			r.to = StageNotPursued
			comment = joinText(in.Reason, in.Comment)
		}
	}
	events := []Event{s.record(cmd.Caller, cmd.Action, r.to, comment, now)}
	ev := &events[0]
	switch cmd.Action {
	case ActionAppraise:
		s.Officer = &OfficerRef{ID: cmd.Caller.UserID, Name: cmd.Caller.Name}
		s.Appraisal = &Appraisal{Recommendation: in.Recommendation, Opinion: in.Opinion, By: *s.Officer, At: now}
		s.Ballots = append(s.Ballots, NewBallot(len(s.Ballots)+1, now, cmd.Quorum, cmd.Voice, max(cmd.BallotRule, RuleMajority)))
		ev.Data = map[string]string{"recommendation": in.Recommendation, "round": strconv.Itoa(len(s.Ballots))}
	case ActionVote:
		b := s.Ballot()
		replaced := b.CastVoice(Vote{VoterID: cmd.Caller.UserID, VoterName: cmd.Caller.Name, Decision: in.Decision, Comment: in.Comment, At: now},
			cmd.Voice, cmd.Quorum)
		ev.Data = map[string]string{"decision": string(in.Decision), "round": strconv.Itoa(b.Round)}
		if replaced {
			ev.Data["replaced"] = "true"
		}
		if d, ok := b.Tally(b.Quorum); ok {
			events = append(events, s.decide(b, d, now))
		}
	case ActionRecruit:
		start, _ := ParseDate(in.StartDate)
		s.Carrier = &Recruitment{CarrierName: in.CarrierName, StartDate: start, RecruitedAt: now}
		ev.Data = map[string]string{"carrier_name": in.CarrierName, "start_date": string(start), "end_date": string(s.EndDate())}
	case ActionReport:
		s.Reports = append(s.Reports, Report{Month: in.Month, Text: in.Text, ByID: cmd.Caller.UserID, ByName: cmd.Caller.Name, At: now})
		slices.SortFunc(s.Reports, func(a, b Report) int { return a.Month - b.Month })
		ev.Data = map[string]string{"month": strconv.Itoa(in.Month)}
	case ActionExtend:
		s.Months += in.Months
		ev.Data = map[string]string{"months": strconv.Itoa(s.Months), "end_date": string(s.EndDate())}
	case ActionConclude:
		c := &Conclusion{Outcome: in.Outcome, At: now}
		if in.Outcome == OutcomeEnterpriseCreated {
			c.EnterpriseName, c.LegalForm, c.JobsCreated = in.EnterpriseName, in.LegalForm, roundCents(*in.JobsCreated)
			ev.Data = map[string]string{"legal_form": string(c.LegalForm), "jobs_created": formatPlain(c.JobsCreated)}
		} else {
			c.Reason = in.Reason
		}
		s.Conclusion = c
	case ActionReviseFinancing:
		plan := PlanOf(in.Financing)
		ev.Data = map[string]string{"total_eur": amount(plan.Total()), "region_eur": amount(plan.RegionEUR)}
		if s.Stage == StageApplication {
			s.Financing = slices.Clone(in.Financing)
			break
		}
		// After the decision, the new plan waits for a new one.
		s.PendingFinancing = slices.Clone(in.Financing)
		s.Ballots = append(s.Ballots, NewBallot(len(s.Ballots)+1, now, cmd.Quorum, cmd.Voice, max(cmd.BallotRule, RuleMajority)))
		ev.Data["round"] = strconv.Itoa(len(s.Ballots))
		ev.Data["pending"] = "true"
	}
	return events
}

// decide closes a ballot: on the application, it moves the study-action on;
// on a change of plan, it adopts or drops the new plan.
func (s *StudyAction) decide(b *Ballot, d Decision, now time.Time) Event {
	b.Outcome, b.DecidedAt = d, now
	count := b.Count()
	data := map[string]string{
		"decision": string(d), "round": strconv.Itoa(b.Round), "quorum": strconv.Itoa(b.Quorum),
		"approve": strconv.Itoa(count[DecisionApprove]), "reject": strconv.Itoa(count[DecisionReject]),
		"back_to_study": strconv.Itoa(count[DecisionBackToStudy]),
	}
	var to Stage
	if s.Stage == StageCommittee {
		switch d {
		case DecisionApprove:
			to = StageRecruitment
			s.ApprovedAt = now
		case DecisionReject:
			to = StageRejected
		default:
			to = StageApplication // the officer appraises again
		}
	} else {
		data["subject"] = "financing"
		if d == DecisionApprove {
			s.Financing = s.PendingFinancing
		}
		s.PendingFinancing = nil
	}
	ev := s.record(System, ActionDecide, to, "", now)
	ev.Data = data
	return ev
}

// FundTargets is the Fonds de confiance's period and targets (configuration):
// the seed's 8 enterprises and 120 jobs "sur la période 2012-2013".
type FundTargets struct {
	From              Date    `json:"from"` // the period, both days included
	To                Date    `json:"to"`
	TargetEnterprises int     `json:"target_enterprises"`
	TargetJobs        float64 `json:"target_jobs"`
}

// DefaultFundTargets is the seed's targets over the plan's current two years.
var DefaultFundTargets = FundTargets{From: "2026-01-01", To: "2027-12-31", TargetEnterprises: 8, TargetJobs: 120}

// StudyActionPolicy holds the delays behind a study-action's deadlines.
type StudyActionPolicy struct {
	RecruitWithin time.Duration `json:"recruit_within"` // reminder after the approval
	EscalateAfter time.Duration `json:"escalate_after"` // then escalation to the officer
	ReportGrace   time.Duration `json:"report_grace"`   // a month's report is late after its end plus this
	// CommitteeWithin is how long the committee may take before an escalation.
	CommitteeWithin time.Duration `json:"committee_within"`
}

// DefaultStudyActionPolicy: recruit within 3 months of the approval (then a
// month more before escalating), a month's report within 10 days of its end.
var DefaultStudyActionPolicy = StudyActionPolicy{RecruitWithin: 91 * 24 * time.Hour, EscalateAfter: 30 * 24 * time.Hour,
	ReportGrace: 10 * 24 * time.Hour, CommitteeWithin: 30 * 24 * time.Hour}

// Deadline kinds of a study-action.
const (
	KindRecruitmentOverdue   = "recruitment_overdue"
	KindRecruitmentEscalated = "recruitment_escalated"
	KindReportLate           = "report_late"
	KindStudyEnding          = "study_ending"
	KindStudyEnd             = "study_end"
	KindCommitteeOverdue     = "committee_overdue"
)

// Deadlines are every deadline of the current stage, fired or not: the
// recruitment's reminder and escalation; during the study, each month's
// report, the warning a month before the end, and the end itself (keyed by
// the end date, so an extension sets new ones).
func (s *StudyAction) Deadlines(p StudyActionPolicy) []Deadline {
	var all []Deadline
	switch s.Stage {
	case StageCommittee:
		if p.CommitteeWithin > 0 {
			all = append(all, Deadline{Key: "committee:" + strconv.Itoa(s.StageSeq), Kind: KindCommitteeOverdue,
				Action: ActionEscalate, At: s.StageEnteredAt.Add(p.CommitteeWithin)})
		}
	case StageRecruitment:
		seq := strconv.Itoa(s.StageSeq)
		all = append(all,
			Deadline{Key: "recruit:" + seq, Kind: KindRecruitmentOverdue, Action: ActionRemind, At: s.StageEnteredAt.Add(p.RecruitWithin)},
			Deadline{Key: "recruit-escalation:" + seq, Kind: KindRecruitmentEscalated, Action: ActionEscalate,
				At: s.StageEnteredAt.Add(p.RecruitWithin + p.EscalateAfter)})
	case StageStudy, StageConclusion:
		if s.Carrier == nil {
			return nil
		}
		for m := 1; m <= s.Months; m++ {
			if !slices.ContainsFunc(s.Reports, func(r Report) bool { return r.Month == m }) {
				all = append(all, Deadline{Key: "report:" + strconv.Itoa(m), Kind: KindReportLate, Action: ActionRemind,
					At: s.startPlus(m).Start().Add(p.ReportGrace)})
			}
		}
		if s.Stage == StageStudy {
			end := s.EndDate()
			all = append(all,
				Deadline{Key: "ending:" + string(end), Kind: KindStudyEnding, Action: ActionRemind, At: s.startPlus(s.Months - 1).Start()},
				Deadline{Key: "end:" + string(end), Kind: KindStudyEnd, Action: ActionStudyEnded, At: end.Start()})
		}
	}
	return all
}

// PendingDeadlines are the deadlines still to fire, earliest first.
func (s *StudyAction) PendingDeadlines(p StudyActionPolicy) []Deadline {
	return PendingDeadlines(s.Deadlines(p), s.Reminded)
}

// Fire records that a deadline passed; the study's end moves it to its conclusion.
func (s *StudyAction) Fire(d Deadline, now time.Time) Event {
	s.Reminded = append(s.Reminded, d.Key)
	var to Stage
	if d.Kind == KindStudyEnd {
		to = StageConclusion
	}
	ev := s.record(System, d.Action, to, "", now)
	ev.Data = map[string]string{"kind": d.Kind, "due": d.At.UTC().Format(time.RFC3339)}
	if month, ok := strings.CutPrefix(d.Key, "report:"); ok {
		ev.Data["month"] = month
	}
	if s.Officer != nil {
		ev.Data["officer_id"], ev.Data["officer_name"] = s.Officer.ID, s.Officer.Name
	}
	return ev
}

// Clone is a deep copy (to undo a change the read model refused).
func (s *StudyAction) Clone() StudyAction {
	c := *s
	c.Financing = slices.Clone(s.Financing)
	c.PendingFinancing = slices.Clone(s.PendingFinancing)
	c.Reports = slices.Clone(s.Reports)
	c.Reminded = slices.Clone(s.Reminded)
	c.Ballots = cloneBallots(s.Ballots)
	for _, p := range []**OfficerRef{&c.Officer} {
		if *p != nil {
			o := **p
			*p = &o
		}
	}
	if s.Appraisal != nil {
		a := *s.Appraisal
		c.Appraisal = &a
	}
	if s.Carrier != nil {
		r := *s.Carrier
		c.Carrier = &r
	}
	if s.Conclusion != nil {
		k := *s.Conclusion
		c.Conclusion = &k
	}
	return c
}

// record moves the study-action to stage `to` ("" stays) and returns the event.
