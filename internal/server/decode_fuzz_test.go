package server

import (
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"essor/internal/domain"
	"essor/internal/server/kit"
)

// mustBeClean fails unless every string of v passes the gate unchanged.
func mustBeClean(t *testing.T, v any) {
	t.Helper()
	fe := domain.FieldErrors{}
	kit.CleanStrings(v, fe)
	if len(fe) > 0 {
		t.Fatalf("accepted value still has faulty text: %v", fe)
	}
}

// FuzzDecodeJSON: whatever body arrives, decodeJSON answers a 400 or a 422
// (never another error, never a panic), and what it accepts is clean text.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		`{"title":"Crèche","description":"Une crèche à horaires décalés","theme":"early_childhood","territory_code":"39"}`,
		`{"action":"merge","into":"0B6F3A52-1C2D-4E5F-8A9B-0C1D2E3F4A5B"}`,
		`{"action":"request_info","comment":"a\u0000b"}`, "{\"comment\":\"\xff\"}", `{"budget_eur":1e999}`,
		`{"territories":["39","\u0007"]}`, `{"beneficiaries":"12"}`, `{"unknown":1}`, `[]`, `{`, ``, `{}{}`,
		"{\"comment\":\"e\u0301\\r\\n\"}",
	} {
		f.Add([]byte(s))
	}
	app := fiber.New()
	f.Fuzz(func(t *testing.T, body []byte) {
		fctx := &fasthttp.RequestCtx{}
		fctx.Request.SetBody(body)
		c := app.AcquireCtx(fctx)
		defer app.ReleaseCtx(c)
		for _, v := range []any{&domain.NeedSubmission{}, &domain.NeedInput{}, &signInRequest{}} {
			err := kit.DecodeJSON(c, v)
			if err == nil {
				mustBeClean(t, v)
				continue
			}
			de, ok := domain.As(err)
			if !ok || (de.Code != domain.CodeMalformed && de.Code != domain.CodeInvalid) {
				t.Fatalf("decodeJSON(%q) = %v", body, err)
			}
		}
	})
}

// FuzzQueryArgs: a query string either is refused with a field named, or
// every name and value a handler reads from it is clean.
func FuzzQueryArgs(f *testing.F) {
	for _, s := range []string{"q=cr%C3%A8che", "q=%00", "q=%FF&stage=captured", "a=1&a=2&b=e%CC%81", "%00=x", "q=%0D%0A"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		args := &fasthttp.Args{}
		args.Parse(q)
		fe := domain.FieldErrors{}
		kit.CleanArgs(args, fe)
		if len(fe) > 0 {
			return
		}
		args.VisitAll(func(k, v []byte) {
			for _, s := range []string{string(k), string(v)} {
				if clean, p := domain.CleanText(s); p != domain.TextOK || clean != s {
					t.Fatalf("%q: %q left unclean", q, s)
				}
			}
		})
	})
}

// BenchmarkDecodeSubmission is what the JSON side of the input gate costs a
// submission: strict decoding plus cleaning every string.
func BenchmarkDecodeSubmission(b *testing.B) {
	body := []byte(`{"title":"Crèche à horaires décalés","description":"` + strings.Repeat("Les parents qui travaillent la nuit n'ont aucune solution. ", 25) +
		`","theme":"early_childhood","territory_code":"39","beneficiaries":120,"organisation":"Mairie de Dole"}`)
	app := fiber.New()
	fctx := &fasthttp.RequestCtx{}
	fctx.Request.SetBody(body)
	c := app.AcquireCtx(fctx)
	defer app.ReleaseCtx(c)
	for b.Loop() {
		var sub domain.NeedSubmission
		if err := kit.DecodeJSON(c, &sub); err != nil {
			b.Fatal(err)
		}
	}
}
