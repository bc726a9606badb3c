package i18n

// Operations: the HTTP edge (requests refused before any handler) and outages.
var enOps = map[string]string{
	"error.header_too_large": "The request line and headers exceed the %s KiB limit: shorten the address or clear the site's cookies.",
	"error.request_timeout":  "The request did not arrive complete in time. Try again.",
	"error.bad_request":      "The request is malformed and cannot be processed.",
	"error.metrics_token":    "Missing or wrong metrics token.",
	"web.error.heading.408":  "Request timeout",
	"web.error.heading.431":  "Address or headers too long",
}
