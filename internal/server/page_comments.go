package server

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
)

// discussionView is the discussion section of a need's page.
type DiscussionView struct {
	NeedID      string
	Comments    []commentView
	Form        *Form // nil for visitors who may not post
	CanInternal bool
	SignedOut   bool
	Older       string // the cursor of older comments ("" at the end)
	Alert       string
}

// commentView is one comment with the forms its viewer may use on it.
type commentView struct {
	commentJSON
	Edit *Form // the author, within 15 minutes
	Hide *Form // officers
	Open bool  // a refused form is shown open
}

// discussion builds the need page's discussion for the signed-in person
// (or an anonymous visitor, who sees public comments without names).
func (s *Server) Discussion(c *fiber.Ctx, needID string) (*DiscussionView, error) {
	var viewer *domain.Caller
	if u, ok := UserOf(c); ok {
		caller := u.Caller()
		viewer = &caller
	}
	rows, older, err := s.comments(c.UserContext(), needID, viewer, 50, c.Query("avant"))
	if err != nil {
		return nil, err
	}
	d := &DiscussionView{NeedID: needID, Older: older, SignedOut: viewer == nil}
	now := time.Now()
	for _, r := range rows {
		v := commentView{commentJSON: toCommentJSON(r, viewer)}
		if viewer != nil && !v.Deleted && !v.Hidden {
			if r.AuthorID != nil && *r.AuthorID == viewer.UserID && now.Sub(r.CreatedAt) <= domain.CommentEditWindow {
				v.Edit = NewForm("edit-"+r.ID+"-", "body")
				v.Edit.Set("body", r.Body)
			}
			if viewer.Has(domain.RoleOfficer) {
				v.Hide = NewForm("hide-"+r.ID+"-", "reason")
			}
		}
		d.Comments = append(d.Comments, v)
	}
	if viewer != nil && viewer.Has(domain.CommentRoles...) {
		d.Form = NewForm("comment-", "body", "internal")
		d.CanInternal = viewer.Has(domain.RoleOfficer)
	}
	return d, nil
}
