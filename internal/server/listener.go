package server

import (
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
)

// A server that refuses a request before reading its body (413: too large;
// 431: headers too long) answers, then closes the connection. If the client
// is still sending — it sent the whole body at once, without waiting for
// "100 Continue", as most clients do — the unread bytes make the kernel
// reset the connection, and the reset can destroy the answer before the
// client reads it. Mature servers close in two steps instead (Go's net/http
// calls it a lingering close): stop writing, read and discard what the
// client still sends, up to a cap and for a bounded time, then close.

// Bounds of the lingering close: what a client may still send once it has
// been answered, and for how long it is listened to.
const (
	lingerBytes = 4 << 20
	lingerTime  = 3 * time.Second
)

// lingeringListener hands out connections whose Close lingers.
type lingeringListener struct{ net.Listener }

func (l lingeringListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	if tcp, ok := c.(*net.TCPConn); ok {
		return &lingeringConn{TCPConn: tcp}, nil
	}
	return c, nil
}

type lingeringConn struct {
	*net.TCPConn
	once sync.Once
}

// Close stops writing at once (the client sees the end of the answer),
// then, in the background, drains what the client still sends until it
// closes its side, the cap or the deadline, and closes for good.
// It is safe to call twice (fasthttp closes idle connections on shutdown,
// then their goroutine closes them again).
func (c *lingeringConn) Close() (err error) {
	c.once.Do(func() {
		if err = c.CloseWrite(); err != nil {
			err = c.TCPConn.Close()
			return
		}
		_ = c.SetReadDeadline(time.Now().Add(lingerTime))
		go func() {
			_, _ = io.CopyN(io.Discard, c.TCPConn, lingerBytes)
			_ = c.TCPConn.Close()
		}()
	})
	return err
}

// keepPathOfOversizedRequests lets the answer to a request whose line and
// headers overflow the read buffer (a 431) be JSON for the API: fasthttp
// forgets the request line of such a request before Fiber's error handler
// runs, but its error quotes the request's first bytes, from which the
// path is taken back.
func (s *Server) keepPathOfOversizedRequests() {
	srv := s.app.Server()
	next := srv.ErrorHandler
	srv.ErrorHandler = func(fctx *fasthttp.RequestCtx, err error) {
		var small *fasthttp.ErrSmallBuffer
		if errors.As(err, &small) {
			if path := quotedRequestPath(err.Error()); path != "" {
				fctx.Request.SetRequestURI(path)
			}
		}
		next(fctx, err)
	}
}

// quotedRequestPath finds the path of the request line quoted in a fasthttp
// header error ("… contents: \"GET /api/v1/needs?q=… HTTP/1.1\r\n…\"…"),
// possibly cut short; "" when there is none.
func quotedRequestPath(msg string) string {
	_, quoted, ok := strings.Cut(msg, "contents: ")
	if !ok {
		return ""
	}
	prefix, err := strconv.QuotedPrefix(quoted)
	if err != nil {
		return ""
	}
	raw, err := strconv.Unquote(prefix)
	if err != nil {
		return ""
	}
	line, _, _ := strings.Cut(raw, "\r\n")
	_, target, ok := strings.Cut(line, " ")
	if !ok {
		return ""
	}
	target, _, _ = strings.Cut(target, " ")
	path, _, _ := strings.Cut(target, "?")
	if !strings.HasPrefix(path, "/") || strings.ContainsFunc(path, func(r rune) bool { return r < 0x21 || r == 0x7f }) {
		return ""
	}
	return path
}
