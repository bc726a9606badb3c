package domain

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Reference data managed by admins (api.md "Reference data"): themes and
// territories. A territory has a kind and, for an employment zone, the
// département it belongs to. Retired ones stay on old records and are
// refused for new ones (the cache in storage answers Reference).

// Territory kinds.
const (
	KindRegion         = "region"
	KindDepartement    = "departement"
	KindEmploymentZone = "employment_zone"
)

// TerritoryKinds are the kinds an admin may create, in display order.
var TerritoryKinds = []string{KindRegion, KindDepartement, KindEmploymentZone}

// ParentKind is the kind a territory's parent must have ("" for none allowed).
var ParentKind = map[string]string{KindEmploymentZone: KindDepartement, KindDepartement: KindRegion, KindRegion: ""}

var (
	slugPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)
	codePattern = regexp.MustCompile(`^[0-9a-z][0-9a-z-]{0,39}$`)
)

// Bounds of a label or a name, in characters.
const (
	refLabelMin = 2
	refLabelMax = 100
)

// NewTheme is the body of POST /themes.
type NewTheme struct {
	Slug    string `json:"slug"`
	LabelFR string `json:"label_fr"`
	LabelEN string `json:"label_en"`
}

// ThemeChange is the body of PATCH /themes/{slug}: absent fields stay.
type ThemeChange struct {
	LabelFR *string `json:"label_fr"`
	LabelEN *string `json:"label_en"`
	Retired *bool   `json:"retired"`
}

// NewTerritory is the body of POST /territories.
type NewTerritory struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	ParentCode string `json:"parent_code"`
}

// TerritoryChange is the body of PATCH /territories/{code}: absent fields
// stay; "parent_code": "" removes the parent.
type TerritoryChange struct {
	Name       *string `json:"name"`
	ParentCode *string `json:"parent_code"`
	Retired    *bool   `json:"retired"`
}

// TerritoryNode is what the checks need to know of an existing territory.
type TerritoryNode struct {
	Kind    string
	Parent  string
	Retired bool
}

func checkLabel(fe FieldErrors, field string, v *string) {
	*v = strings.TrimSpace(*v)
	n := utf8.RuneCountInString(*v)
	switch {
	case n == 0:
		fe.Add(field, "field.required")
	case n < refLabelMin:
		fe.Add(field, "field.min_len", strconv.Itoa(refLabelMin))
	case n > refLabelMax:
		fe.Add(field, "field.max_len", strconv.Itoa(refLabelMax))
	}
}

// Validate trims the theme and returns a 422 naming every failing field.
func (t *NewTheme) Validate() error {
	fe := FieldErrors{}
	t.Slug = strings.TrimSpace(t.Slug)
	if t.Slug == "" {
		fe.Add("slug", "field.required")
	} else if !slugPattern.MatchString(t.Slug) {
		fe.Add("slug", "field.slug_format")
	}
	checkLabel(fe, "label_fr", &t.LabelFR)
	checkLabel(fe, "label_en", &t.LabelEN)
	return fe.Err()
}

// Validate trims the change and returns a 422 naming every failing field.
func (c *ThemeChange) Validate() error {
	fe := FieldErrors{}
	if c.LabelFR != nil {
		checkLabel(fe, "label_fr", c.LabelFR)
	}
	if c.LabelEN != nil {
		checkLabel(fe, "label_en", c.LabelEN)
	}
	return fe.Err()
}

// Validate trims the territory and checks it against the existing ones.
func (t *NewTerritory) Validate(existing map[string]TerritoryNode) error {
	fe := FieldErrors{}
	t.Code, t.Kind, t.ParentCode = strings.TrimSpace(t.Code), strings.TrimSpace(t.Kind), strings.TrimSpace(t.ParentCode)
	if t.Code == "" {
		fe.Add("code", "field.required")
	} else if !codePattern.MatchString(t.Code) {
		fe.Add("code", "field.code_format")
	}
	checkLabel(fe, "name", &t.Name)
	if t.Kind == "" {
		fe.Add("kind", "field.required")
	} else if !slices.Contains(TerritoryKinds, t.Kind) {
		fe.Add("kind", "field.oneof", strings.Join(TerritoryKinds, ", "))
	} else {
		checkParent(fe, t.Code, t.Kind, t.ParentCode, existing)
	}
	return fe.Err()
}

// Validate trims the change to the territory code (of kind) and checks its
// new parent against the existing territories.
func (c *TerritoryChange) Validate(code string, existing map[string]TerritoryNode) error {
	fe := FieldErrors{}
	if c.Name != nil {
		checkLabel(fe, "name", c.Name)
	}
	if c.ParentCode != nil {
		*c.ParentCode = strings.TrimSpace(*c.ParentCode)
		if self, ok := existing[code]; ok && *c.ParentCode != self.Parent {
			checkParent(fe, code, self.Kind, *c.ParentCode, existing)
		}
	}
	return fe.Err()
}

// checkParent: an employment zone belongs to a département, a département
// may belong to a region, a region has no parent; the parent exists, is
// not retired, and is neither the territory nor one of its descendants.
func checkParent(fe FieldErrors, code, kind, parent string, existing map[string]TerritoryNode) {
	want := ParentKind[kind]
	if parent == "" {
		if kind == KindEmploymentZone {
			fe.Add("parent_code", "field.parent_required")
		}
		return
	}
	p, ok := existing[parent]
	switch {
	case !ok:
		fe.Add("parent_code", "field.unknown_territory")
	case p.Retired:
		fe.Add("parent_code", "field.retired_territory")
	case want == "":
		fe.Add("parent_code", "field.parent_none", "@kind."+kind)
	case p.Kind != want:
		fe.Add("parent_code", "field.parent_kind", "@kind."+kind, "@kind."+want)
	default:
		for at, seen := parent, 0; at != "" && seen <= len(existing); at, seen = existing[at].Parent, seen+1 {
			if at == code {
				fe.Add("parent_code", "field.parent_cycle")
				return
			}
		}
	}
}
