package i18n

// The committee of every programme.
var enCommittee = map[string]string{
	"error.stake_organisation":           "You may not vote on this decision: your organisation (“%s”) submitted or carries this project.",
	"error.stake_submitter":              "You may not vote on this decision: you submitted this project.",
	"error.stake_study":                  "You may not vote on this decision: you led this project's study.",
	"error.stake_institution":            "You may not vote on this decision: a member of your institution (%s) has a stake in it, so it does not vote.",
	"error.institution_unknown":          "This institution does not exist.",
	"error.institution_taken":            "An institution already has this identifier.",
	"field.member_unknown":               "The “%s” field names an unknown or closed account: %s.",
	"web.committee.quorum_institutions":  "quorum: %s voices, one per institution",
	"web.need.ballot_open_institutions":  "Vote open: %s (quorum: %s voices, one per institution). The details are published once the decision is taken.",
	"web.institutions.title":             "The steering committee's institutions",
	"web.institutions.lead":              "Each institution has one voice in the committee's votes: its members' when they agree; it abstains when they differ and does not vote when one of them has a stake in the file. An account speaks for one institution only.",
	"web.institutions.members":           "Accounts sitting for %s",
	"web.institutions.elsewhere":         "sits for %s today",
	"web.institutions.save":              "Save the members",
	"web.institutions.no_member_account": "No account holds the committee role: create some in Accounts first.",
	"web.institutions.add":               "Add an institution",
	"web.institutions.add_submit":        "Add the institution",
	"web.flash.institution_added":        "The institution is added.",
	"web.flash.institution_saved":        "The institution's members are saved.",
	"web.nav.institutions":               "Committee institutions",
}
