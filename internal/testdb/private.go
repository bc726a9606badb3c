package testdb

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"essor/internal/storage"
)

// Open opens the database at url, creating it if needed, and migrates it;
// it is closed (not dropped) when the test ends.
func Open(tb testing.TB, url string) *storage.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, url)
	if err != nil {
		tb.Fatalf("open %s: %v", url, err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		tb.Fatalf("migrate %s: %v", url, err)
	}
	tb.Cleanup(db.Close)
	return db
}

// PGBin is where Debian installs PostgreSQL 15's server programs
// (ESSOR_TEST_PG_BIN overrides it).
func PGBin() string {
	if d := os.Getenv("ESSOR_TEST_PG_BIN"); d != "" {
		return d
	}
	return "/usr/lib/postgresql/15/bin"
}

// Private is a PostgreSQL server of a test's own, in a temporary directory
// on a free port, for tests that stop it: never the shared one.
type Private struct {
	tb      testing.TB
	dir     string // data directory
	port    int
	asUser  []string // runuser prefix when running as root (initdb refuses root)
	logFile string
}

// StartPrivate creates a cluster (initdb) and starts it; it is stopped and
// deleted when the test ends. The test is skipped when PostgreSQL's server
// programs are not installed.
func StartPrivate(tb testing.TB) *Private {
	tb.Helper()
	if _, err := os.Stat(filepath.Join(PGBin(), "initdb")); err != nil {
		tb.Skipf("PostgreSQL server programs not found in %s (ESSOR_TEST_PG_BIN): %v", PGBin(), err)
	}
	// Not t.TempDir: its parent is private to root, and the server runs as
	// the postgres user when the tests run as root.
	base, err := os.MkdirTemp("", "essor-pg-")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = os.RemoveAll(base) })
	p := &Private{tb: tb, dir: filepath.Join(base, "data"), logFile: filepath.Join(base, "server.log")}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			tb.Skipf("running as root without a postgres user for initdb: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(base, uid, gid); err != nil {
			tb.Fatal(err)
		}
		p.asUser = []string{"runuser", "-u", "postgres", "--"}
	}
	p.port = freePort(tb)
	p.run("initdb", "-D", p.dir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
	p.Start()
	tb.Cleanup(func() { p.pgctl("stop", "-m", "immediate") })
	return p
}

// URL names a database on the private server (created on first Open).
func (p *Private) URL(database string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", p.port, database)
}

// Start starts the server (again) and waits until it accepts connections.
func (p *Private) Start() {
	p.tb.Helper()
	opts := strings.Join([]string{
		"-p", strconv.Itoa(p.port), "-c", "listen_addresses=127.0.0.1",
		"-k", filepath.Dir(p.dir), // its own socket directory
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		"-c", "max_connections=100", "-c", "shared_buffers=32MB",
	}, " ")
	if out, err := p.pgctl("start", "-w", "-t", "60", "-l", p.logFile, "-o", opts); err != nil {
		log, _ := os.ReadFile(p.logFile)
		p.tb.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
}

// Stop stops the server the way an operator does (fast: sessions are
// ended, then the server exits) and waits until it has.
func (p *Private) Stop() {
	p.tb.Helper()
	if out, err := p.pgctl("stop", "-w", "-m", "fast"); err != nil {
		p.tb.Fatalf("pg_ctl stop: %v\n%s", err, out)
	}
}

func (p *Private) pgctl(args ...string) (string, error) {
	return p.command("pg_ctl", append([]string{"-D", p.dir}, args...)...)
}

func (p *Private) run(prog string, args ...string) {
	p.tb.Helper()
	if out, err := p.command(prog, args...); err != nil {
		p.tb.Fatalf("%s: %v\n%s", prog, err, out)
	}
}

func (p *Private) command(prog string, args ...string) (string, error) {
	argv := append(append([]string{}, p.asUser...), append([]string{filepath.Join(PGBin(), prog)}, args...)...)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = filepath.Dir(p.dir)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func freePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
