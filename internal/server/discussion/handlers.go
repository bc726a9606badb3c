// Package discussion is the HTTP face of discussion and e-mail notifications (comments, preferences, the outbox): its API, its pages, its CSV and its
// part of the OpenAPI document, with its rows of the route table in Routes.
package discussion

import (
	"essor/internal/server/kit"
)

// Handlers answer discussion and e-mail notifications (comments, preferences, the outbox)'s routes.
type Handlers struct {
	*kit.Kit
}

// New builds the handlers on the shared kit.
func New(k *kit.Kit) *Handlers {
	return &Handlers{Kit: k}
}
