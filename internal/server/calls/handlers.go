// Package calls is the HTTP face of calls for projects: its API, its pages, its CSV and its
// part of the OpenAPI document, with its rows of the route table in Routes.
package calls

import (
	"essor/internal/calls"
	"essor/internal/server/kit"
)

// Handlers answer calls for projects's routes.
type Handlers struct {
	*kit.Kit
	calls *calls.Service
}

// New builds the handlers on the shared kit.
func New(k *kit.Kit, c *calls.Service) *Handlers {
	return &Handlers{Kit: k, calls: c}
}
