package domain

import (
	"strconv"
	"time"
)

// A session decides a subject exactly as its ballot would: the same
// decision event (the ballot closed, the same reminders stopped), carrying
// the session's id, the budget approved and the conditions.

// sessionEvent completes the decision event with what the session decided.
func sessionEvent(ev *Event, d SessionDecision) {
	ev.Data["session_id"], ev.Data["item"] = d.SessionID, strconv.Itoa(d.N)
	if d.BudgetEUR != nil {
		ev.Data["budget_eur"] = strconv.FormatFloat(*d.BudgetEUR, 'f', 2, 64)
	}
	if d.Conditions != "" {
		ev.Data["conditions"] = d.Conditions
	}
	ev.Comment = d.Reason
}

// DecideInSession takes a session's decision; nothing when the need's
// decision is not open any more (decided meanwhile by written consultation).
func (n *Need) DecideInSession(d SessionDecision, now time.Time, studyDefault time.Duration) []Event {
	b := n.Ballot()
	if n.Stage != StageCommittee || b == nil || d.Decision == "" {
		return nil
	}
	ev := n.decide(b, d.Decision, now, studyDefault)
	if d.Decision == DecisionApprove {
		if d.BudgetEUR != nil {
			budget := roundCents(*d.BudgetEUR)
			n.ApprovedBudgetEUR = &budget
			ev.Data["approved_budget_eur"] = strconv.FormatFloat(budget, 'f', 2, 64)
		}
		n.Conditions = d.Conditions
	}
	sessionEvent(&ev, d)
	return []Event{ev}
}

// DecideInSession takes a session's decision on the study-action (its
// application, or a revised financing plan); nothing when none is open.
func (s *StudyAction) DecideInSession(d SessionDecision, now time.Time) []Event {
	b := s.Ballot()
	if b == nil || d.Decision == "" {
		return nil
	}
	ev := s.decide(b, d.Decision, now)
	if d.Decision == DecisionApprove {
		s.Conditions = d.Conditions
	}
	sessionEvent(&ev, d)
	return []Event{ev}
}

// DecideInSession takes a session's decision on the call's selection;
// nothing when none is open.
func (c *Call) DecideInSession(d SessionDecision, now time.Time) []Event {
	b := c.Ballot()
	if c.Stage != StageDeciding || b == nil || d.Decision == "" {
		return nil
	}
	ev := c.decide(b, d.Decision, now)
	if d.Decision == DecisionApprove {
		c.Conditions = d.Conditions
	}
	sessionEvent(&ev, d)
	return []Event{ev}
}
