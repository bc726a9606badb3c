package domain

// NotificationKind is a kind of e-mail a person may receive; each person
// chooses, per kind, how they get it.
type NotificationKind string

const (
	NotifyStageChanged   NotificationKind = "need_stage_changed"
	NotifyInfoRequested  NotificationKind = "info_requested"
	NotifySupported      NotificationKind = "need_supported"
	NotifyWaiting        NotificationKind = "need_waiting"
	NotifyInfoProvided   NotificationKind = "info_provided"
	NotifyDeadlinePassed NotificationKind = "deadline_passed"
	NotifyVoteAwaited    NotificationKind = "vote_awaited"
	NotifyVoteReminder   NotificationKind = "vote_reminder"
	NotifyDecisionTaken  NotificationKind = "decision_taken"
	NotifyReportLate     NotificationKind = "report_late"
	NotifyScoresAwaited  NotificationKind = "scores_awaited"
	NotifyCallPublished  NotificationKind = "call_published"
	NotifyMentioned      NotificationKind = "mentioned"
	NotifyCommented      NotificationKind = "need_commented"
	// NotifySupportedStageChanged: a need one's organisation supports moves
	// to a new stage (its submitter has NotifyStageChanged).
	NotifySupportedStageChanged NotificationKind = "supported_need_stage_changed"
	// NotifyCarrierProposed: a carrier volunteers for a need one is in charge of.
	NotifyCarrierProposed NotificationKind = "carrier_proposed"
	// NotifyCarrierInvited: an officer invites one's organisation to carry a need.
	NotifyCarrierInvited NotificationKind = "carrier_invited"
	// NotifySessionConvened: a committee session is convened (with its agenda).
	NotifySessionConvened NotificationKind = "session_convened"
	// NotifySessionReminder: a committee session is tomorrow.
	NotifySessionReminder NotificationKind = "session_reminder"
	// NotifyDecisionLetter: the committee decided on one's need or
	// study-action; the decision letter is attached as a PDF.
	NotifyDecisionLetter NotificationKind = "decision_letter"
)

// NotificationKinds lists every kind, in the order the preferences page shows them.
var NotificationKinds = []NotificationKind{
	NotifyStageChanged, NotifyInfoRequested, NotifySupported, NotifySupportedStageChanged, NotifyCommented, NotifyMentioned,
	NotifyCarrierInvited, NotifyWaiting, NotifyInfoProvided, NotifyCarrierProposed, NotifyDeadlinePassed,
	NotifyVoteAwaited, NotifyVoteReminder, NotifyDecisionTaken, NotifySessionConvened, NotifySessionReminder, NotifyDecisionLetter,
	NotifyReportLate, NotifyScoresAwaited, NotifyCallPublished,
}

// NotifyMode is how a person gets one kind of message.
type NotifyMode string

const (
	ModeImmediate NotifyMode = "immediate"
	ModeDigest    NotifyMode = "digest" // the default: one e-mail a day
	ModeNever     NotifyMode = "never"
)

// NotifyModes lists the modes, in the order a form shows them.
var NotifyModes = []NotifyMode{ModeImmediate, ModeDigest, ModeNever}

// ValidNotificationKind tells whether k is a known kind.
func ValidNotificationKind(k string) bool {
	for _, x := range NotificationKinds {
		if string(x) == k {
			return true
		}
	}
	return false
}

// Preferences are a person's modes per kind; a kind not named is ModeDigest.
type Preferences map[NotificationKind]NotifyMode

// Validate checks a change of preferences: known kinds and modes only.
func (p Preferences) Validate() error {
	fe := FieldErrors{}
	for k, m := range p {
		if !ValidNotificationKind(string(k)) {
			fe.Add("kinds."+string(k), "field.unknown_kind")
			continue
		}
		switch m {
		case ModeImmediate, ModeDigest, ModeNever:
		default:
			fe.Add("kinds."+string(k), "field.oneof", "immediate, digest, never")
		}
	}
	return fe.Err()
}

// Complete returns every kind with its mode (the default for those not set).
func (p Preferences) Complete() Preferences {
	out := Preferences{}
	for _, k := range NotificationKinds {
		m, ok := p[k]
		if !ok {
			m = ModeDigest
		}
		out[k] = m
	}
	return out
}

// Languages an e-mail may be written in.
var Languages = []string{"fr", "en"}
