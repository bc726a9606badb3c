package kit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"mime"
	"path"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Paris must resolve on a bare container too

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/web"
)

// renderer holds the parsed pages, one set per language so that the
// templates' t function needs no language argument.
type renderer struct {
	sets   map[i18n.Lang]map[string]*template.Template
	static fs.FS
	// assets maps a static file to its content hash, for cache busting.
	assets map[string]string
	Loc    *time.Location
}

func NewRenderer() (*renderer, error) {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return nil, err
	}
	r := &renderer{sets: map[i18n.Lang]map[string]*template.Template{}, static: web.Static(),
		assets: map[string]string{}, Loc: loc}
	err = fs.WalkDir(r.static, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(r.static, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		r.assets[p] = hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return nil, err
	}
	tfs := web.Templates()
	pages, err := fs.Glob(tfs, "pages/*.html")
	if err != nil {
		return nil, err
	}
	for _, lang := range []i18n.Lang{i18n.FR, i18n.EN} {
		base, err := template.New("").Funcs(r.funcs(lang)).ParseFS(tfs, "layouts/*.html", "partials/*.html")
		if err != nil {
			return nil, err
		}
		set := map[string]*template.Template{}
		for _, p := range pages {
			t, err := template.Must(base.Clone()).ParseFS(tfs, p)
			if err != nil {
				return nil, err
			}
			set[strings.TrimSuffix(path.Base(p), ".html")] = t
		}
		r.sets[lang] = set
	}
	return r, nil
}

// render answers with a whole page (the "base" layout around the page's blocks).
func (s *Kit) Render(c *fiber.Ctx, status int, page string, data any) error {
	return s.RenderBlock(c, status, page, "base", data)
}

// renderBlock answers with one named template of a page: htmx asks for fragments.
func (s *Kit) RenderBlock(c *fiber.Ctx, status int, page, block string, data any) error {
	t, ok := s.Pages.sets[LangOf(c)][page]
	if !ok {
		return fmt.Errorf("no page template %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, data); err != nil {
		return fmt.Errorf("render %s/%s: %w", page, block, err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderVary, "HX-Request, Cookie")
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).Send(buf.Bytes())
}

// staticFile serves the embedded files. A request naming the current hash
// (?v=, which the asset function adds) may be cached for good; any other is
// kept a few minutes, then revalidated by its ETag (a 304 when unchanged).
func (s *Kit) StaticFile(c *fiber.Ctx) error {
	name := path.Clean(c.Params("*"))
	hash, ok := s.Pages.assets[name]
	if !ok {
		return fiber.ErrNotFound
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		c.Set(fiber.HeaderContentType, ct)
	}
	c.Set("X-Content-Type-Options", "nosniff")
	if c.Query("v") == hash {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	}
	etag := `W/"` + hash + `"` // weak: one tag for the file in every coding
	c.Set(fiber.HeaderETag, etag)
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), etag) {
		c.Status(fiber.StatusNotModified)
		return nil
	}
	b, err := fs.ReadFile(s.Pages.static, name)
	if err != nil {
		return err
	}
	return c.Send(b)
}

// etagMatches tells whether an If-None-Match header names etag, by the weak
// comparison it calls for (RFC 9110 §13.1.2).
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || t != "" && strings.TrimPrefix(t, "W/") == strings.TrimPrefix(etag, "W/") {
			return true
		}
	}
	return false
}

