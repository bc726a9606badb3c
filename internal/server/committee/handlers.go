// Package committee is the HTTP face of the committee of every programme: its API, its pages, its CSV and its
// part of the OpenAPI document, with its rows of the route table in Routes.
package committee

import (
	"essor/internal/calls"
	"essor/internal/committee"
	"essor/internal/emergence"
	"essor/internal/server/kit"
	"essor/internal/studyaction"
)

// Handlers answer the committee of every programme's routes.
type Handlers struct {
	*kit.Kit
	needs        *emergence.Service
	studyActions *studyaction.Service
	calls        *calls.Service
	sessions     *committee.Sessions
}

// New builds the handlers on the shared kit.
func New(k *kit.Kit, n *emergence.Service, s *studyaction.Service, c *calls.Service, m *committee.Sessions) *Handlers {
	return &Handlers{Kit: k, needs: n, studyActions: s, calls: c, sessions: m}
}
