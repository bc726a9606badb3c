// Package studyactions is the HTTP face of the Fonds de confiance's study-actions: its API, its pages, its CSV and its
// part of the OpenAPI document, with its rows of the route table in Routes.
package studyactions

import (
	"essor/internal/server/kit"
	"essor/internal/studyaction"
)

// Handlers answer the Fonds de confiance's study-actions's routes.
type Handlers struct {
	*kit.Kit
	service *studyaction.Service
}

// New builds the handlers on the shared kit.
func New(k *kit.Kit, s *studyaction.Service) *Handlers {
	return &Handlers{Kit: k, service: s}
}
