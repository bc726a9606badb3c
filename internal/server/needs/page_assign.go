package needs

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/server/kit"
)

// Officer assignment on the pages: who is in charge of a need (the need
// page's form), "mes dossiers", and the board's officer filter.

// myFilesLimit bounds "mes dossiers" (an officer follows far fewer).
const myFilesLimit = 200

// officerOptions are the active officers as choices, by name; the
// signed-in officer comes first, labelled with meKey and valued meValue.
func (s *Handlers) officerOptions(c *fiber.Ctx, meKey, meValue string) ([]kit.Option, error) {
	officers, err := s.DB.Officers(c.UserContext())
	if err != nil {
		return nil, err
	}
	u, _ := kit.UserOf(c)
	out := make([]kit.Option, 0, len(officers))
	for _, o := range officers {
		if o.ID == u.ID {
			out = append([]kit.Option{{Value: meValue, Label: i18n.T(kit.LangOf(c), meKey, o.Name)}}, out...)
			continue
		}
		out = append(out, kit.Option{Value: o.ID, Label: o.Name})
	}
	return out, nil
}

// officerChoice reads the board's ?officer= (all, "me" or an account id)
// and returns the filter's form and choices, the account id to narrow to
// ("" for all) and the status to answer with (422 for a value that names
// nobody, the board showing every project).
func (s *Handlers) officerChoice(c *fiber.Ctx) (*kit.Form, []kit.Option, string, int, error) {
	f := kit.NewForm("board-", "officer")
	people, err := s.officerOptions(c, "web.assign.filter_me", "me")
	if err != nil {
		return nil, nil, "", 0, err
	}
	fe := domain.FieldErrors{}
	id := officerFilter(c, fe)
	if err := fe.Err(); err != nil {
		f.Set("officer", strings.TrimSpace(c.Query("officer")))
		status, _ := f.Fail(kit.LangOf(c), err)
		return f, people, "", status, nil
	}
	if u, _ := kit.UserOf(c); id != "" && id == u.ID {
		f.Set("officer", "me")
	} else {
		f.Set("officer", id)
	}
	return f, people, id, fiber.StatusOK, nil
}

// assignForm prepares the need page's assignment form: the officers to
// choose from, the signed-in officer first and chosen ("me l'attribuer").
func (s *Handlers) assignForm(c *fiber.Ctx, p *needPage, f *kit.Form) error {
	people, err := s.officerOptions(c, "web.assign.me", "")
	if err != nil {
		return err
	}
	u, _ := kit.UserOf(c)
	for i := range people {
		if people[i].Value == "" {
			people[i].Value = u.ID
		}
		if p.Need.Officer != nil && people[i].Value == p.Need.Officer.ID {
			people[i].Label = i18n.T(kit.LangOf(c), "web.assign.current", people[i].Label)
		}
	}
	p.Officers = people
	if f.Value("officer_id") == "" && u.Caller().Has(domain.RoleOfficer) &&
		(p.Need.Officer == nil || p.Need.Officer.ID != u.ID) {
		f.Set("officer_id", u.ID)
	}
	return nil
}

type myFilesPage struct {
	kit.Layout
	Items []kit.NeedItem
	More  bool // the list stops at myFilesLimit
}

// Limit is how many files the page shows at most.
func (myFilesPage) Limit() int { return myFilesLimit }

// myFiles lists the needs the signed-in officer is in charge of ("mes
// dossiers"): the running ones first, latest activity first.
func (s *Handlers) myFiles(c *fiber.Ctx) error {
	u, _ := kit.UserOf(c)
	rows, err := s.DB.NeedsInCharge(c.UserContext(), u.ID, myFilesLimit+1)
	if err != nil {
		return err
	}
	ref, err := s.RefLabels(c)
	if err != nil {
		return err
	}
	page := myFilesPage{Layout: s.Layout(c, "files", "web.files.title")}
	if len(rows) > myFilesLimit {
		rows, page.More = rows[:myFilesLimit], true
	}
	page.Items = ref.Items(rows)
	return s.Render(c, fiber.StatusOK, "files", page)
}
