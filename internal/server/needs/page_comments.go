package needs

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/server/discussion"
	"essor/internal/server/kit"
)

// commentPage posts a comment from the need's page.
func (s *Handlers) commentPage(c *fiber.Ctx) error {
	f := kit.PostedForm(c, "comment-", "body", "internal")
	u, _ := kit.UserOf(c)
	in := domain.CommentInput{Body: f.Value("body"), Internal: f.Value("internal") != ""}
	_, err := s.discussion.PostComment(c.UserContext(), u.Caller(), c.Params("id"), in)
	if err == nil {
		s.Flash(c, "web.flash.comment_posted")
		return c.Redirect(kit.PageURL("need", c.Params("id"))+"#discussion", fiber.StatusSeeOther)
	}
	return s.refusedComment(c, err, func(d *discussion.View) bool {
		if d.Form == nil {
			return false
		}
		f.Prefix = d.Form.Prefix
		d.Form = f
		return true
	}, f)
}

// commentChangePage edits, deletes or hides a comment from the need's page.
func (s *Handlers) commentChangePage(c *fiber.Ctx) error {
	action := c.FormValue("action")
	name := "body"
	switch action {
	case "edit", "delete":
	case "hide":
		name = "reason"
	default:
		fe := domain.FieldErrors{}
		fe.Add("action", "field.unknown_action")
		return fe.Err()
	}
	cid := c.Params("cid")
	f := kit.PostedForm(c, action+"-"+cid+"-", name)
	u, _ := kit.UserOf(c)
	by := u.Caller()
	var err error
	switch action {
	case "edit":
		in := domain.CommentInput{Body: f.Value("body")}
		if err = in.ValidateEdit(); err == nil {
			_, err = s.discussion.ChangeComment(c.UserContext(), by, c.Params("id"), cid, action, in.Body)
		}
	case "delete":
		_, err = s.discussion.ChangeComment(c.UserContext(), by, c.Params("id"), cid, action, "")
	case "hide":
		if !by.Has(domain.RoleOfficer) {
			return domain.Forbidden()
		}
		_, err = s.discussion.ChangeComment(c.UserContext(), by, c.Params("id"), cid, action, strings.TrimSpace(f.Value("reason")))
	}
	if err == nil {
		s.Flash(c, "web.flash.comment_changed")
		return c.Redirect(kit.PageURL("need", c.Params("id"))+"#discussion", fiber.StatusSeeOther)
	}
	return s.refusedComment(c, err, func(d *discussion.View) bool {
		for i := range d.Comments {
			v := &d.Comments[i]
			if v.ID != cid {
				continue
			}
			if action == "hide" && v.Hide != nil {
				f.Prefix, v.Hide, v.Open = v.Hide.Prefix, f, true
				return true
			}
			if action == "edit" && v.Edit != nil {
				f.Prefix, v.Edit, v.Open = v.Edit.Prefix, f, true
				return true
			}
		}
		return false
	}, f)
}

// refusedComment shows the need's page again with the refused form, or the
// refusal above the discussion when the form is no longer offered.
func (s *Handlers) refusedComment(c *fiber.Ctx, err error, place func(*discussion.View) bool, f *kit.Form) error {
	if domain.IsCode(err, domain.CodeNotFound) {
		return err
	}
	page, perr := s.needPage(c, c.Params("id"))
	if perr != nil {
		return perr
	}
	status, ok := f.Fail(kit.LangOf(c), err)
	if !ok {
		return err
	}
	page.Failed = true
	if page.Discussion == nil || !place(page.Discussion) {
		alert := f.Alert
		for _, m := range f.Errors {
			alert = m
		}
		if page.Discussion != nil {
			page.Discussion.Alert = alert
		} else {
			page.Alert = alert
		}
	}
	return s.Render(c, status, "need", page)
}
