package committee

import (
	"errors"
	"slices"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

type institutionsPage struct {
	kit.Layout
	Institutions []institutionView
	Add          *kit.Form
}

// institutionView is an institution with the committee's accounts to tick.
type institutionView struct {
	storage.InstitutionRow
	Choices []memberChoice
}

type memberChoice struct {
	ID, Name, Elsewhere string // Elsewhere names the institution it speaks for now
	Member              bool
}

// institutionsPage lists the committee's institutions with the accounts
// holding the committee role, ticked for those who speak for each (admin).
func (s *Handlers) institutionsPage(c *fiber.Ctx) error {
	return s.renderInstitutions(c, fiber.StatusOK, kit.NewForm("institution-", "slug", "name"))
}

func (s *Handlers) renderInstitutions(c *fiber.Ctx, status int, add *kit.Form) error {
	list, err := s.DB.Institutions(c.UserContext())
	if err != nil {
		return err
	}
	users, err := s.DB.Users(c.UserContext())
	if err != nil {
		return err
	}
	of := map[string]string{}
	for _, i := range list {
		for _, m := range i.Members {
			of[m.ID] = i.Name
		}
	}
	page := institutionsPage{Layout: s.Layout(c, "institutions", "web.institutions.title"), Add: add}
	page.Failed = add.Invalid()
	for _, i := range list {
		v := institutionView{InstitutionRow: i}
		for _, u := range users {
			if !u.Active || !slices.Contains(u.Roles, domain.RoleCommittee) {
				continue
			}
			member := slices.ContainsFunc(i.Members, func(m storage.InstitutionMember) bool { return m.ID == u.ID })
			ch := memberChoice{ID: u.ID, Name: u.Name, Member: member}
			if !member {
				ch.Elsewhere = of[u.ID]
			}
			v.Choices = append(v.Choices, ch)
		}
		page.Institutions = append(page.Institutions, v)
	}
	return s.Render(c, status, "institutions", page)
}

// addInstitutionPage adds an institution from the page's form.
func (s *Handlers) addInstitutionPage(c *fiber.Ctx) error {
	f := kit.PostedForm(c, "institution-", "slug", "name")
	in := domain.Institution{Slug: f.Value("slug"), Name: f.Value("name")}
	err := in.Validate()
	if err == nil {
		_, err = s.DB.CreateInstitution(c.UserContext(), in)
	}
	if err != nil {
		status, ok := f.Fail(kit.LangOf(c), err)
		if !ok {
			return err
		}
		return s.renderInstitutions(c, status, f)
	}
	s.Flash(c, "web.flash.institution_added")
	return c.Redirect(kit.PageURL("institutions"), fiber.StatusSeeOther)
}

// institutionMembersPage saves the accounts ticked for an institution.
func (s *Handlers) institutionMembersPage(c *fiber.Ctx) error {
	ids := kit.PostedForm(c, "", "user_ids").Values["user_ids"]
	if ids == nil {
		ids = []string{} // none ticked: the institution has no member left
	}
	unknown, err := s.DB.SetInstitutionMembers(c.UserContext(), c.Params("slug"), ids)
	if errors.Is(err, storage.ErrNotFound) {
		return domain.E(domain.CodeNotFound, "error.institution_unknown")
	}
	if err != nil {
		return err
	}
	if len(unknown) > 0 {
		fe := domain.FieldErrors{}
		fe.Add("user_ids", "field.member_unknown", unknown[0])
		return fe.Err()
	}
	s.Flash(c, "web.flash.institution_saved")
	return c.Redirect(kit.PageURL("institutions"), fiber.StatusSeeOther)
}
