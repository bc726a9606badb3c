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
	// OrganisationID is the directory record the account belongs to (admins
	// set it); Organisation stays its label.
	OrganisationID string `json:"organisation_id,omitempty"`
	Roles          []Role `json:"roles"`
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
// OrganisationKeys are the keys a stake knows the caller's organisation by:
// its directory record's ("id:…") and its label's.
func (c Caller) OrganisationKeys() []string {
	var keys []string
	if c.OrganisationID != "" {
		keys = append(keys, "id:"+c.OrganisationID)
	}
	if k := NormaliseKey(c.Organisation); k != "" {
		keys = append(keys, k)
	}
	return keys
}

func (c Caller) OrganisationKey() string {
	if c.Organisation != "" {
		return NormaliseKey(c.Organisation)
	}
	return "user:" + c.UserID
}

// MayAnswerFor tells whether the caller may answer requests for information
// on a need submitted by submitterID, whose account belonged to the directory
// record organisationID: its author, a member of that organisation, or an
// officer (the name typed on the need gives no right). The workflow's rule
// and the web page that offers the form both ask this.
func (c Caller) MayAnswerFor(submitterID, organisationID string) bool {
	return c.Has(RoleOfficer) || c.UserID == submitterID ||
		(c.OrganisationID != "" && c.OrganisationID == organisationID)
}

// OrganisationName is how the caller's organisation is shown: the person's
// own name when they have none.
func (c Caller) OrganisationName() string {
	if c.Organisation != "" {
		return c.Organisation
	}
	return c.Name
}

// System is the caller recorded for automatic events (reminders, decisions).
var System = Caller{UserID: "", Name: "system"}
