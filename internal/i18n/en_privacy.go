package i18n

// Personal data (GDPR): export, erasure, retention, and what anonymous
// visitors see of individuals.
var enPrivacy = map[string]string{
	"error.already_erased": "This person has already been erased.",
	"error.account_erased": "This account has been erased: it can no longer be changed or reactivated.",
	"error.erase_self":     "You cannot erase your own account.",

	"privacy.individual":       "an individual",
	"privacy.retention_reason": "Retention period for closed accounts elapsed (%s).",

	"web.privacy.heading":       "Personal data (GDPR)",
	"web.privacy.export":        "Export the data (GDPR)",
	"web.privacy.erase_link":    "Erase this person (GDPR)…",
	"web.privacy.erase_title":   "Erase a person",
	"web.privacy.erase_heading": "Erase %s",
	"web.privacy.erase_intro":   "Erasure is final:",
	"web.privacy.erase_account": "the account is closed and its sessions ended; its name, e-mail address and password are removed;",
	"web.privacy.erase_records": "on needs, votes, carriers, supports and the history, the name is replaced by “%s”;",
	"web.privacy.erase_trail":   "the history keeps the facts (which action, when) without the identity, and records the erasure: by whom, when and why.",
	"web.privacy.erase_final":   "This cannot be undone.",
	"web.privacy.export_first":  "Export their data first",
	"web.privacy.reason_label":  "Reason for the erasure",
	"web.privacy.reason_hint":   "For example: the person's request received on 3 March. The reason is kept in the history: do not write their name in it.",
	"web.privacy.erase_submit":  "Erase for good",
	"web.privacy.cancel":        "Cancel",
	"web.privacy.back":          "← Back to the account",
	"web.privacy.erased_on":     "This person was erased on %s: the account can no longer be changed or reactivated.",
	"web.privacy.erased":        "Erased",
	"web.flash.account_erased":  "The person has been erased: their name no longer appears in Essor.",
}
