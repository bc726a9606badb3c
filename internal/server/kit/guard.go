package kit

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// requireSignIn sends signed-out visitors to the sign-in page, which brings
// them back here afterwards.
func (s *Kit) requireSignIn(c *fiber.Ctx) error {
	if _, ok := UserOf(c); ok {
		return c.Next()
	}
	back := c.OriginalURL()
	if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
		back = c.Get(fiber.HeaderReferer)
		if u, err := url.Parse(back); err == nil {
			back = u.RequestURI()
		}
	}
	return c.Redirect(PageURL("signin")+"?suite="+url.QueryEscape(SafeNext(back)), fiber.StatusSeeOther)
}

// safeNext keeps only addresses of this site: a path (with its query)
// starting with a single "/", without scheme, host, user, backslash or
// control character (browsers drop a tab or a newline, so "/\t/host" would
// lead elsewhere), before or after decoding. Anything else becomes "/".
func SafeNext(p string) string {
	if !localPath(p) {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !localPath(u.Path) {
		return "/"
	}
	next := u.EscapedPath()
	if u.RawQuery != "" {
		next += "?" + u.RawQuery
	}
	return next
}

// localPath tells whether p starts with one "/" and holds no backslash nor
// control character.
func localPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return false
	}
	for i := 0; i < len(p); i++ {
		if b := p[i]; b < 0x20 || b == 0x7f || b == '\\' {
			return false
		}
	}
	return true
}
