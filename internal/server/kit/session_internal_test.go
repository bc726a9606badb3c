package kit

import (
	"io"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"essor/internal/config"
)

func TestClientKey(t *testing.T) {
	proxies := NewProxySet([]string{"10.0.0.0/8", "192.0.2.10", "2001:db8:ffff::/48", "not a proxy"})
	none := NewProxySet(nil)
	cases := []struct {
		name    string
		remote  string
		xff     []string
		trusted ProxySet
		want    string
	}{
		{"no proxies: the remote address", "203.0.113.5", nil, none, "203.0.113.5"},
		{"no proxies: X-Forwarded-For is ignored", "203.0.113.5", []string{"198.51.100.1"}, none, "203.0.113.5"},
		{"an untrusted remote's X-Forwarded-For is ignored", "203.0.113.5", []string{"198.51.100.1"}, proxies, "203.0.113.5"},
		{"trusted proxy, one hop", "10.1.2.3", []string{"198.51.100.1"}, proxies, "198.51.100.1"},
		{"the client's own prefix is not believed", "10.1.2.3", []string{"1.1.1.1, 2.2.2.2, 198.51.100.1"}, proxies, "198.51.100.1"},
		{"trusted hops are skipped from the right", "10.1.2.3", []string{"1.1.1.1, 198.51.100.1, 10.9.9.9, 192.0.2.10"}, proxies, "198.51.100.1"},
		{"several headers are one list", "10.1.2.3", []string{"1.1.1.1", "198.51.100.1, 10.9.9.9"}, proxies, "198.51.100.1"},
		{"spaces and a port", "10.1.2.3", []string{"  198.51.100.1:4711 "}, proxies, "198.51.100.1"},
		{"an unreadable right-most hop: the remote address", "10.1.2.3", []string{"198.51.100.1, pas-une-adresse"}, proxies, "10.1.2.3"},
		{"an unreadable hop left of the client does not matter", "10.1.2.3", []string{"n'importe quoi, 198.51.100.1"}, proxies, "198.51.100.1"},
		{"an empty hop: the remote address", "10.1.2.3", []string{"198.51.100.1,"}, proxies, "10.1.2.3"},
		{"an unknown", "10.1.2.3", []string{"unknown"}, proxies, "10.1.2.3"},
		{"a very long garbage header", "10.1.2.3", []string{strings.Repeat("x", 4000)}, proxies, "10.1.2.3"},
		{"no header behind a proxy: the proxy", "10.1.2.3", nil, proxies, "10.1.2.3"},
		{"every hop trusted: the left-most", "10.1.2.3", []string{"10.7.7.7, 10.8.8.8"}, proxies, "10.7.7.7"},
		{"IPv6 by its /64", "2001:db8:1:2:3:4:5:6", nil, none, "2001:db8:1:2::/64"},
		{"one /64 is one key", "2001:db8:1:2:ffff:ffff:ffff:ffff", nil, none, "2001:db8:1:2::/64"},
		{"IPv6 behind a proxy", "10.1.2.3", []string{"[2001:db8:aa:bb::1]:443"}, proxies, "2001:db8:aa:bb::/64"},
		{"IPv6 with a zone", "10.1.2.3", []string{"fe80::1%eth0"}, proxies, "fe80::/64"},
		{"an IPv6 proxy is skipped", "2001:db8:ffff:1::1", []string{"198.51.100.1, 2001:db8:ffff:2::2"}, proxies, "198.51.100.1"},
		{"IPv4-mapped IPv6 is IPv4", "::ffff:203.0.113.5", nil, none, "203.0.113.5"},
		{"a mapped trusted proxy is trusted", "::ffff:10.1.2.3", []string{"198.51.100.1"}, proxies, "198.51.100.1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			remote := netip.MustParseAddr(tc.remote)
			if got := clientKeyOf(remote, tc.xff, tc.trusted); got != tc.want {
				t.Fatalf("clientKeyOf(%s, %q) = %q, want %q", tc.remote, tc.xff, got, tc.want)
			}
		})
	}
	if k := clientKeyOf(netip.Addr{}, nil, none); k != "unknown" {
		t.Fatalf("no address: %q", k)
	}
}

// clientKey reads every X-Forwarded-For header of a real request.
func TestClientKeyFromRequest(t *testing.T) {
	trusted := []string{"0.0.0.0"} // app.Test's connections come from 0.0.0.0
	s := &Kit{Cfg: config.Config{TrustedProxies: trusted}, Proxies: NewProxySet(trusted)}
	app := fiber.New()
	app.Get("/", func(c *fiber.Ctx) error { return c.SendString(s.ClientKey(c)) })
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Add("X-Forwarded-For", "1.1.1.1, 2001:db8:5:6::7")
	req.Header.Add("X-Forwarded-For", "198.51.100.1")
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if string(body) != "198.51.100.1" {
		t.Fatalf("key %q", body)
	}
}

func TestSafeNext(t *testing.T) {
	cases := []struct{ in, want string }{
		{"/besoins?x=1", "/besoins?x=1"},
		{"/besoins/0b6c3d0e-1f00-4a5b-9c8d-7e6f5a4b3c2d", "/besoins/0b6c3d0e-1f00-4a5b-9c8d-7e6f5a4b3c2d"},
		{"/mes-besoins", "/mes-besoins"},
		{"/besoins?q=transport+solidaire&stage=submitted", "/besoins?q=transport+solidaire&stage=submitted"},
		{"/besoins#haut", "/besoins"},
		{"/", "/"},
		{"/%C3%A9t%C3%A9", "/%C3%A9t%C3%A9"},
		{"", "/"},
		{"besoins", "/"},
		{"//host", "/"},
		{"//host/path", "/"},
		{"///host", "/"},
		{"/\\host", "/"},
		{"/\\/host", "/"},
		{"/besoins\\..\\x", "/"},
		{"/\t/host", "/"},
		{"/\n/host", "/"},
		{"/\r\nLocation: x", "/"},
		{"/\x00", "/"},
		{"/\x7f/host", "/"},
		{"/besoins?x=\t", "/"},
		{"/%09/host", "/"},
		{"/%2F/host", "/"},
		{"/%5Chost", "/"},
		{"/%0d%0aSet-Cookie:x", "/"},
		{"https://x", "/"},
		{"http://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"JavaScript:alert(1)", "/"},
		{"data:text/html,x", "/"},
		{"mailto:a@b", "/"},
		{" /besoins", "/"},
		{"\t//host", "/"},
		{"/%zz", "/"},
	}
	for _, tc := range cases {
		if got := SafeNext(tc.in); got != tc.want {
			t.Errorf("safeNext(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/besoins?x=1", "//host", "/\t/host", "/%09/host", "https://x", "/\\host", "javascript:x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := SafeNext(in)
		if !localPath(out) {
			t.Fatalf("safeNext(%q) = %q, not a local path", in, out)
		}
		// What a browser would do with it: resolve against this site.
		base, _ := url.Parse("https://essor.example/page")
		u, err := base.Parse(out)
		if err != nil || u.Host != base.Host || u.Scheme != base.Scheme {
			t.Fatalf("safeNext(%q) = %q leaves the site (%v)", in, out, u)
		}
	})
}