// funcs are the template functions, bound to one language.
func (r *renderer) funcs(lang i18n.Lang) template.FuncMap {
	t := func(key string, args ...any) string {
		s := make([]string, len(args))
		for i, a := range args {
			s[i] = fmt.Sprint(a)
		}
		return i18n.T(lang, key, s...)
	}
	return template.FuncMap{
		"t":      t,
		"path":   func(name string, params ...string) string { return PageURL(name, params...) },
		"lang":   func() string { return string(lang) },
		"asset":  func(name string) string { return "/static/" + name + "?v=" + r.assets[name] },
		"date":   func(v any) string { return r.Date(lang, v, false) },
		"when":   func(v any) string { return r.Date(lang, v, true) },
		"iso":    func(v any) string { return isoTime(v, r.Loc) },
		"eur":    func(v float64) string { return i18n.T(lang, "web.fmt.eur", FormatNumber(lang, v, 2)) },
		"number": func(v int) string { return FormatNumber(lang, float64(v), 0) },
		// jobs are full-time equivalents: "3,5"; leverage is euros brought per euro of the Region.
		"jobs": func(v float64) string {
			return strings.TrimSuffix(strings.TrimRight(FormatNumber(lang, v, 2), "0"), i18n.T(lang, "web.fmt.decimal"))
		},
		"leverage": func(v *float64) string { return i18n.T(lang, "web.study.leverage_value", FormatNumber(lang, *v, 2)) },
		"plural": func(n int, key string) string {
			k := PluralKey(lang, n, key)
			if strings.HasSuffix(k, ".zero") {
				return t(k)
			}
			return t(k, FormatNumber(lang, float64(n), 0))
		},
		"pk":    func(n int, key string) string { return PluralKey(lang, n, key) },
		"stage": func(st any) string { return i18n.T(lang, "stage."+fmt.Sprint(st)) },
		"role":  func(ro any) string { return i18n.T(lang, "role."+fmt.Sprint(ro)) },
		"daysSince": func(at time.Time) int {
			return int(time.Since(at).Hours() / 24)
		},
		"add":   func(a, b int) int { return a + b },
		"phase": func(p any) string { return i18n.T(lang, "rally.phase."+fmt.Sprint(p)) },
		// describe is a page's <meta name="description">: "meta." + its title
		// key when the catalogue has one, the site's otherwise.
		"describe": func(titleKey string) string {
			if titleKey != "" && i18n.Has("meta."+titleKey) {
				return t("meta." + titleKey)
			}
			return t("meta.default")
		},
	}
}

// date formats a time (or a domain.Date) as people read it in lang,
// in the region's time zone; withTime adds the hour.
func (r *renderer) Date(lang i18n.Lang, v any, withTime bool) string {
	var at time.Time
	switch x := v.(type) {
	case time.Time:
		at = x
	case *time.Time:
		if x == nil {
			return ""
		}
		at = *x
	case string:
		return r.Date(lang, domain.Date(x), false)
	case domain.Date:
		if x == "" {
			return ""
		}
		at, withTime = x.Time(), false // midnight UTC is the same day in Paris
	default:
		return ""
	}
	if at.IsZero() {
		return ""
	}
	at = at.In(r.Loc)
	if at.Equal(domain.DayOf(at).Start()) {
		withTime = false // a calendar day read back as its first instant: no "à 0 h 00"
	}
	d := i18n.T(lang, "web.fmt.date", dayOfMonth(lang, at.Day()), i18n.T(lang, "web.month."+strconv.Itoa(int(at.Month()))), strconv.Itoa(at.Year()))
	if !withTime {
		return d
	}
	return i18n.T(lang, "web.fmt.datetime", d, i18n.T(lang, "web.fmt.time", strconv.Itoa(at.Hour()), fmt.Sprintf("%02d", at.Minute())))
}

// dayOfMonth writes "1er" for the first of the month in French.
func dayOfMonth(lang i18n.Lang, d int) string {
	if d == 1 {
		return i18n.T(lang, "web.fmt.first_day")
	}
	return strconv.Itoa(d)
}

func isoTime(v any, loc *time.Location) string {
	switch x := v.(type) {
	case time.Time:
		return x.In(loc).Format(time.RFC3339)
	case *time.Time:
		if x != nil {
			return x.In(loc).Format(time.RFC3339)
		}
	case domain.Date:
		return string(x)
	}
	return ""
}

// formatNumber groups thousands and sets the decimal mark as lang writes them.
func FormatNumber(lang i18n.Lang, v float64, decimals int) string {
	neg := v < 0
	v = math.Abs(v)
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	whole, frac, _ := strings.Cut(s, ".")
	group := i18n.T(lang, "web.fmt.group")
	var b strings.Builder
	for i, ch := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(ch)
	}
	out := b.String()
	if frac != "" {
		out += i18n.T(lang, "web.fmt.decimal") + frac
	}
	if neg {
		out = "−" + out
	}
	return out
}

// pluralKey picks key.zero when the catalogue has one, else key.one or
// key.other: French counts 0 and 1 as singular.
func PluralKey(lang i18n.Lang, n int, key string) string {
	if n == 0 && i18n.Has(key+".zero") {
		return key + ".zero"
	}
	if n == 1 || (lang == i18n.FR && n == 0) {
		return key + ".one"
	}
	return key + ".other"
}

// plainNumber writes a measured value with the decimals it has (at most 6).
func PlainNumber(lang i18n.Lang, x float64) string {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	decimals := 0
	if _, frac, ok := strings.Cut(s, "."); ok {
		decimals = min(len(frac), 6)
	}
	return FormatNumber(lang, x, decimals)
}
