package directory

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// seesContact tells who reads an organisation's contact.
func seesContact(c *fiber.Ctx) bool {
	u, ok := kit.UserOf(c)
	return ok && u.Caller().Has(domain.RoleOfficer, domain.RoleAdmin)
}

// organisationFilter reads the list's filters; a mistake names its field.
func organisationFilter(c *fiber.Ctx) (storage.OrganisationFilter, error) {
	fe := domain.FieldErrors{}
	f := storage.OrganisationFilter{Q: strings.TrimSpace(c.Query("q")), Theme: c.Query("theme"), Territory: c.Query("territory"),
		LegalForm: c.Query("legal_form"), Family: c.Query("family")}
	if len([]rune(f.Q)) > 200 {
		fe.Add("q", "field.max_len", "200")
	}
	if f.Family != "" && !isFamily(f.Family) {
		fe.Add("family", "field.oneof", familyList())
	}
	if f.LegalForm != "" && !isLegalForm(f.LegalForm) {
		fe.Add("legal_form", "field.oneof", legalFormList())
	}
	f.Limit, f.Cursor = kit.PageParams(c, fe)
	return f, fe.Err()
}

// listOrganisations lists the directory by name, a page at a time.
func (s *Handlers) listOrganisations(c *fiber.Ctx) error {
	f, err := organisationFilter(c)
	if err != nil {
		return err
	}
	rows, next, err := s.DB.Organisations(c.UserContext(), f)
	if err != nil {
		return err
	}
	contact := seesContact(c)
	out := kit.Page[kit.OrganisationJSON]{Items: make([]kit.OrganisationJSON, 0, len(rows))}
	for _, r := range rows {
		out.Items = append(out.Items, kit.ToOrganisationJSON(r, contact))
	}
	if next != "" {
		out.NextCursor = &next
	}
	return c.JSON(out)
}

func (s *Handlers) getOrganisation(c *fiber.Ctx) error {
	r, err := s.DB.Organisation(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(kit.ToOrganisationJSON(r, seesContact(c)))
}

// createOrganisation records an organisation (officers, admins): one per
// SIRET, a second is a 409 naming the first.
func (s *Handlers) createOrganisation(c *fiber.Ctx) error {
	var d domain.OrganisationDraft
	if err := kit.DecodeJSON(c, &d); err != nil {
		return err
	}
	var o domain.Organisation
	if err := d.Apply(&o, true, s.RefSet(c)); err != nil {
		return err
	}
	row, err := s.DB.CreateOrganisation(c.UserContext(), o)
	if err != nil {
		return siretConflict(err)
	}
	return c.Status(fiber.StatusCreated).JSON(kit.ToOrganisationJSON(row, true))
}

// updateOrganisation changes the fields a PATCH sends.
func (s *Handlers) updateOrganisation(c *fiber.Ctx) error {
	var d domain.OrganisationDraft
	if err := kit.DecodeJSON(c, &d); err != nil {
		return err
	}
	row, err := s.DB.Organisation(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	o := row.Domain()
	if err := d.Apply(&o, false, s.RefSet(c)); err != nil {
		return err
	}
	row, err = s.DB.UpdateOrganisation(c.UserContext(), o)
	if err != nil {
		return siretConflict(err)
	}
	return c.JSON(kit.ToOrganisationJSON(row, true))
}

func siretConflict(err error) error {
	var taken storage.ErrSIRETTaken
	if errors.As(err, &taken) {
		return domain.E(domain.CodeConflict, "error.siret_taken", taken.ExistingID)
	}
	return err
}
