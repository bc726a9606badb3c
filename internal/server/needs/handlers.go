// Package needs is the HTTP face of the emergence pipeline (needs, their board, follow-up and exports): its API, its pages, its CSV and its
// part of the OpenAPI document, with its rows of the route table in Routes.
package needs

import (
	"essor/internal/emergence"
	"essor/internal/server/discussion"
	"essor/internal/server/kit"
)

// Handlers answer the emergence pipeline (needs, their board, follow-up and exports)'s routes.
type Handlers struct {
	*kit.Kit
	needs      *emergence.Service
	discussion *discussion.Handlers // the need page's discussion
}

// New builds the handlers on the shared kit.
func New(k *kit.Kit, n *emergence.Service, d *discussion.Handlers) *Handlers {
	return &Handlers{Kit: k, needs: n, discussion: d}
}
