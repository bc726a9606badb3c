package domain

import "slices"

// rule says who may take an action, from which stages (or phases; nil: any)
// and where it leads ("" keeps the stage, or lets the action decide, as a
// vote does).
type rule[S comparable] struct {
	roles []Role
	from  []S
	to    S
}

// Rules is a programme's rule table: every stage rule lives in one.
type Rules[A ~string, S comparable] map[A]rule[S]

// Roles returns who may take an action (nil for an unknown one).
func (t Rules[A, S]) Roles(a A) []Role { return t[a].roles }

// AllowedFrom tells whether the action can be taken from s.
func (t Rules[A, S]) AllowedFrom(a A, s S) bool {
	r, ok := t[a]
	return ok && (r.from == nil || slices.Contains(r.from, s))
}

// Check is the head every Authorize and every precheck shares: the action
// is known (422 naming the field) and the caller holds one of its roles (403).
func (t Rules[A, S]) Check(a A, by Caller) (rule[S], error) {
	r, ok := t[a]
	if !ok {
		fe := FieldErrors{}
		fe.Add("action", "field.unknown_action")
		return r, fe.Err()
	}
	if !by.Has(r.roles...) {
		return r, Forbidden()
	}
	return r, nil
}

// StageRules is the table of a programme whose subjects move through stages.
type StageRules = Rules[Action, Stage]

// Permit checks an action against a stage table: known, the caller's role,
// and the subject's stage (409 naming it).
func Permit(t StageRules, a Action, by Caller, stage Stage) error {
	if _, err := t.Check(a, by); err != nil {
		return err
	}
	if !t.AllowedFrom(a, stage) {
		return StageConflict(stage)
	}
	return nil
}
