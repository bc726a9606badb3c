package server

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
)

// discussionView is the discussion section of a need's page.
type discussionView struct {
	NeedID      string
	Comments    []commentView
	Form        *form // nil for visitors who may not post
	CanInternal bool
	SignedOut   bool
	Older       string // the cursor of older comments ("" at the end)
	Alert       string
}

// commentView is one comment with the forms its viewer may use on it.
type commentView struct {
	commentJSON
	Edit *form // the author, within 15 minutes
	Hide *form // officers
	Open bool  // a refused form is shown open
}

// discussion builds the need page's discussion for the signed-in person
// (or an anonymous visitor, who sees public comments without names).
func (s *Server) discussion(c *fiber.Ctx, needID string) (*discussionView, error) {
	var viewer *domain.Caller
	if u, ok := userOf(c); ok {
		caller := u.Caller()
		viewer = &caller
	}
	rows, older, err := s.comments(c.UserContext(), needID, viewer, 50, c.Query("avant"))
	if err != nil {
		return nil, err
	}
	d := &discussionView{NeedID: needID, Older: older, SignedOut: viewer == nil}
	now := time.Now()
	for _, r := range rows {
		v := commentView{commentJSON: toCommentJSON(r, viewer)}
		if viewer != nil && !v.Deleted && !v.Hidden {
			if r.AuthorID != nil && *r.AuthorID == viewer.UserID && now.Sub(r.CreatedAt) <= domain.CommentEditWindow {
				v.Edit = newForm("edit-"+r.ID+"-", "body")
				v.Edit.Set("body", r.Body)
			}
			if viewer.Has(domain.RoleOfficer) {
				v.Hide = newForm("hide-"+r.ID+"-", "reason")
			}
		}
		d.Comments = append(d.Comments, v)
	}
	if viewer != nil && viewer.Has(domain.CommentRoles...) {
		d.Form = newForm("comment-", "body", "internal")
		d.CanInternal = viewer.Has(domain.RoleOfficer)
	}
	return d, nil
}

// commentPage posts a comment from the need's page.
func (s *Server) commentPage(c *fiber.Ctx) error {
	f := postedForm(c, "comment-", "body", "internal")
	u, _ := userOf(c)
	in := domain.CommentInput{Body: f.Value("body"), Internal: f.Value("internal") != ""}
	_, err := s.postComment(c.UserContext(), u.Caller(), c.Params("id"), in)
	if err == nil {
		s.flash(c, "web.flash.comment_posted")
		return c.Redirect(pageURL("need", c.Params("id"))+"#discussion", fiber.StatusSeeOther)
	}
	return s.refusedComment(c, err, func(d *discussionView) bool {
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
	f := postedForm(c, action+"-"+cid+"-", name)
	u, _ := userOf(c)
	by := u.Caller()
	var err error
	switch action {
	case "edit":
		in := domain.CommentInput{Body: f.Value("body")}
		if err = in.ValidateEdit(); err == nil {
			_, err = s.changeComment(c.UserContext(), by, c.Params("id"), cid, action, in.Body)
		}
	case "delete":
		_, err = s.changeComment(c.UserContext(), by, c.Params("id"), cid, action, "")
	case "hide":
		if !by.Has(domain.RoleOfficer) {
			return domain.Forbidden()
		}
		_, err = s.changeComment(c.UserContext(), by, c.Params("id"), cid, action, strings.TrimSpace(f.Value("reason")))
	}
	if err == nil {
		s.flash(c, "web.flash.comment_changed")
		return c.Redirect(pageURL("need", c.Params("id"))+"#discussion", fiber.StatusSeeOther)
	}
	return s.refusedComment(c, err, func(d *discussionView) bool {
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
func (s *Server) refusedComment(c *fiber.Ctx, err error, place func(*discussionView) bool, f *form) error {
	if domain.IsCode(err, domain.CodeNotFound) {
		return err
	}
	page, perr := s.needPage(c, c.Params("id"))
	if perr != nil {
		return perr
	}
	status, ok := f.fail(langOf(c), err)
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
	return s.render(c, status, "need", page)
}
