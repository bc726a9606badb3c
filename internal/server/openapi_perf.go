package server

import (
	"strconv"

	"essor/internal/storage"
)

// addListFields describes what a list item carries of a need's description.
func addListFields(schemas obj) {
	need := schemas["Need"].(obj)["properties"].(obj)
	need["description"] = str("the whole description; in lists (GET /api/v1/needs), its excerpt (see excerpt)")
	need["excerpt"] = obj{"type": "string", "maxLength": storage.ExcerptRunes + 1,
		"description": "the description's first " + strconv.Itoa(storage.ExcerptRunes) + " characters or so, cut at a word and ended by « … » when cut"}
	need["description_truncated"] = obj{"type": "boolean",
		"description": "true in a list item whose description is the excerpt of a longer text: GET /api/v1/needs/{id} has it whole"}
}
