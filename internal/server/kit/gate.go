package kit

import (
	"reflect"
	"strings"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
)

// gate is the one input gate for what arrives outside a JSON body: the
// path, the query string, form fields and the headers Essor reads. A text
// that is not valid UTF-8, holds a control character or is too large is
// refused before any handler, storage or workflow sees it; the others are
// normalised (NFC, LF line ends) in place, so every handler reads the clean
// value. JSON bodies pass through cleanStrings in decodeJSON.
func (s *Kit) Gate(c *fiber.Ctx) error {
	if _, p := domain.CleanText(string(c.Request().URI().Path())); p != domain.TextOK { // decoded: %00 is a NUL
		return domain.E(domain.CodeMalformed, "error.bad_path")
	}
	if err := checkHeaders(c); err != nil {
		return err
	}
	fe := domain.FieldErrors{}
	CleanArgs(c.Request().URI().QueryArgs(), fe)
	if c.Method() == fiber.MethodPost || c.Method() == fiber.MethodPut || c.Method() == fiber.MethodPatch {
		ct := strings.ToLower(string(c.Request().Header.ContentType()))
		switch {
		case strings.HasPrefix(ct, fiber.MIMEApplicationForm):
			CleanArgs(c.Request().PostArgs(), fe)
		case strings.HasPrefix(ct, fiber.MIMEMultipartForm):
			if mf, err := c.MultipartForm(); err == nil {
				for name, vals := range mf.Value {
					for i, v := range vals {
						clean, p := domain.CleanText(v)
						if p != domain.TextOK {
							fe.AddTextProblem(fieldName(name), p)
							continue
						}
						vals[i] = clean
					}
				}
			}
		}
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return c.Next()
}

// argsLike is what query strings and url-encoded forms share in fasthttp.
type argsLike interface {
	VisitAll(func(key, value []byte))
	Del(key string)
	Add(key, value string)
}

// cleanArgs checks every name and value; when one needs normalising, the
// whole set is rewritten in its original order (repeated names included).
func CleanArgs(args argsLike, fe domain.FieldErrors) {
	type kv struct{ k, v string }
	var all []kv
	changed := false
	args.VisitAll(func(key, value []byte) {
		k, pk := domain.CleanText(string(key))
		if pk != domain.TextOK {
			fe.AddTextProblem(fieldName(string(key)), pk)
			return
		}
		v, pv := domain.CleanText(string(value))
		if pv != domain.TextOK {
			fe.AddTextProblem(fieldName(k), pv)
			return
		}
		changed = changed || k != string(key) || v != string(value)
		all = append(all, kv{k, v})
	})
	if !changed || len(fe) > 0 {
		return
	}
	seen := map[string]bool{}
	for _, p := range all {
		if !seen[p.k] {
			args.Del(p.k)
			seen[p.k] = true
		}
	}
	for _, p := range all {
		args.Add(p.k, p.v)
	}
}

// fieldName keeps a refused field's name printable in the message that
// names it (the name itself may be the faulty text).
func fieldName(name string) string {
	if _, p := domain.CleanText(name); p != domain.TextOK || len(name) > 64 {
		return "?"
	}
	return name
}

// checkHeaders refuses the headers Essor reads when they carry what no
// client sends by mistake; the others are never read, so never stored.
func checkHeaders(c *fiber.Ctx) error {
	if k := c.Get("Idempotency-Key"); k != "" && !VisibleASCII(k) {
		fe := domain.FieldErrors{}
		fe.Add("Idempotency-Key", "field.header_ascii")
		return fe.Err()
	}
	return nil
}

// visibleASCII tells whether s holds only printable ASCII characters.
func VisibleASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// cleanStrings walks a decoded JSON value and cleans every string in it
// (map keys included), naming a refused one by its top-level JSON field.
func CleanStrings(v any, fe domain.FieldErrors) {
	walkStrings(reflect.ValueOf(v), "", fe)
}

func walkStrings(v reflect.Value, field string, fe domain.FieldErrors) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), field, fe)
		}
	case reflect.String:
		clean, p := domain.CleanText(v.String())
		if p != domain.TextOK {
			fe.AddTextProblem(orBody(field), p)
		} else if v.CanSet() && clean != v.String() {
			v.SetString(clean)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			name := field
			if name == "" && !sf.Anonymous {
				name, _, _ = strings.Cut(sf.Tag.Get("json"), ",")
				if name == "" {
					name = sf.Name
				}
			}
			walkStrings(v.Field(i), name, fe)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkStrings(v.Index(i), field, fe)
		}
	case reflect.Map:
		iter := v.MapRange()
		var fixes [][2]reflect.Value
		for iter.Next() {
			k, val := iter.Key(), iter.Value()
			if k.Kind() == reflect.String {
				clean, p := domain.CleanText(k.String())
				if p != domain.TextOK {
					fe.AddTextProblem(orBody(field), p)
					continue
				}
				if clean != k.String() {
					fixes = append(fixes, [2]reflect.Value{k, reflect.ValueOf(clean).Convert(k.Type())})
				}
			}
			// Map values are not addressable: clean a copy and store it back.
			cp := reflect.New(val.Type()).Elem()
			cp.Set(val)
			walkStrings(cp, field, fe)
			v.SetMapIndex(k, cp)
		}
		for _, f := range fixes {
			val := v.MapIndex(f[0])
			v.SetMapIndex(f[0], reflect.Value{})
			v.SetMapIndex(f[1], val)
		}
	}
}

func orBody(field string) string {
	if field == "" {
		return "body"
	}
	return field
}
