package server

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	neturl "net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"

	"essor/internal/csvexport"
	"essor/internal/domain"
	"essor/internal/metrics"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// HoldExports fills the exports' pool as that many exports under way would,
// until release: the end-to-end tests see a full pool without timing.
func (s *Server) HoldExports() (release func()) {
	var held []func()
	for {
		r, err := s.Exports.Take()
		if err != nil {
			break
		}
		held = append(held, r)
	}
	return func() {
		for _, r := range held {
			r()
		}
	}
}

// A full pool refuses at once with a 503 to retry later; a place given back
// is taken again.
func TestExportPool(t *testing.T) {
	p := kit.NewExportPool(2)
	r1, err1 := p.Take()
	_, err2 := p.Take()
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	_, err := p.Take()
	de, ok := domain.As(err)
	if !ok || de.Code != domain.CodeUnavailable || de.RetryAfter != kit.ExportRetryAfter || kit.StatusOf[de.Code] != http.StatusServiceUnavailable {
		t.Fatalf("a full pool: %v", err)
	}
	r1()
	if _, err := p.Take(); err != nil {
		t.Fatalf("after a release: %v", err)
	}
	if cap(kit.NewExportPool(0)) != 4 {
		t.Fatal("no bound given: the default")
	}
}

// pages serves n pages of size items each ("1-0", "1-1"…), failing with
// failAt's error on that page (0: never).
func pages(n, size, failAt int, fail error) kit.Pager[string] {
	return func(_ context.Context, cursor string) ([]string, string, error) {
		page := 1
		if cursor != "" {
			fmt.Sscan(cursor, &page)
		}
		if page == failAt {
			return nil, "", fail
		}
		out := make([]string, size)
		for i := range out {
			out[i] = fmt.Sprintf("%d-%d", page, i)
		}
		next := ""
		if page < n {
			next = fmt.Sprint(page + 1)
		}
		return out, next, nil
	}
}

