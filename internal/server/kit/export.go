package kit

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"essor/internal/config"
	"essor/internal/csvexport"
	"essor/internal/domain"
)

// Exports (the lists as CSV, the open data) are public and read the whole
// base: a pool bounds how many stream at once, and each streams page by page
// so that its memory stays the same whatever the size of the base.

// exportTimeout bounds one export's reading of the database; the server's
// write timeout bounds the client's reading.
const exportTimeout = 5 * time.Minute

// exportRetryAfter is what a client that found the pool full is told to wait.
const ExportRetryAfter = 5 * time.Second

// exportPool holds one token per export under way.
type ExportPool chan struct{}

func NewExportPool(n int) ExportPool {
	if n < 1 {
		n = config.DefaultExportConcurrency
	}
	return make(ExportPool, n)
}

// take reserves a place, or answers the 503 a full pool gives (with
// Retry-After): exports never queue, so a flood costs nothing but refusals.
func (p ExportPool) Take() (release func(), err error) {
	select {
	case p <- struct{}{}:
		return func() { <-p }, nil
	default:
		de := domain.E(domain.CodeUnavailable, "error.exports_busy")
		de.RetryAfter = ExportRetryAfter
		return nil, de
	}
}

// pager reads one page after cursor ("" is the first); next is "" after the
// last.
type Pager[T any] func(ctx context.Context, cursor string) (page []T, next string, err error)

// download is what an export answers: its file and how it is written.
type download struct {
	contentType string
	file        string
}

func csvFile(name string) download  { return download{"text/csv; charset=utf-8", name} }
func JSONFile(name string) download { return download{fiber.MIMEApplicationJSONCharsetUTF8, name} }

// encoder writes the items of one export into its body.
type Encoder[T any] struct {
	Item  func(T) error
	Flush func() error // hands what it buffers on, at the end of each page
	End   func() error
}

// streamPages answers d with the pages fetch reads, each item written by
// the encoder start makes. It takes a place in the pool and reads the first
// page before answering, so that a refused cursor, a database away or a
// full pool is still an error status; after that the status is sent, each
// page goes to the client as it is read, and an error cuts the transfer
// short (the client sees a broken body, never a complete file with rows
// missing). max bounds the items (0: every one).
func StreamPages[T any](s *Kit, c *fiber.Ctx, d download, fetch Pager[T], max int, start func(w io.Writer) (Encoder[T], error)) error {
	release, err := s.Exports.Take()
	if err != nil {
		return err
	}
	first, next, err := fetch(c.UserContext(), "")
	if err != nil {
		release()
		return err
	}
	c.Set(fiber.HeaderContentType, d.contentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+d.file+`"`)
	c.Vary(fiber.HeaderAcceptEncoding)
	enc := encodingOf(c)
	if enc != "" {
		c.Set(fiber.HeaderContentEncoding, enc)
	}
	if c.Method() == fiber.MethodHead { // a GET's status and headers, without reading the rest of the base
		release()
		// Chunked as the GET, but no body stream: fasthttp would end a HEAD's
		// with a stray CRLF, which breaks the next answer on the connection.
		c.Response().Header.SetContentLength(-1)
		return nil
	}
	log, id := s.Log, RequestID(c)
	pr, pw := io.Pipe()
	go func() {
		err := func() (err error) {
			defer func() {
				if r := recover(); r != nil { // this goroutine is no handler's: a panic would end the process
					err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
				}
			}()
			ctx, cancel := context.WithTimeout(context.Background(), exportTimeout)
			defer cancel()
			return writePages(ctx, newCompressWriter(enc, pw), first, next, fetch, max, start)
		}()
		if err != nil && !errors.Is(err, io.ErrClosedPipe) { // closed: the client left
			log.Warn("export cut short", "file", d.file, "request_id", id, "error", err)
		}
		release()                  // before the body ends: a client that read it all finds the place free
		_ = pw.CloseWithError(err) // nil: the end of the body; an error: a transfer cut short
	}()
	c.Context().SetBodyStream(pr, -1)
	return nil
}

func writePages[T any](ctx context.Context, out compressWriter, page []T, next string, fetch Pager[T], max int,
	start func(w io.Writer) (Encoder[T], error)) error {
	w := bufio.NewWriterSize(out, 32<<10)
	enc, err := start(w)
	if err != nil {
		return err
	}
	flush := func() error {
		if err := enc.Flush(); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
		return out.Flush()
	}
	n := 0
	for {
		for _, v := range page {
			if max > 0 && n == max {
				next = ""
				break
			}
			if err := enc.Item(v); err != nil {
				return err
			}
			n++
		}
		if err := flush(); err != nil {
			return err
		}
		if next == "" {
			break
		}
		if page, next, err = fetch(ctx, next); err != nil {
			return err
		}
	}
	if err := enc.End(); err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	return out.Close()
}

// streamCSV answers a CSV file of header and one row per item.
func StreamCSV[T any](s *Kit, c *fiber.Ctx, file string, header []string, fetch Pager[T], max int,
	row func(T) []csvexport.Cell) error {
	return StreamPages(s, c, csvFile(file), fetch, max, func(w io.Writer) (Encoder[T], error) {
		cw, err := csvexport.NewWriter(w)
		if err == nil {
			err = cw.Header(header...)
		}
		return Encoder[T]{Item: func(v T) error { return cw.Row(row(v)...) }, Flush: cw.Flush,
			End: func() error { return nil }}, err
	})
}

// maxExportRows bounds a list's CSV: a filtered list is what people open in
// a spreadsheet; the whole base is the open-data export's.
const MaxExportRows = 20000

// exportPage is how many rows a list's export reads at a time.
const ExportPage = 500

// capitalised starts a label with a capital, as a cell of its own.
func Capitalised(s string) string {
	if s == "" {
		return s
	}
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}
