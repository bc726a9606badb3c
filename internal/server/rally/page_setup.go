package rally

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// setupFields are the set-up form's fields: the title, categories one per
// line, two dates per phase, a label and a weight per grid line.
func setupFields() []string {
	names := []string{"title", "categories"}
	for _, p := range domain.Phases {
		names = append(names, string(p)+"_start", string(p)+"_end")
	}
	for i := 0; i < criterionRows; i++ {
		names = append(names, fmt.Sprintf("criterion_label_%d", i), fmt.Sprintf("criterion_weight_%d", i))
	}
	return append(names, "phases", "criteria")
}

type setupPage struct {
	kit.Layout
	Form   *kit.Form
	Phases []domain.Phase
	Rows   []int
}

func (s *Handlers) setupPageOf(c *fiber.Ctx, f *kit.Form) setupPage {
	rows := make([]int, criterionRows)
	for i := range rows {
		rows[i] = i
	}
	return setupPage{Layout: s.Layout(c, "rally", "web.rally.new.title"), Form: f, Phases: domain.Phases, Rows: rows}
}

// roundSetupForm shows the set-up form (organisers).
func (s *Handlers) roundSetupForm(c *fiber.Ctx) error {
	f := kit.NewForm("round-", setupFields()...)
	f.Set("criterion_label_0", i18n.T(kit.LangOf(c), "web.rally.new.default_utility"))
	f.Set("criterion_weight_0", "3")
	f.Set("criterion_label_1", i18n.T(kit.LangOf(c), "web.rally.new.default_innovation"))
	f.Set("criterion_weight_1", "2")
	f.Set("criterion_label_2", i18n.T(kit.LangOf(c), "web.rally.new.default_viability"))
	f.Set("criterion_weight_2", "1")
	return s.Render(c, fiber.StatusOK, "rally_new", s.setupPageOf(c, f))
}

// criterionKeyOf makes a grid line's key from its label ("Utilité sociale"
// → "utilite_sociale"), unique among keys.
func criterionKeyOf(label string, i int, taken map[string]bool) string {
	k := strings.Trim(notSlug.ReplaceAllString(domain.NormaliseKey(label), "_"), "_")
	if len(k) > 36 {
		k = strings.TrimRight(k[:36], "_")
	}
	if k == "" || k[0] < 'a' || k[0] > 'z' || len(k) < 2 {
		k = "critere_" + k
	}
	for n := 2; taken[k]; n++ {
		k = strings.TrimRight(k, "_0123456789") + "_" + strconv.Itoa(n)
	}
	taken[k] = true
	return k
}

// roundSetup sets up a round from the form.
func (s *Handlers) roundSetup(c *fiber.Ctx) error {
	f := kit.PostedForm(c, "round-", setupFields()...)
	in := domain.RoundSetup{Title: f.Value("title")}
	for _, line := range strings.Split(f.Value("categories"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			in.Categories = append(in.Categories, line)
		}
	}
	for _, p := range domain.Phases {
		start, end := strings.TrimSpace(f.Value(string(p)+"_start")), strings.TrimSpace(f.Value(string(p)+"_end"))
		if start != "" || end != "" {
			in.Phases = append(in.Phases, domain.PhaseDates{Phase: p, StartsAt: start, EndsAt: end})
		}
	}
	fe := domain.FieldErrors{}
	taken := map[string]bool{}
	for i := 0; i < criterionRows; i++ {
		label := strings.TrimSpace(f.Value(fmt.Sprintf("criterion_label_%d", i)))
		weight := strings.TrimSpace(f.Value(fmt.Sprintf("criterion_weight_%d", i)))
		if label == "" && weight == "" {
			continue
		}
		w, ok := kit.ParseAmount(weight)
		if !ok {
			fe.Add(fmt.Sprintf("criterion_weight_%d", i), "field.criterion_weight", strconv.Itoa(i+1))
		}
		in.Criteria = append(in.Criteria, domain.Criterion{Key: criterionKeyOf(label, i, taken), Label: label, Weight: w})
	}
	u, _ := kit.UserOf(c)
	var err error
	var row storage.RoundRow
	if len(fe) > 0 {
		_, verr := in.Validate()
		err = kit.WithFieldsOf(fe.Err().(*domain.Error), verr)
	} else {
		row, err = s.rally.Create(c.UserContext(), u.Caller(), in, "web:"+f.Key)
	}
	if err == nil {
		s.Flash(c, "web.flash.rally.created")
		return c.Redirect(kit.PageURL("rally.round", row.ID), fiber.StatusSeeOther)
	}
	status, ok := f.Fail(kit.LangOf(c), err)
	if !ok {
		return err
	}
	p := s.setupPageOf(c, f)
	p.Failed = true
	return s.Render(c, status, "rally_new", p)
}
