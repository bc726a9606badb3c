// Package webhook sends Essor's events to the targets admins register,
// following the Standard Webhooks convention (webhook-id, webhook-timestamp,
// webhook-signature "v1,<base64 HMAC-SHA256>"), signed by the convention's
// own Go library. A target is refused when it names or reaches a private,
// loopback or link-local address, unless the configuration allows it: the
// address is checked where the connection is made, so a name that resolves
// elsewhere later (DNS rebinding) is caught too.
package webhook

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"syscall"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// Events are the events a target may ask for (api.md "Webhooks").
var Events = []string{"need.submitted", "need.stage_changed", "study_action.stage_changed",
	"call.published", "round.phase_started", "committee.decided"}

// ErrPrivate refuses a target on a private, loopback or link-local address.
var ErrPrivate = errors.New("private address")

// NewSecret is a target's signing secret, "whsec_" and 32 random bytes.
func NewSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return "whsec_" + base64.StdEncoding.EncodeToString(b)
}

// public tells an address that may be reached from the Internet.
func public(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsGlobalUnicast() && !a.IsPrivate() && !a.IsLoopback() && !a.IsLinkLocalUnicast() &&
		!netip.MustParsePrefix("100.64.0.0/10").Contains(a) && !netip.MustParsePrefix("fc00::/7").Contains(a)
}

// CheckTarget refuses a URL that is not http(s) with a host, or whose host
// resolves to an address that is not public (unless allowPrivate).
func CheckTarget(ctx context.Context, raw string, allowPrivate bool) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Hostname() == "" || u.User != nil {
		return errors.New("not an http(s) URL")
	}
	if allowPrivate {
		return nil
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", u.Hostname())
	if err != nil {
		return fmt.Errorf("unknown host: %w", err)
	}
	for _, a := range addrs {
		if !public(a) {
			return ErrPrivate
		}
	}
	return nil
}

// Client sends deliveries; its dialer refuses non-public addresses at the
// moment of connecting (unless AllowPrivate).
func Client(allowPrivate bool) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
		if allowPrivate {
			return nil
		}
		ap, err := netip.ParseAddrPort(address)
		if err != nil || !public(ap.Addr()) {
			return ErrPrivate
		}
		return nil
	}}
	return &http.Client{
		Timeout: 15 * time.Second,
		Transport: &http.Transport{DialContext: dialer.DialContext, Proxy: nil, MaxIdleConnsPerHost: 4,
			TLSHandshakeTimeout: 5 * time.Second, ResponseHeaderTimeout: 10 * time.Second},
		// A redirect could lead anywhere: the target answers itself or fails.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Delivery is one signed message.
type Delivery struct {
	ID, URL, Secret string
	Payload         []byte
	At              time.Time
}

// Send posts a delivery and returns the target's status (0 when none came).
func Send(ctx context.Context, c *http.Client, d Delivery) (int, error) {
	wh, err := standardwebhooks.NewWebhook(d.Secret)
	if err != nil {
		return 0, fmt.Errorf("secret: %w", err)
	}
	sig, err := wh.Sign(d.ID, d.At, d.Payload)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Payload))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Essor-Webhooks/1")
	req.Header.Set("webhook-id", d.ID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(d.At.Unix(), 10))
	req.Header.Set("webhook-signature", sig)
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		return resp.StatusCode, fmt.Errorf("the target answered %d", resp.StatusCode)
	}
	return resp.StatusCode, nil
}

// delays are the waits between attempts; the last repeats until 24 hours.
var delays = []time.Duration{10 * time.Second, 30 * time.Second, time.Minute, 5 * time.Minute, 15 * time.Minute,
	30 * time.Minute, time.Hour, 2 * time.Hour, 4 * time.Hour}

// Backoff is the wait after the attempt-th failure (1-based).
func Backoff(attempt int) time.Duration {
	return delays[min(max(attempt, 1), len(delays))-1]
}

// Valid tells whether every event is one of Events.
func Valid(events []string) bool {
	if len(events) == 0 {
		return false
	}
	for _, e := range events {
		if !slices.Contains(Events, e) {
			return false
		}
	}
	return true
}
