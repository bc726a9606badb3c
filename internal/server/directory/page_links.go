package directory

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// linksPerPage is how many names the page of names to link shows at once.
const linksPerPage = 30

type linksPage struct {
	kit.Layout
	Labels []labelView
	Next   string
	Kinds  []string // the counts' columns, in order
}

// labelView is a name still to link, its counts and the form that links it.
type labelView struct {
	storage.UnlinkedLabel
	Form    *kit.Form
	Choices []kit.Option
}

// linksPage lists the names typed on records that no directory record
// links yet (accounts, needs, host companies, supports, carriers,
// applications, entries), each with the closest organisations to link it to.
func (s *Handlers) linksPage(c *fiber.Ctx) error {
	labels, next, err := s.DB.UnlinkedLabels(c.UserContext(), c.Query("after"), linksPerPage)
	if err != nil {
		return err
	}
	page := linksPage{Layout: s.Layout(c, "directory", "web.links.title"), Kinds: linkKinds}
	for i, l := range labels {
		v := labelView{UnlinkedLabel: l, Form: kit.NewForm("link-"+strconv.Itoa(i)+"-", "label", "organisation_id")}
		v.Form.Set("label", l.Label)
		for _, o := range l.Candidates {
			v.Choices = append(v.Choices, kit.Option{Value: o.ID, Label: o.Name})
		}
		page.Labels = append(page.Labels, v)
	}
	if next != "" {
		page.Next = kit.PageURL("directory.links") + "?" + url.Values{"after": {next}}.Encode()
	}
	return s.Render(c, fiber.StatusOK, "directory_links", page)
}

// linkKinds are the kinds of records the page counts, as its columns.
var linkKinds = []string{"accounts", "needs", "study_actions", "supports", "carriers", "applications", "entries"}

// linkLabel links every unlinked record bearing a name to an organisation;
// accounts follow only when an admin links them.
func (s *Handlers) linkLabel(c *fiber.Ctx) error {
	label, id := c.FormValue("label"), strings.TrimSpace(c.FormValue("organisation_id"))
	fe := domain.FieldErrors{}
	if strings.TrimSpace(label) == "" {
		fe.Add("label", "field.required")
	}
	if _, err := s.DB.Organisation(c.UserContext(), id); errors.Is(err, storage.ErrNotFound) {
		fe.Add("organisation_id", "field.organisation_unknown")
	} else if err != nil {
		return err
	}
	if err := fe.Err(); err != nil {
		return err
	}
	u, _ := kit.UserOf(c)
	if _, err := s.DB.LinkLabel(c.UserContext(), label, id, u.Caller().Has(domain.RoleAdmin)); err != nil {
		return err
	}
	s.Flash(c, "web.flash.label_linked")
	return c.Redirect(kit.PageURL("directory.links"), fiber.StatusSeeOther)
}
