package admin

import (
	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/server/kit"
)

type accountOrganisation struct {
	OrganisationID *string `json:"organisation_id"`
}

type accountOrganisationJSON struct {
	Organisation *kit.AccountOrg `json:"organisation"`
}

// setAccountOrganisation links an account to a directory record (admin); the
// record's name becomes its label. null unlinks it (the label stays).
func (s *Handlers) setAccountOrganisation(c *fiber.Ctx) error {
	var in accountOrganisation
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	if in.OrganisationID != nil && !domain.IsUUID(*in.OrganisationID) {
		fe := domain.FieldErrors{}
		fe.Add("organisation_id", "field.uuid")
		return fe.Err()
	}
	if in.OrganisationID != nil {
		if _, err := s.DB.Organisation(c.UserContext(), *in.OrganisationID); err != nil {
			fe := domain.FieldErrors{}
			fe.Add("organisation_id", "field.unknown_organisation")
			return fe.Err()
		}
	}
	u, err := s.DB.SetUserOrganisation(c.UserContext(), c.Params("id"), in.OrganisationID)
	if err != nil {
		return err
	}
	return c.JSON(accountOrganisationJSON{Organisation: kit.AccountOrgOf(u)})
}
