package kit

import (
	"math"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"essor/internal/domain"
	"essor/internal/i18n"
)

// form is what a page's form shows: the values entered and, after a
// refusal, each field's message (fields carry the API's JSON names).
type Form struct {
	Prefix string // keeps ids unique when a page has several forms
	Names  []string
	Values map[string][]string
	Errors map[string]string
	Alert  string // a message about the whole form
	// Key makes a double submission of the same form count once.
	Key string
}

func NewForm(prefix string, names ...string) *Form {
	return &Form{Prefix: prefix, Names: names, Values: map[string][]string{}, Errors: map[string]string{}, Key: uuid.NewString()}
}

// postedForm reads the named fields of the request body.
func PostedForm(c *fiber.Ctx, prefix string, names ...string) *Form {
	f := NewForm(prefix, names...)
	args := c.Request().PostArgs()
	mf, _ := c.MultipartForm()
	for _, n := range names {
		var vals []string
		for _, v := range args.PeekMulti(n) {
			vals = append(vals, string(v))
		}
		if mf != nil {
			vals = append(vals, mf.Value[n]...)
		}
		f.Values[n] = vals
	}
	if k := strings.TrimSpace(c.FormValue("_key")); k != "" && len(k) <= 64 {
		f.Key = k
	}
	return f
}

// Value is a field's (first) value.
func (f *Form) Value(name string) string {
	if v := f.Values[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Set sets a field's value.
func (f *Form) Set(name string, vals ...string) { f.Values[name] = vals }

// Invalid tells whether the form was refused.
func (f *Form) Invalid() bool { return len(f.Errors) > 0 || f.Alert != "" }

type fieldMessage struct{ ID, Message string }

// Summary lists the refused fields' messages in the form's order, with the
// id each one links to.
func (f *Form) Summary() []fieldMessage {
	var out []fieldMessage
	seen := map[string]bool{}
	for _, n := range f.Names {
		if m, ok := f.Errors[n]; ok {
			out = append(out, fieldMessage{ID: f.Prefix + n, Message: m})
			seen[n] = true
		}
	}
	for n, m := range f.Errors { // a field the form does not show (rare: a tampered request)
		if !seen[n] {
			out = append(out, fieldMessage{ID: "", Message: m})
		}
	}
	return out
}

// fail shows a user's mistake on the form and returns the status to answer
// with; ok is false for errors that are not the user's (they go to the
// error page).
func (f *Form) Fail(lang i18n.Lang, err error) (status int, ok bool) {
	de, isDomain := domain.As(err)
	if !isDomain || de.Code == domain.CodeInternal || de.Code == domain.CodeUnavailable {
		return 0, false
	}
	if len(de.Fields) > 0 {
		for k, m := range de.Fields {
			f.Errors[k] = i18n.M(lang, m)
		}
	} else {
		f.Alert = i18n.M(lang, de.Message)
	}
	if st, known := StatusOf[de.Code]; known {
		return st, true
	}
	return fiber.StatusUnprocessableEntity, true
}

// option is one choice of a select, a radio group or a checkbox group.
type Option struct {
	Value string
	Label string
	Hint  string
	Group string // a select's optgroup: options of one group follow each other
}

// fieldView is what the field partials need to draw one labelled field with
// its hint and its error, tied together for assistive technologies.
type FieldView struct {
	ID, Name, Type, Label, Hint, Error, Autocomplete string
	Values                                           []string
	Required                                         bool
	Any                                              string // a filter's "all" option: no "optional" marker
	Rows                                             int
	Max                                              int
	Options                                          []Option
}

// Value is the field's first value.
func (v FieldView) Value() string {
	if len(v.Values) > 0 {
		return v.Values[0]
	}
	return ""
}

// Checked tells whether an option is chosen.
func (v FieldView) Checked(val string) bool {
	for _, x := range v.Values {
		if x == val {
			return true
		}
	}
	return false
}

// Described is the aria-describedby list.
func (v FieldView) Described() string {
	var ids []string
	if v.Hint != "" {
		ids = append(ids, v.ID+"-hint")
	}
	if v.Error != "" {
		ids = append(ids, v.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// Field describes one field; flags are "required", "hint" (the hint is
// web.hint.<name>, or hint=<key>), "label=<key>", "any=<key>" (a filter's
// empty choice), "auto=<autocomplete>", "rows=<n>", "max=<n>".
func (f *Form) Field(name, typ string, flags ...string) FieldView {
	v := FieldView{ID: f.Prefix + name, Name: name, Type: typ, Label: "web.label." + name,
		Error: f.Errors[name], Values: f.Values[name]}
	for _, fl := range flags {
		k, val, _ := strings.Cut(fl, "=")
		switch k {
		case "required":
			v.Required = true
		case "hint":
			v.Hint = "web.hint." + name
			if val != "" {
				v.Hint = val
			}
		case "label":
			v.Label = val
		case "any":
			v.Any = val
		case "auto":
			v.Autocomplete = val
		case "rows":
			v.Rows, _ = strconv.Atoi(val)
		case "max":
			v.Max, _ = strconv.Atoi(val)
		}
	}
	return v
}

// Choice is a field with options (select, radios, checkboxes).
func (f *Form) Choice(name, typ string, opts []Option, flags ...string) FieldView {
	v := f.Field(name, typ, flags...)
	v.Options = opts
	return v
}

// parseAmount reads a number as people type it ("12 500,50", "12500.5").
func ParseAmount(s string) (float64, bool) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "€", "").Replace(strings.TrimSpace(s))
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) // "NaN" and "Inf" parse, but are no amount
}

// nonFinite tells whether s spells a number that is no amount ("NaN", "Inf").
func NonFinite(s string) bool {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return err == nil && (math.IsNaN(v) || math.IsInf(v, 0))
}

type ActionView struct {
	Action domain.Action
	Form   *Form
	Open   bool
	Danger bool
}

// At is the i-th value of a field that repeats (a list's rows).
func (f *Form) At(name string, i int) string {
	if v := f.Values[name]; i < len(v) {
		return v[i]
	}
	return ""
}
