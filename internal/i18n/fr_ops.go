package i18n

// Operations: the HTTP edge (requests refused before any handler) and outages.
var frOps = map[string]string{
	"error.header_too_large": "La ligne de requête et les en-têtes dépassent la taille maximale de %s Kio : raccourcissez l'adresse ou supprimez les cookies du site.",
	"error.request_timeout":  "La requête n'est pas arrivée complète à temps. Réessayez.",
	"error.bad_request":      "La requête est mal formée et ne peut pas être traitée.",
	"error.metrics_token":    "Jeton de métriques absent ou incorrect.",
	"web.error.heading.408":  "Délai dépassé",
	"web.error.heading.431":  "Adresse ou en-têtes trop longs",
}
