package server

import (
	"essor/internal/domain"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// commentPage posts a comment from the need's page.
func (s *Server) commentPage(c *fiber.Ctx) error {
	f := PostedForm(c, "comment-", "body", "internal")
	u, _ := UserOf(c)
	in := domain.CommentInput{Body: f.Value("body"), Internal: f.Value("internal") != ""}
	_, err := s.PostComment(c.UserContext(), u.Caller(), c.Params("id"), in)
	if err == nil {
		s.Flash(c, "web.flash.comment_posted")
		return c.Redirect(PageURL("need", c.Params("id"))+"#discussion", fiber.StatusSeeOther)
	}
	return s.refusedComment(c, err, func(d *DiscussionView) bool {
		if d.Form == nil {
			return false
		}
		f.Prefix = d.Form.Prefix
		d.Form = f
		return true
	}, f)
}

// commentChangePage edits, deletes or hides a comment from the need's page.
func (s *Server) commentChangePage(c *fiber.Ctx) error {
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
	f := PostedForm(c, action+"-"+cid+"-", name)
	u, _ := UserOf(c)
	by := u.Caller()
	var err error
	switch action {
	case "edit":
		in := domain.CommentInput{Body: f.Value("body")}
		if err = in.ValidateEdit(); err == nil {
			_, err = s.ChangeComment(c.UserContext(), by, c.Params("id"), cid, action, in.Body)
		}
	case "delete":
		_, err = s.ChangeComment(c.UserContext(), by, c.Params("id"), cid, action, "")
	case "hide":
		if !by.Has(domain.RoleOfficer) {
			return domain.Forbidden()
		}
		_, err = s.ChangeComment(c.UserContext(), by, c.Params("id"), cid, action, strings.TrimSpace(f.Value("reason")))
	}
	if err == nil {
		s.Flash(c, "web.flash.comment_changed")
		return c.Redirect(PageURL("need", c.Params("id"))+"#discussion", fiber.StatusSeeOther)
	}
	return s.refusedComment(c, err, func(d *DiscussionView) bool {
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
func (s *Server) refusedComment(c *fiber.Ctx, err error, place func(*DiscussionView) bool, f *Form) error {
	if domain.IsCode(err, domain.CodeNotFound) {
		return err
	}
	page, perr := s.needPage(c, c.Params("id"))
	if perr != nil {
		return perr
	}
	status, ok := f.Fail(LangOf(c), err)
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
