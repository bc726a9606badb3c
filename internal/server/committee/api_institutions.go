package committee

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// listInstitutions lists the committee's institutions with their members.
func (s *Handlers) listInstitutions(c *fiber.Ctx) error {
	list, err := s.DB.Institutions(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(list)
}

// createInstitution adds an institution (admin).
func (s *Handlers) createInstitution(c *fiber.Ctx) error {
	var in domain.Institution
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	if err := in.Validate(); err != nil {
		return err
	}
	row, err := s.DB.CreateInstitution(c.UserContext(), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(row)
}

// setInstitutionMembers replaces an institution's members (admin): an
// account speaks for one institution at most, and moves when named here.
func (s *Handlers) setInstitutionMembers(c *fiber.Ctx) error {
	var in struct {
		UserIDs []string `json:"user_ids"`
	}
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	fe := domain.FieldErrors{}
	switch {
	case in.UserIDs == nil:
		fe.Add("user_ids", "field.required")
	case len(in.UserIDs) > domain.MaxInstitutionMembers:
		fe.Add("user_ids", "field.max_items", "50")
	}
	for _, id := range in.UserIDs {
		if !domain.IsUUID(strings.TrimSpace(id)) {
			fe.Add("user_ids", "field.uuid")
		}
	}
	if err := fe.Err(); err != nil {
		return err
	}
	unknown, err := s.DB.SetInstitutionMembers(c.UserContext(), c.Params("slug"), in.UserIDs)
	if errors.Is(err, storage.ErrNotFound) {
		return domain.E(domain.CodeNotFound, "error.institution_unknown")
	}
	if err != nil {
		return err
	}
	if len(unknown) > 0 {
		fe.Add("user_ids", "field.member_unknown", strings.Join(unknown, ", "))
		return fe.Err()
	}
	row, err := s.DB.Institution(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	return c.JSON(row)
}
