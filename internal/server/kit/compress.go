package kit

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"
	"github.com/klauspost/compress/gzip"
	"github.com/valyala/fasthttp"
)

// Text answers go compressed to the clients that accept it, gzip before br
// (encodingOf), at fast levels: gzip 1 and br 1 send 10-15 % more bytes
// than the default levels for a third of their CPU; br 0 sends more than
// gzip 1 (BenchmarkCompression).
const (
	brotliLevel = 1
	gzipLevel   = fasthttp.CompressBestSpeed
	// compressMin: a smaller body fits in one packet anyway.
	compressMin = 1024
)

// compress compresses the bodies handlers write whole. Fiber's and
// fasthttp's middleware would also take application/pdf or zip, and would
// end a failing export's stream as a valid file with rows missing: the
// exports compress themselves (compressWriter), and errors are answered here
// so that error pages are compressed too.
func (s *Kit) Compress(c *fiber.Ctx) error {
	if err := c.Next(); err != nil {
		if herr := s.ErrorHandler(c, err); herr != nil {
			return herr
		}
	}
	resp := c.Response()
	if !compressible(resp.Header.ContentType()) {
		return nil
	}
	c.Vary(fiber.HeaderAcceptEncoding)
	if len(resp.Header.ContentEncoding()) > 0 || c.Context().IsBodyStream() || len(resp.Body()) < compressMin {
		return nil
	}
	enc := encodingOf(c)
	switch enc {
	case "br":
		resp.SetBodyRaw(fasthttp.AppendBrotliBytesLevel(nil, resp.Body(), brotliLevel))
	case "gzip":
		resp.SetBodyRaw(fasthttp.AppendGzipBytesLevel(nil, resp.Body(), gzipLevel))
	default:
		return nil
	}
	resp.Header.SetContentEncoding(enc)
	return nil
}

// compressible tells the text types; images other than SVG, PDF and
// archives are compressed already.
func compressible(contentType []byte) bool {
	mt, _, _ := bytes.Cut(contentType, []byte(";"))
	mt = bytes.ToLower(bytes.TrimSpace(mt))
	switch {
	case bytes.HasPrefix(mt, []byte("text/")), bytes.HasSuffix(mt, []byte("+json")), bytes.HasSuffix(mt, []byte("+xml")):
		return true
	}
	switch string(mt) {
	case "application/json", "application/javascript", "application/xml", "image/svg+xml":
		return true
	}
	return false
}

// encodingOf is the coding of the answer: gzip if the client accepts it,
// else br, else none (""). A coding with q=0 is refused. gzip first: at
// the cheap levels it costs about half br's CPU for the same bytes on a
// page, and fewer on the exports (BenchmarkCompression, BenchmarkExports).
func encodingOf(c *fiber.Ctx) string {
	br, gz := false, false
	for _, item := range strings.Split(c.Get(fiber.HeaderAcceptEncoding), ",") {
		name, params, _ := strings.Cut(item, ";")
		ok := true
		if k, v, found := strings.Cut(strings.TrimSpace(params), "="); found && strings.EqualFold(strings.TrimSpace(k), "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			ok = err == nil && q > 0
		}
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "br":
			br = ok
		case "gzip", "x-gzip":
			gz = ok
		}
	}
	switch {
	case gz:
		return "gzip"
	case br:
		return "br"
	}
	return ""
}

// compressWriter writes an export's body in the coding enc. Close ends the
// coded stream; a failed export never calls it, so that the client finds
// the body broken rather than a shorter file that decodes well.
type compressWriter interface {
	io.Writer
	Flush() error
	Close() error
}

func newCompressWriter(enc string, w io.Writer) compressWriter {
	switch enc {
	case "br":
		return brotli.NewWriterLevel(w, brotliLevel)
	case "gzip":
		zw, _ := gzip.NewWriterLevel(w, gzipLevel) // the level is valid
		return zw
	}
	return plainWriter{w}
}

type plainWriter struct{ io.Writer }

func (plainWriter) Flush() error { return nil }
func (plainWriter) Close() error { return nil }
