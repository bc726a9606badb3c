// Package temporalserver runs a single-node Temporal server inside the essor
// process, persisted to a SQLite file. It is the only package that imports
// go.temporal.io/server: linking the server costs ~200 MB of binary and ~10 s
// of link time per test binary, so only cmd/essor and the end-to-end tests use it.
package temporalserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	tlog "go.temporal.io/server/common/log"
	"go.temporal.io/server/common/log/tag"
	"go.temporal.io/server/common/membership/static"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	"go.temporal.io/server/common/primitives"
	sqliteschema "go.temporal.io/server/schema/sqlite"
	"go.temporal.io/server/temporal"
)

// Options configure the embedded server.
type Options struct {
	// DatabaseFile is the SQLite file; empty keeps everything in memory.
	DatabaseFile string
	// Host and Port of the frontend gRPC service; Port 0 picks a free one.
	Host      string
	Port      int
	Namespace string
	Logger    *slog.Logger
}

// Server is a running embedded Temporal server.
type Server struct {
	srv      temporal.Server
	address  string
	dbFile   string
	stopOnce bool
}

// clusterID is fixed so that a data file created by one start is accepted by the next.
const (
	clusterName = "essor"
	clusterID   = "6f1c3a52-6a39-4e59-9d8e-7c2b1f0e5a11"
)

