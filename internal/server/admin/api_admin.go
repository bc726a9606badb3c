package admin

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// Personal data (RGPD), for admins: export everything held about a person,
// erase a person. The pages in page_admin.go do the same.

// reasonMax bounds an erasure's reason (kept in the audit trail).
const reasonMax = 1000

type eraseRequest struct {
	Reason string `json:"reason"`
}

// apiExportUser answers with everything Essor holds about a person, as a
// JSON file to keep.
func (s *Handlers) apiExportUser(c *fiber.Ctx) error {
	me, _ := kit.UserOf(c)
	p, err := s.DB.ExportPersonalData(c.UserContext(), c.Params("id"), me.Caller())
	if err != nil {
		return err
	}
	return sendPersonalData(c, p)
}

// apiEraseUser erases a person; the reason is required.
func (s *Handlers) apiEraseUser(c *fiber.Ctx) error {
	var in eraseRequest
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	me, _ := kit.UserOf(c)
	res, err := s.erasePerson(c, me, c.Params("id"), in.Reason)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

// erasePerson checks the request, then erases: a reason is required, and an
// admin does not erase their own account.
func (s *Handlers) erasePerson(c *fiber.Ctx, me storage.User, id, reason string) (storage.Erased, error) {
	reason = strings.TrimSpace(reason)
	fe := domain.FieldErrors{}
	if reason == "" {
		fe.Add("reason", "field.required")
	} else if len([]rune(reason)) > reasonMax {
		fe.Add("reason", "field.max_len", strconv.Itoa(reasonMax))
	}
	if err := fe.Err(); err != nil {
		return storage.Erased{}, err
	}
	if strings.EqualFold(id, me.ID) {
		return storage.Erased{}, domain.E(domain.CodeConflict, "error.erase_self")
	}
	res, err := s.DB.EraseUser(c.UserContext(), id, storage.Erasure{By: me.Caller(), Reason: reason})
	if err != nil {
		return res, err
	}
	s.Log.Info("person erased", "user", res.UserID, "by", me.ID, "request_id", kit.RequestID(c))
	return res, nil
}

// sendPersonalData sends an export as a file to download.
func sendPersonalData(c *fiber.Ctx, p storage.PersonalData) error {
	body, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="essor-donnees-personnelles-`+p.Account.ID+`.json"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Status(fiber.StatusOK).Send(body)
}

// officerTerritories is the body and answer of an officer's territories.
type officerTerritories struct {
	Territories []string `json:"territories"`
}

// apiOfficerTerritories lists the territories an officer covers (admin).
func (s *Handlers) apiOfficerTerritories(c *fiber.Ctx) error {
	list, err := s.DB.OfficerTerritories(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(officerTerritories{Territories: list})
}

// apiSetOfficerTerritories replaces the territories an officer covers
// (admin): the reminders of needs nobody is in charge of go to them.
func (s *Handlers) apiSetOfficerTerritories(c *fiber.Ctx) error {
	var in officerTerritories
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	codes := make([]string, 0, len(in.Territories))
	for _, code := range in.Territories {
		if code = strings.TrimSpace(code); code != "" {
			codes = append(codes, code)
		}
	}
	if len(codes) > MaxOfficerTerritories {
		fe := domain.FieldErrors{}
		fe.Add("territories", "field.max_items", strconv.Itoa(MaxOfficerTerritories))
		return fe.Err()
	}
	list, err := s.DB.SetOfficerTerritories(c.UserContext(), c.Params("id"), codes)
	if err != nil {
		return err
	}
	return c.JSON(officerTerritories{Territories: list})
}

// maxOfficerTerritories bounds the territories one officer covers.
const MaxOfficerTerritories = 200
