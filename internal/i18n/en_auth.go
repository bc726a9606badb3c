package i18n

var enAuth = map[string]string{
	"error.sign_in_busy":              "Too many sign-ins at the moment. Try again in a moment.",
	"field.everywhere":                "everywhere",
	"web.signout_everywhere":          "Sign out of every device",
	"web.flash.signed_out_everywhere": "You are signed out of every device.",
}
