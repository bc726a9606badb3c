// Package mail writes Essor's e-mails (plain text and HTML, in the
// person's language) and hands them to an SMTP server.
package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Sender sends through the SMTP server of SMTP_URL:
// smtp://user:pass@host:587 (STARTTLS, required when there are credentials,
// used when offered otherwise), smtps://… (TLS from the start);
// ?tls=none|opportunistic|mandatory overrides the STARTTLS policy.
type Sender struct {
	host string
	opts []gomail.Option
	from string
	// IDDomain is the right-hand side of the Message-IDs (the From domain).
	IDDomain string
}

// NewSender reads SMTP_URL and ESSOR_MAIL_FROM; an empty URL is no sender
// (nil, nil): messages then wait in the outbox.
func NewSender(smtpURL, from string) (*Sender, error) {
	if strings.TrimSpace(smtpURL) == "" {
		return nil, nil
	}
	u, err := url.Parse(smtpURL)
	if err != nil || u.Hostname() == "" {
		return nil, errors.New("SMTP_URL: smtp://user:pass@host:587 is expected")
	}
	s := &Sender{host: u.Hostname(), from: from, IDDomain: domainOf(from)}
	opts := []gomail.Option{gomail.WithTimeout(30 * time.Second)}
	port := 587
	switch u.Scheme {
	case "smtp":
	case "smtps":
		port = 465
		opts = append(opts, gomail.WithSSL())
	default:
		return nil, fmt.Errorf("SMTP_URL: scheme %q: smtp or smtps is expected", u.Scheme)
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("SMTP_URL: port %q", p)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	policy := gomail.TLSOpportunistic
	if u.User != nil && u.User.Username() != "" {
		pass, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(u.User.Username()),
			gomail.WithPassword(pass))
		policy = gomail.TLSMandatory // credentials never travel in clear
	}
	switch u.Query().Get("tls") {
	case "":
	case "none":
		policy = gomail.NoTLS
	case "opportunistic":
		policy = gomail.TLSOpportunistic
	case "mandatory":
		policy = gomail.TLSMandatory
	default:
		return nil, errors.New("SMTP_URL: tls=none|opportunistic|mandatory")
	}
	if u.Scheme == "smtp" {
		opts = append(opts, gomail.WithTLSPolicy(policy))
	}
	s.opts = opts
	return s, nil
}

func domainOf(from string) string {
	if i := strings.LastIndex(from, "@"); i >= 0 {
		return strings.Trim(from[i+1:], "> ")
	}
	return "essor.invalid"
}

// Message is one e-mail, written.
type Message struct {
	To, ToName string
	Subject    string
	Text, HTML string
	// MessageID (without angle brackets) stays the same when a message is
	// sent again, so that mail programs can recognise it.
	MessageID string
	// Unsubscribe is the one-click address (RFC 8058) that stops this kind.
	Unsubscribe string
	Date        time.Time
	Attachments []Attachment
}

// Attachment is a file sent with a message (a session's invitation).
type Attachment struct {
	Name, ContentType string
	Data              []byte
}

// Conn is an open SMTP session.
type Conn struct{ c *gomail.Client }

// Open connects to the SMTP server.
func (s *Sender) Open(ctx context.Context) (*Conn, error) {
	c, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return nil, err
	}
	if err := c.DialWithContext(ctx); err != nil {
		return nil, fmt.Errorf("smtp %s: %w", s.host, err)
	}
	return &Conn{c: c}, nil
}

// Close ends the session.
func (c *Conn) Close() { _ = c.c.Close() }

// Send hands one message to the server, from `from`.
func (s *Sender) Send(c *Conn, m Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return fmt.Errorf("ESSOR_MAIL_FROM: %w", err)
	}
	if err := msg.AddToFormat(m.ToName, m.To); err != nil {
		return permanentError{fmt.Errorf("recipient %q: %w", m.To, err)}
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDateWithValue(m.Date)
	msg.SetBulk()
	if m.Unsubscribe != "" {
		msg.SetGenHeader("List-Unsubscribe", "<"+m.Unsubscribe+">")
		msg.SetGenHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	for _, a := range m.Attachments {
		if err := msg.AttachReader(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
			return fmt.Errorf("attach %s: %w", a.Name, err)
		}
	}
	return c.c.Send(msg)
}

type permanentError struct{ error }

func (e permanentError) Unwrap() error { return e.error }

// Permanent tells whether the server refused the message for good (a 5xx
// reply, a bad address): sending it again would fail the same way.
func Permanent(err error) bool {
	var p permanentError
	if errors.As(err, &p) {
		return true
	}
	var se *gomail.SendError
	if errors.As(err, &se) {
		return !se.IsTemp() && se.ErrorCode() >= 500
	}
	return false
}
