package i18n

// The steering committee's sessions: agenda, convening, attendance and
// quorum, decisions in session.
var frSessions = map[string]string{
	"field.starts_at":          "date et heure",
	"field.attendance":         "présences",
	"field.votes":              "votes",
	"field.conflicts":          "membres sortis de la salle",
	"field.conditions":         "conditions",
	"field.n":                  "point de l'ordre du jour",
	"field.report":             "rapport",
	"field.subject":            "programme",
	"field.id":                 "dossier",
	"field.attendance_member":  "Le champ « %s » doit désigner des membres du comité, chacun une fois.",
	"field.attendance_proxy":   "Le champ « %s » : un membre représenté doit l'être par un autre membre du comité.",
	"field.agenda_item":        "Le champ « %s » ne désigne aucun point de l'ordre du jour.",
	"field.item_decided":       "Le champ « %s » désigne un point déjà décidé.",
	"field.session_budget":     "Le champ « %s » accompagne une approbation : un montant positif en euros.",
	"field.session_conditions": "Le champ « %s » accompagne une approbation.",
	"field.session_votes":      "Le champ « %s » doit compter les voix pour, contre et abstentions (des entiers positifs).",
	"field.not_open_decision":  "Le champ « %s » doit désigner un dossier qui attend une décision du comité.",
	"error.item_on_agenda":     "Ce dossier est déjà à l'ordre du jour de cette séance.",
	"error.item_on_session":    "Ce dossier est déjà à l'ordre du jour d'une autre séance : une séance à la fois.",
	"error.item_not_open":      "La décision sur ce dossier n'est plus ouverte : elle a été prise entre-temps.",
	"error.agenda_full":        "L'ordre du jour compte déjà %s points.",
	"error.session_no_quorum":  "Quorum non atteint : %s institutions présentes ou représentées, il en faut %s.",

	"action.add_item":    "Dossier inscrit à l'ordre du jour",
	"action.convene":     "Séance convoquée",
	"action.decide_item": "Point décidé en séance",
	"action.remind":      "Rappel de la séance",

	"notify.kind.session_convened":  "Une séance du comité est convoquée",
	"notify.kind.session_reminder":  "Rappel d'une séance du comité la veille",
	"mail.subject.session_convened": "Convocation : « %s »",
	"mail.subject.session_reminder": "Demain : « %s »",
	"mail.line.session_convened":    "Vous êtes convoqué·e à la séance « %s » du %s (%s).",
	"mail.line.session_reminder":    "Rappel : la séance « %s » a lieu demain, le %s (%s).",
}
