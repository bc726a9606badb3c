package i18n

// The committee of every programme.
var enCommittee = map[string]string{
	"error.stake_organisation": "You may not vote on this decision: your organisation (“%s”) submitted or carries this project.",
	"error.stake_submitter":    "You may not vote on this decision: you submitted this project.",
	"error.stake_study":        "You may not vote on this decision: you led this project's study.",
}
