// Package indicators is the HTTP face of the plan's indicators and the open data: its API, its pages, its CSV and its
// part of the OpenAPI document, with its rows of the route table in Routes.
package indicators

import (
	"essor/internal/indicators"
	"essor/internal/server/kit"
)

// Handlers answer the plan's indicators and the open data's routes.
type Handlers struct {
	*kit.Kit
	indicators *indicators.Service
}

// New builds the handlers on the shared kit.
func New(k *kit.Kit, i *indicators.Service) *Handlers {
	return &Handlers{Kit: k, indicators: i}
}