// streamingServer serves one export over real HTTP (a transfer cut short
// is seen as a client sees it).
func streamingServer(t *testing.T, fetch kit.Pager[string], max int) (*Server, string, *lockedBuffer) {
	logs := &lockedBuffer{}
	s := &Server{Kit: &kit.Kit{Log: slog.New(slog.NewTextHandler(logs, nil)), Exports: kit.NewExportPool(1)}, metrics: metrics.New()}
	s.app = fiber.New(fiber.Config{ErrorHandler: s.ErrorHandler, Immutable: true, DisableStartupMessage: true})
	s.app.Use(s.observe)
	s.app.Get("/api/v1/export.csv", func(c *fiber.Ctx) error {
		return kit.StreamCSV(s.Kit, c, "x.csv", []string{"Valeur"}, fetch, max, func(v string) []csvexport.Cell {
			return []csvexport.Cell{csvexport.Text(v)}
		})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = s.app.Listener(ln) }()
	t.Cleanup(func() { _ = s.app.Shutdown() })
	return s, "http://" + ln.Addr().String() + "/api/v1/export.csv", logs
}

// lockedBuffer is a log the export's goroutine writes while the test reads.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Every page is written, in order, then the place in the pool is free; a
// bound stops the rows where it says.
func TestStreamWritesEveryPage(t *testing.T) {
	for _, c := range []struct{ max, rows int }{{0, 2500}, {1200, 1200}, {500, 500}} {
		s, url, _ := streamingServer(t, pages(5, 500, 0, nil), c.max)
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		lines := strings.Split(strings.TrimSuffix(string(body), "\r\n"), "\r\n")
		if err != nil || resp.StatusCode != 200 || len(lines) != c.rows+1 || lines[0] != "\ufeffValeur" || lines[1] != "1-0" {
			t.Fatalf("max %d: %d %v, %d lines", c.max, resp.StatusCode, err, len(lines))
		}
		if _, err := s.Exports.Take(); err != nil {
			t.Fatalf("max %d: the place is still held", c.max)
		}
	}
}

// A page that fails once the file has begun cuts the transfer short: the
// client sees a broken body, never a complete file with rows missing. A
// first page that fails is still an error status. Both give the place back.
func TestStreamErrors(t *testing.T) {
	s, url, logs := streamingServer(t, pages(5, 500, 3, errors.New("database gone")), 0)
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || err == nil || !strings.Contains(string(body), "2-499") {
		t.Fatalf("cut short: %d %v (%d bytes)", resp.StatusCode, err, len(body))
	}
	if !strings.Contains(logs.String(), "export cut short") || !strings.Contains(logs.String(), "database gone") {
		t.Fatalf("not logged: %s", logs)
	}
	if _, err := s.Exports.Take(); err != nil {
		t.Fatal("the place is still held after a failure")
	}

	s, url, logs = streamingServer(t, pages(5, 500, 1, storage.ErrBadCursor), 0)
	resp, err = http.Get(url)
	if err != nil {
		t.Fatal(err, logs)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 422 || !strings.Contains(string(body), `"cursor"`) {
		t.Fatalf("first page refused: %d %s", resp.StatusCode, body)
	}
	if _, err := s.Exports.Take(); err != nil {
		t.Fatal("the place is still held after a refusal")
	}
}

// A HEAD of an export reads its first page (a refusal is still the GET's
// status) and no other, gives its place back, and ends where its headers
// do: the next answer on the connection is whole.
func TestStreamHead(t *testing.T) {
	var reads atomic.Int32
	all := pages(5, 500, 0, nil)
	s, url, _ := streamingServer(t, func(ctx context.Context, cursor string) ([]string, string, error) {
		reads.Add(1)
		return all(ctx, cursor)
	}, 0)
	u, _ := neturl.Parse(url)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	fmt.Fprintf(conn, "HEAD %s HTTP/1.1\r\nHost: x\r\n\r\n", u.Path)
	resp, err := http.ReadResponse(r, &http.Request{Method: "HEAD"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		resp.TransferEncoding == nil || reads.Load() != 1 {
		t.Fatalf("HEAD: %d %v, %d pages read", resp.StatusCode, resp.Header, reads.Load())
	}
	release, err := s.Exports.Take()
	if err != nil {
		t.Fatal("the place is still held after a HEAD")
	}
	release()
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", u.Path)
	resp, err = http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("the GET after a HEAD: %v", err)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 || !bytes.HasSuffix(body, []byte("5-499\r\n")) {
		t.Fatalf("the GET after a HEAD: %d %v", resp.StatusCode, err)
	}
}

// An export compresses itself as the client asks (br, else gzip) and
// decodes to the plain file; one that fails midway is a broken transfer
// whose coded stream has no end, never a shorter file.
func TestStreamCompressed(t *testing.T) {
	get := func(url, enc string) (*http.Response, []byte, error) {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Accept-Encoding", enc)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		return resp, body, err
	}
	decode := func(enc string, body []byte) ([]byte, error) {
		if enc == "br" {
			return io.ReadAll(brotli.NewReader(bytes.NewReader(body)))
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		return io.ReadAll(zr)
	}
	_, url, _ := streamingServer(t, pages(5, 500, 0, nil), 0)
	_, plain, err := get(url, "identity")
	if err != nil {
		t.Fatal(err)
	}
	_, failing, _ := streamingServer(t, pages(5, 500, 3, errors.New("database gone")), 0)
	for _, enc := range []string{"br", "gzip"} {
		resp, body, err := get(url, enc)
		if err != nil || resp.Header.Get("Content-Encoding") != enc || !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
			t.Fatalf("%s: %v %v", enc, err, resp.Header)
		}
		if got, err := decode(enc, body); err != nil || !bytes.Equal(got, plain) || len(body)*3 > len(plain) {
			t.Fatalf("%s: %d bytes decode to %d (%v), plain %d", enc, len(body), len(got), err, len(plain))
		}
		resp, body, err = get(failing, enc)
		if resp.StatusCode != 200 || err == nil {
			t.Fatalf("%s cut short: %d %v", enc, resp.StatusCode, err)
		}
		// gzip misses its trailer; Go's brotli reader ends quietly at a flush
		// point, so for br the broken transfer above is what tells.
		if got, err := decode(enc, body); (err == nil) != (enc == "br") || !bytes.Contains(got, []byte("2-499")) {
			t.Fatalf("%s cut short: decodes to %d bytes, %v", enc, len(got), err)
		}
	}
}
