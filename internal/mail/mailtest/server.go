// Package mailtest runs a real SMTP server (emersion/go-smtp) on loopback
// for tests, keeping every message it accepts.
package mailtest

import (
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Received is one message the server accepted.
type Received struct {
	From    string
	To      []string
	Raw     string
	Header  mail.Header
	Body    string // the raw body (MIME parts and all)
	Subject string // decoded
}

// Server is an SMTP server on 127.0.0.1.
type Server struct {
	Addr string
	mu   sync.Mutex
	got  []Received
	// refuse > 0 refuses that many next messages with a 451 (a server
	// that fails for now); refuseFor refuses one recipient for good (550).
	refuse    int
	refuseFor string
	srv       *smtp.Server
}

// Start runs a server until the test ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.EnableSMTPUTF8 = true
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s.Addr, s.srv = ln.Addr().String(), srv
	go func() { _ = srv.Serve(ln) }()
	tb.Cleanup(func() { _ = srv.Close() })
	return s
}

// URL is the SMTP_URL that reaches the server (no TLS: it is loopback).
func (s *Server) URL() string { return "smtp://" + s.Addr + "?tls=none" }

// RefuseNext makes the server refuse the next n messages for now (451).
func (s *Server) RefuseNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = n
}

// RefuseRecipient makes the server refuse one address for good (550).
func (s *Server) RefuseRecipient(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuseFor = strings.ToLower(addr)
}

// Messages returns what the server accepted so far, in order.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.got...)
}

// To returns the messages accepted for one address.
func (s *Server) To(addr string) []Received {
	var out []Received
	for _, m := range s.Messages() {
		for _, t := range m.To {
			if strings.EqualFold(t, addr) {
				out = append(out, m)
			}
		}
	}
	return out
}

type session struct {
	s    *Server
	from string
	to   []string
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	if x.s.refuse > 0 {
		x.s.refuse--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	if x.s.refuseFor != "" && strings.EqualFold(to, x.s.refuseFor) {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	rec := Received{From: x.from, To: x.to, Raw: string(raw)}
	if m, err := mail.ReadMessage(strings.NewReader(rec.Raw)); err == nil {
		rec.Header = m.Header
		body, _ := io.ReadAll(m.Body)
		rec.Body = string(body)
		dec := new(mimeDecoder)
		rec.Subject = dec.decode(m.Header.Get("Subject"))
	}
	x.s.mu.Lock()
	x.s.got = append(x.s.got, rec)
	x.s.mu.Unlock()
	return nil
}

type mimeDecoder struct{}

func (mimeDecoder) decode(s string) string {
	d := new(mime.WordDecoder)
	out, err := d.DecodeHeader(s)
	if err != nil {
		return s
	}
	return out
}

// Part returns the decoded body of the message's part of this media type
// ("text/plain", "text/html"), "" if it has none.
func (r Received) Part(mediaType string) string {
	if r.Header == nil {
		return ""
	}
	return findPart(r.Header.Get("Content-Type"), r.Header.Get("Content-Transfer-Encoding"), r.Body, mediaType)
}

func findPart(contentType, encoding, body, want string) string {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(strings.NewReader(body), params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return ""
			}
			b, _ := io.ReadAll(p)
			if s := findPart(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), string(b), want); s != "" {
				return s
			}
		}
	}
	if mt != want {
		return ""
	}
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		b, _ := io.ReadAll(quotedprintable.NewReader(strings.NewReader(body)))
		return string(b)
	case "base64":
		b, _ := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(body), ""))
		return string(b)
	}
	return body
}
