package server

import (
	"strconv"

	"essor/internal/server/kit"
	"essor/internal/storage"
)

// addListFields describes what a list item carries of a need's description.
func addListFields(schemas kit.Obj) {
	need := schemas["Need"].(kit.Obj)["properties"].(kit.Obj)
	need["description"] = kit.Str("the whole description; in lists (GET /api/v1/needs), its excerpt (see excerpt)")
	need["excerpt"] = kit.Obj{"type": "string", "maxLength": storage.ExcerptRunes + 1,
		"description": "the description's first " + strconv.Itoa(storage.ExcerptRunes) + " characters or so, cut at a word and ended by « … » when cut"}
	need["description_truncated"] = kit.Obj{"type": "boolean",
		"description": "true in a list item whose description is the excerpt of a longer text: GET /api/v1/needs/{id} has it whole"}
}
