// Package admin is the HTTP face of accounts, reference data and personal data (RGPD): its API, its pages, its CSV and its
// part of the OpenAPI document, with its rows of the route table in Routes.
package admin

import (
	"essor/internal/server/kit"
)

// Handlers answer accounts, reference data and personal data (RGPD)'s routes.
type Handlers struct {
	*kit.Kit
}

// New builds the handlers on the shared kit.
func New(k *kit.Kit) *Handlers {
	return &Handlers{Kit: k}
}
