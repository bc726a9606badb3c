// Package rally is the HTTP face of Rally'nov rounds: its API, its pages, its CSV and its
// part of the OpenAPI document, with its rows of the route table in Routes.
package rally

import (
	"essor/internal/rally"
	"essor/internal/server/kit"
)

// Handlers answer Rally'nov rounds's routes.
type Handlers struct {
	*kit.Kit
	rally *rally.Service
}

// New builds the handlers on the shared kit.
func New(k *kit.Kit, r *rally.Service) *Handlers {
	return &Handlers{Kit: k, rally: r}
}
