package domain

import "slices"

// Role is what an account may do.
type Role string

const (
	RoleActor     Role = "actor"
	RoleOfficer   Role = "officer"
	RoleCommittee Role = "committee"
	RoleOrganiser Role = "organiser"
	RoleJury      Role = "jury"
	RoleAdmin     Role = "admin"
)

// Roles lists every role, in display order.
var Roles = []Role{RoleActor, RoleOfficer, RoleCommittee, RoleOrganiser, RoleJury, RoleAdmin}

// ValidRole tells whether r is a known role.
func ValidRole(r Role) bool { return slices.Contains(Roles, r) }

// Caller is the authenticated person behind an action.
type Caller struct {
	UserID       string `json:"user_id"`
	Name         string `json:"name"`
	Organisation string `json:"organisation,omitempty"`
	Roles        []Role `json:"roles"`
}

// Has tells whether the caller holds any of the roles.
func (c Caller) Has(roles ...Role) bool {
	for _, r := range roles {
		if slices.Contains(c.Roles, r) {
			return true
		}
	}
	return false
}

// OrganisationKey identifies the caller's organisation for "one per
// organisation" rules; a person without one stands for themselves.
func (c Caller) OrganisationKey() string {
	if c.Organisation != "" {
		return NormaliseKey(c.Organisation)
	}
	return "user:" + c.UserID
}

// System is the caller recorded for automatic events (reminders, decisions).
var System = Caller{UserID: "", Name: "system"}