// Start creates the schema when the database file is new, registers the
// namespace and starts every Temporal service. It returns once the frontend
// accepts connections.
func Start(opts Options) (*Server, error) {
	if opts.Host == "" {
		opts.Host = "127.0.0.1"
	}
	if opts.Namespace == "" {
		opts.Namespace = "default"
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	sqlConf, err := sqlConfig(opts)
	if err != nil {
		return nil, err
	}
	// A port found free may be taken before the server binds it (by another
	// process's outgoing connection, say): pick new ones and try again.
	for attempt := 1; ; attempt++ {
		srv, err := start(opts, sqlConf)
		if err == nil || attempt == bindAttempts || !portTaken(err) {
			return srv, err
		}
		opts.Logger.Warn("temporal: port taken, new ports", "attempt", attempt, "err", err)
	}
}

const bindAttempts = 5

func portTaken(err error) bool {
	return errors.Is(err, syscall.EADDRINUSE) || strings.Contains(err.Error(), "address already in use")
}

func start(opts Options, sqlConf *config.SQL) (*Server, error) {
	ports := map[string]int{"frontend": opts.Port}
	if opts.Port == 0 {
		p, err := freePort(opts.Host)
		if err != nil {
			return nil, err
		}
		ports["frontend"] = p
	}
	for _, svc := range []string{"frontend-http", "history", "matching", "worker"} {
		p, err := freePort(opts.Host)
		if err != nil {
			return nil, err
		}
		ports[svc] = p
	}
	hostPort := func(svc string) string { return net.JoinHostPort(opts.Host, strconv.Itoa(ports[svc])) }

	conf := &config.Config{}
	conf.Global.Membership.BroadcastAddress = opts.Host
	conf.Persistence.DefaultStore = "sqlite"
	conf.Persistence.VisibilityStore = "sqlite"
	conf.Persistence.NumHistoryShards = 1
	conf.Persistence.DataStores = map[string]config.DataStore{"sqlite": {SQL: sqlConf}}
	conf.ClusterMetadata = &cluster.Config{
		FailoverVersionIncrement: 10,
		MasterClusterName:        clusterName,
		CurrentClusterName:       clusterName,
		ClusterInformation: map[string]cluster.ClusterInformation{clusterName: {
			Enabled:                true,
			InitialFailoverVersion: 1,
			RPCAddress:             hostPort("frontend"),
			HTTPAddress:            hostPort("frontend-http"),
			ClusterID:              clusterID,
		}},
	}
	conf.DCRedirectionPolicy.Policy = "noop"
	conf.Services = map[string]config.Service{}
	for _, svc := range []string{"frontend", "history", "matching", "worker"} {
		s := config.Service{}
		s.RPC.BindOnIP = opts.Host
		s.RPC.GRPCPort = ports[svc]
		if svc == "frontend" {
			s.RPC.HTTPPort = ports["frontend-http"]
		}
		conf.Services[svc] = s
	}
	conf.Archival.History.State = "disabled"
	conf.Archival.Visibility.State = "disabled"
	conf.NamespaceDefaults.Archival.History.State = "disabled"
	conf.NamespaceDefaults.Archival.Visibility.State = "disabled"
	conf.PublicClient.HostPort = hostPort("frontend")

	dyn := dynamicconfig.StaticClient{
		dynamicconfig.ForceSearchAttributesCacheRefreshOnRead.Key():      true,
		dynamicconfig.HistoryCacheHostLevelMaxSize.Key():                 8192,
		dynamicconfig.FrontendMaxNamespaceVisibilityRPSPerInstance.Key(): 100,
	}

	srv, err := temporal.NewServer(
		temporal.WithConfig(conf),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithStaticHosts(map[primitives.ServiceName]static.Hosts{
			primitives.FrontendService: static.SingleLocalHost(hostPort("frontend")),
			primitives.HistoryService:  static.SingleLocalHost(hostPort("history")),
			primitives.MatchingService: static.SingleLocalHost(hostPort("matching")),
			primitives.WorkerService:   static.SingleLocalHost(hostPort("worker")),
		}),
		temporal.WithLogger(&slogAdapter{l: opts.Logger.With("component", "temporal")}),
		temporal.WithDynamicConfigClient(dyn),
	)
	if err != nil {
		return nil, fmt.Errorf("temporal: new server: %w", err)
	}
	if err := srv.Start(); err != nil {
		return nil, fmt.Errorf("temporal: start: %w", err)
	}
	return &Server{srv: srv, address: hostPort("frontend"), dbFile: opts.DatabaseFile}, nil
}

// Address is the frontend's host:port, for SDK clients.
func (s *Server) Address() string { return s.address }

// DatabaseFile is where the server keeps its state ("" when in memory).
func (s *Server) DatabaseFile() string { return s.dbFile }

// Stop stops every service; it is safe to call twice.
func (s *Server) Stop() {
	if s.stopOnce {
		return
	}
	s.stopOnce = true
	_ = s.srv.Stop()
}

func sqlConfig(opts Options) (*config.SQL, error) {
	conf := &config.SQL{PluginName: sqliteplugin.PluginName}
	if opts.DatabaseFile == "" {
		conf.DatabaseName = "essor-" + strconv.Itoa(os.Getpid())
		conf.ConnectAttributes = map[string]string{"mode": "memory", "cache": "shared"}
	} else {
		conf.DatabaseName = opts.DatabaseFile
		// WAL with synchronous=normal is about 3x faster than the default journal
		// and keeps the database consistent across a process crash.
		conf.ConnectAttributes = map[string]string{
			"mode":         "rwc",
			"journal_mode": "wal",
			"synchronous":  "normal",
			"busy_timeout": "10000",
		}
	}
	conf.MaxConns = 1
	conf.MaxIdleConns = 1

	// In memory, the SQLite plugin creates the schema itself.
	fresh := false
	if opts.DatabaseFile != "" {
		if err := os.MkdirAll(filepath.Dir(opts.DatabaseFile), 0o755); err != nil {
			return nil, fmt.Errorf("temporal: data directory: %w", err)
		}
		if _, err := os.Stat(opts.DatabaseFile); errors.Is(err, os.ErrNotExist) {
			fresh = true
		}
	}
	if fresh {
		if err := sqliteschema.SetupSchema(conf); err != nil {
			return nil, fmt.Errorf("temporal: schema: %w", err)
		}
	}
	ns, err := sqliteschema.NewNamespaceConfig(clusterName, opts.Namespace, false, nil)
	if err != nil {
		return nil, fmt.Errorf("temporal: namespace: %w", err)
	}
	if err := sqliteschema.CreateNamespaces(conf, ns); err != nil {
		return nil, fmt.Errorf("temporal: namespace: %w", err)
	}
	return conf, nil
}

func freePort(host string) (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return 0, fmt.Errorf("temporal: free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Below warnings the server is very chatty (task queues draining, shards
// acquired…): those lines are dropped.
type slogAdapter struct{ l *slog.Logger }

func (a *slogAdapter) log(level slog.Level, msg string, tags []tag.Tag) {
	if level < slog.LevelWarn || !a.l.Enabled(context.Background(), level) {
		return
	}
	attrs := make([]any, 0, len(tags))
	for _, t := range tags {
		attrs = append(attrs, slog.Any(t.Key(), t.Value()))
	}
	a.l.Log(context.Background(), level, msg, attrs...)
}

func (a *slogAdapter) Debug(msg string, tags ...tag.Tag)  { a.log(slog.LevelDebug, msg, tags) }
func (a *slogAdapter) Info(msg string, tags ...tag.Tag)   { a.log(slog.LevelInfo, msg, tags) }
func (a *slogAdapter) Warn(msg string, tags ...tag.Tag)   { a.log(slog.LevelWarn, msg, tags) }
func (a *slogAdapter) Error(msg string, tags ...tag.Tag)  { a.log(slog.LevelError, msg, tags) }
func (a *slogAdapter) DPanic(msg string, tags ...tag.Tag) { a.log(slog.LevelError, msg, tags) }
func (a *slogAdapter) Panic(msg string, tags ...tag.Tag) {
	a.log(slog.LevelError, msg, tags)
	panic(msg)
}
func (a *slogAdapter) Fatal(msg string, tags ...tag.Tag) {
	a.log(slog.LevelError, msg, tags)
	os.Exit(1)
}
func (a *slogAdapter) With(tags ...tag.Tag) tlog.Logger {
	attrs := make([]any, 0, len(tags))
	for _, t := range tags {
		attrs = append(attrs, slog.Any(t.Key(), t.Value()))
	}
	return &slogAdapter{l: a.l.With(attrs...)}
}
