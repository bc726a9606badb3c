package kit

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
)

// checkCSRF refuses a form whose token is not the session's (or, signed
// out, the double-submit cookie's), masked as formToken writes it. The
// plain token of a form rendered before masking is still taken: it costs
// one comparison, and no page shows it any more.
func (s *Kit) checkCSRF(c *fiber.Ctx) error {
	want, _ := c.Locals(localCSRF).(string)
	got := c.FormValue("_csrf")
	if got == "" {
		got = c.Get("X-CSRF-Token")
	}
	if want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(unmaskToken(got))) != 1 &&
		subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
		return domain.E(domain.CodeForbidden, "error.csrf")
	}
	return c.Next()
}

// formToken is the form token as pages write it, masked afresh each time:
// a random pad, then the token XOR the pad, in base64. A compressed page
// then never repeats the secret, which BREACH would guess byte by byte
// from the sizes of pages that reflect a guess beside it.
func FormToken(c *fiber.Ctx) string {
	tok, _ := c.Locals(localCSRF).(string)
	if tok == "" {
		return ""
	}
	b := make([]byte, 2*len(tok))
	pad, masked := b[:len(tok)], b[len(tok):]
	rand.Read(pad)
	for i := range masked {
		masked[i] = tok[i] ^ pad[i]
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// unmaskToken is the token a form sent masked ("" if it is not one).
func unmaskToken(s string) string {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b)%2 != 0 {
		return ""
	}
	pad, masked := b[:len(b)/2], b[len(b)/2:]
	for i := range masked {
		masked[i] ^= pad[i]
	}
	return string(masked)
}
