package server_test

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"essor/internal/config"
	"essor/internal/domain"
	"essor/internal/testenv"
)

// rawRequest writes req on a new TCP connection in one go and reads the
// answer, as a client that does not wait for "100 Continue" does.
func rawRequest(t *testing.T, env *testenv.Env, req []byte) (*http.Response, []byte) {
	t.Helper()
	u, _ := url.Parse(env.URL)
	conn, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// A small send buffer, as over a real network: the write completes only
	// if the server reads what is sent (on loopback, the kernel's buffers
	// would otherwise swallow 2 MiB, and a reset would go unseen).
	_ = conn.(*net.TCPConn).SetWriteBuffer(16 << 10)
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := conn.Write(req); err != nil {
		t.Fatalf("write (the server reset the connection instead of reading the body): %v", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("read the answer: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read the answer's body: %v", err)
	}
	return resp, body
}

// A body over the 1 MiB limit sent whole, without "Expect: 100-continue",
// gets its 413 with the French message: the server drains what the client
// still sends before closing instead of resetting the connection.
func TestBodyOverLimitSentAtOnceGets413(t *testing.T) {
	env := testenv.New(t)
	acc := env.Account(t, "Asso", domain.RoleActor)
	body := bytes.Repeat([]byte("a"), 2<<20)
	for _, path := range []string{"/api/v1/needs", "/api/v1/sessions"} {
		head := "POST " + path + " HTTP/1.1\r\nHost: essor.test\r\nAuthorization: Bearer " + acc.Token +
			"\r\nContent-Type: application/json\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n"
		resp, raw := rawRequest(t, env, append([]byte(head), body...))
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("%s: status %d: %s", path, resp.StatusCode, raw)
		}
		e := errorOf(t, testenv.Response{Status: resp.StatusCode, Body: raw})
		if e.Code != "payload_too_large" || !strings.Contains(e.Message, "1 Mio") {
			t.Fatalf("%s: %+v", path, e)
		}
	}
	// The page form gets it as a French page.
	head := "POST /besoins/nouveau HTTP/1.1\r\nHost: essor.test\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
		"Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n"
	resp, raw := rawRequest(t, env, append([]byte(head), body...))
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(raw), "Envoi trop volumineux") {
		t.Fatalf("page: %d %s", resp.StatusCode, raw)
	}
}

// A request line and headers longer than the read buffer are a 431 (JSON
// under /api, a French page elsewhere), never a 500; long cookies and
// tokens up to the limit pass.
func TestOversizedHeadersAre431(t *testing.T) {
	env := testenv.New(t)
	long := strings.Repeat("x", 20<<10)

	r := env.Do(t, "GET", "/api/v1/needs", "", nil, "X-Long", long).Expect(t, http.StatusRequestHeaderFieldsTooLarge)
	if e := errorOf(t, r); e.Code != "request_header_too_large" || !strings.Contains(e.Message, "16 Kio") {
		t.Fatalf("api: %+v", e)
	}
	r = env.Do(t, "GET", "/besoins", "", nil, "Cookie", "essor_session="+long).Expect(t, http.StatusRequestHeaderFieldsTooLarge)
	if !strings.Contains(r.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.Body), "en-têtes trop longs") {
		t.Fatalf("page: %s %s", r.Header.Get("Content-Type"), r.Body)
	}
	// A request line alone over the limit: the path is unknown, the answer French.
	resp, raw := rawRequest(t, env, []byte("GET /api/v1/needs?q="+long+" HTTP/1.1\r\nHost: essor.test\r\n\r\n"))
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge || !strings.Contains(string(raw), "16 Kio") {
		t.Fatalf("long request line: %d %s", resp.StatusCode, raw)
	}

	// 10 KiB of cookies or headers pass.
	env.Do(t, "GET", "/besoins", "", nil, "Cookie", "essor_autre="+strings.Repeat("c", 10<<10)).Expect(t, http.StatusOK)
	acc := env.Account(t, "Asso", domain.RoleActor)
	env.Do(t, "GET", "/api/v1/needs", acc.Token, nil, "X-Long", strings.Repeat("h", 10<<10)).Expect(t, http.StatusOK)
}

const metricsToken = "un-jeton-de-metriques-pour-les-tests"

// /metrics is not public: on the application's address it needs the
// metrics token (404 when none is configured); ServeMetrics serves it alone
// on an address of its own.
func TestMetricsAreNotPublic(t *testing.T) {
	plain := testenv.New(t)
	plain.Do(t, "GET", "/metrics", "", nil).Expect(t, http.StatusNotFound)
	plain.Do(t, "GET", "/metrics", metricsToken, nil).Expect(t, http.StatusNotFound)

	env := testenv.New(t, func(c *config.Config) { c.MetricsToken = metricsToken })
	env.Do(t, "GET", "/healthz", "", nil).Expect(t, http.StatusOK)
	r := env.Do(t, "GET", "/metrics", "", nil).Expect(t, http.StatusUnauthorized)
	if e := errorOf(t, r); e.Code != "unauthenticated" || !strings.Contains(e.Message, "métriques") {
		t.Fatalf("%+v", e)
	}
	env.Do(t, "GET", "/metrics", metricsToken+"x", nil).Expect(t, http.StatusUnauthorized)
	body := string(env.Do(t, "GET", "/metrics", metricsToken, nil).Expect(t, http.StatusOK).Body)
	if !strings.Contains(body, `essor_http_requests_total{method="GET",route="/healthz",status="200"} 1`) {
		t.Fatalf("metrics:\n%s", body)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = plain.Server.ServeMetrics(ln) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(raw), `route="/metrics",status="404"`) {
		t.Fatalf("metrics address: %d\n%s", resp.StatusCode, raw)
	}
	resp, err = http.Get("http://" + ln.Addr().String() + "/api/v1/needs")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("the metrics address serves more than /metrics: %d", resp.StatusCode)
	}
}
