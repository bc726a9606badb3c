// Package directory is the HTTP face of the directory of the region's
// organisations (the annuaire): its API, its pages and its part of the
// OpenAPI document, with its rows of the route table in Routes.
package directory

import "essor/internal/server/kit"

// Handlers answer the directory's routes.
type Handlers struct {
	*kit.Kit
}

// New builds the handlers on the shared kit.
func New(k *kit.Kit) *Handlers { return &Handlers{Kit: k} }
