package i18n

var frAuth = map[string]string{
	"error.sign_in_busy":              "Trop de connexions en cours. Réessayez dans un instant.",
	"field.everywhere":                "partout",
	"web.signout_everywhere":          "Se déconnecter de tous les appareils",
	"web.flash.signed_out_everywhere": "Vous êtes déconnecté(e) de tous vos appareils.",
}
