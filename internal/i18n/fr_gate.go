package i18n

// The input gate and the bounds of what a workflow keeps.
var frGate = map[string]string{
	"error.bad_path":          "L'adresse demandée contient des caractères invalides.",
	"error.body_not_utf8":     "Le corps de la requête n'est pas encodé en UTF-8 valide.",
	"error.need_full":         "Ce projet a atteint la quantité maximale de texte qu'il peut conserver : raccourcissez votre contribution ou contactez le chargé de mission.",
	"error.save_refused":      "L'enregistrement a été refusé par la base de données ; rien n'a été modifié. L'équipe technique a été prévenue.",
	"error.too_many_carriers": "Ce projet a déjà reçu %s propositions de porteur, le maximum.",
	"error.too_many_supports": "Ce besoin a déjà reçu %s soutiens, le maximum.",
	"field.not_utf8":          "Le champ « %s » contient des octets qui ne sont pas du texte UTF-8 valide.",
	"field.control_char":      "Le champ « %s » contient un caractère de contrôle non autorisé (seuls les retours à la ligne et les tabulations le sont).",
	"field.too_many_bytes":    "Le champ « %s » dépasse la taille maximale de %s octets.",
	"field.header_ascii":      "L'en-tête « %s » ne doit contenir que des caractères ASCII imprimables.",
	"field.date_range":        "Le champ « %s » doit être une date comprise entre le %s et le %s.",
	"field.number":            "Le champ « %s » doit être un nombre fini.",
	"field.Idempotency-Key":   "Idempotency-Key",
}
