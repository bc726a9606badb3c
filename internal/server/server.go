// Package server is Essor's HTTP shell: it builds the shared kit and every
// programme's handlers, mounts them in the one route table (routes.go) and
// answers what belongs to no programme (operations, sign-in, home, notices).
package server

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"essor/internal/auth"
	"essor/internal/calls"
	"essor/internal/committee"
	"essor/internal/config"
	"essor/internal/emergence"
	"essor/internal/indicators"
	"essor/internal/metrics"
	"essor/internal/rally"
	adminhttp "essor/internal/server/admin"
	callshttp "essor/internal/server/calls"
	committeehttp "essor/internal/server/committee"
	directoryhttp "essor/internal/server/directory"
	discussionhttp "essor/internal/server/discussion"
	indicatorshttp "essor/internal/server/indicators"
	"essor/internal/server/kit"
	needshttp "essor/internal/server/needs"
	rallyhttp "essor/internal/server/rally"
	studyactionshttp "essor/internal/server/studyactions"
	"essor/internal/storage"
	"essor/internal/studyaction"

	"github.com/gofiber/fiber/v2"
	"go.temporal.io/sdk/client"
)

// Server holds what the handlers need.
type Server struct {
	*kit.Kit
	programmes []programme // each programme's rows of the route table
	temporal   client.Client
	metrics    *metrics.Metrics
	app        *fiber.App
	table      []kit.Route
	monitor    *Monitor // PostgreSQL and Temporal, for fast 503s during outages

	metricsMu      sync.Mutex
	metricsServers []*http.Server // ServeMetrics's
}

// Deps are the server's dependencies.
type Deps struct {
	Config    config.Config
	DB        *storage.DB
	Reference *storage.Reference
	Needs     *emergence.Service
	// StudyActions is the Fonds de confiance.
	StudyActions *studyaction.Service
	// Indicators answers the plan's indicators.
	Indicators *indicators.Service
	Sessions   *auth.Sessions
	Temporal   client.Client
	Metrics    *metrics.Metrics
	Log        *slog.Logger
	// Monitor watches PostgreSQL and Temporal (nil: one is made); New starts
	// it and Shutdown stops it. Give Needs a client wrapped by its Guard.
	Monitor *Monitor
	// Rally runs the Rally'nov rounds.
	Rally *rally.Service
	// Calls are the calls for projects.
	Calls *calls.Service
	// Meetings are the committee's sessions (nil: made on the needs' client).
	Meetings *committee.Sessions
}

// BodyLimit is the largest request body accepted (api.md: 1 MiB).
const BodyLimit = 1 << 20

// New builds the HTTP application.
func New(d Deps) *Server {
	k := &kit.Kit{Cfg: d.Config, DB: d.DB, Ref: d.Reference, Log: d.Log, Sessions: d.Sessions,
		Proxies: kit.NewProxySet(d.Config.TrustedProxies), Exports: kit.NewExportPool(d.Config.ExportConcurrency)}
	s := &Server{Kit: k, temporal: d.Temporal, metrics: d.Metrics, monitor: d.Monitor}
	s.programmes = programmes(k, d)
	if s.monitor == nil {
		s.monitor = NewMonitor(d.DB, d.Temporal, d.Log)
	}
	pages, err := kit.NewRenderer()
	if err != nil {
		panic("web templates: " + err.Error()) // embedded at build time: a test catches this
	}
	s.Pages = pages
	s.app = fiber.New(fiber.Config{
		AppName:               "essor",
		BodyLimit:             BodyLimit,
		ReadBufferSize:        kit.HeaderLimit,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           2 * time.Minute,
		DisableStartupMessage: true,
		// Values read from a request stay valid after it (metrics labels,
		// logs, anything handed to another goroutine): fasthttp reuses buffers.
		Immutable:    true,
		ErrorHandler: s.ErrorHandler,
		// Behind a reverse proxy, the client's address (sign-in limits, logs)
		// and scheme (Secure cookies) come from its headers, if it is trusted.
		EnableTrustedProxyCheck: len(d.Config.TrustedProxies) > 0,
		TrustedProxies:          d.Config.TrustedProxies,
		ProxyHeader:             proxyHeader(d.Config.TrustedProxies),
	})
	s.routes()
	s.keepPathOfOversizedRequests()
	s.monitor.Start()
	return s
}

func proxyHeader(trusted []string) string {
	if len(trusted) == 0 {
		return ""
	}
	return fiber.HeaderXForwardedFor
}

// App is the Fiber application (tests drive it with App().Test).
func (s *Server) App() *fiber.App { return s.app }

// Listen serves on addr until Shutdown.
func (s *Server) Listen(addr string) error {
	ln, err := net.Listen(s.app.Config().Network, addr)
	if err != nil {
		return err
	}
	return s.Serve(ln)
}

// Serve serves on ln until Shutdown, closing connections the way clients
// can read a refusal (see lingeringListener).
func (s *Server) Serve(ln net.Listener) error { return s.app.Listener(lingeringListener{ln}) }

// Shutdown stops accepting requests and waits for running ones.
func (s *Server) Shutdown(ctx context.Context) error {
	defer s.monitor.Stop()
	s.shutdownMetrics(ctx)
	return s.app.ShutdownWithContext(ctx)
}

// programme is one programme's rows of the route table, under the tag that
// groups its operations in the OpenAPI document.
type programme struct {
	tag, description string
	routes           []kit.Route
}

// meetingsOf is the committee's sessions' service, made on the needs'
// Temporal client when the caller gave none.
func meetingsOf(d Deps) *committee.Sessions {
	if d.Meetings != nil || d.Needs == nil { // no services: the OpenAPI document's table
		return d.Meetings
	}
	return &committee.Sessions{DB: d.DB, Temporal: d.Needs.Temporal, TaskQueue: d.Needs.TaskQueue}
}

// programmes builds every programme's handlers on the kit.
func programmes(k *kit.Kit, d Deps) []programme {
	talk := discussionhttp.New(k)
	return []programme{
		{"administration", "Accounts, reference data (themes, territories) and personal data (RGPD)", adminhttp.New(k).Routes()},
		{"needs", "The emergence pipeline: needs from submission to deployment", needshttp.New(k, d.Needs, talk).Routes()},
		{"study-actions", "The Fonds de confiance: study-actions hosted by a company", studyactionshttp.New(k, d.StudyActions).Routes()},
		{"indicators", "The action plan's indicators and the open data", indicatorshttp.New(k, d.Indicators).Routes()},
		{"calls", "Calls for projects", callshttp.New(k, d.Calls).Routes()},
		{"committee", "The steering committee of every programme", committeehttp.New(k, d.Needs, d.StudyActions, d.Calls, meetingsOf(d)).Routes()},
		{"rally", "Rally'nov rounds: entries, jury, stages and trophies", rallyhttp.New(k, d.Rally).Routes()},
		{"discussion", "Comments, e-mail notifications and the outbox", talk.Routes()},
		{"directory", "The directory of the region's organisations", directoryhttp.New(k).Routes()},
	}
}
