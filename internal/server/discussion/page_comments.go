package discussion

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/server/kit"
)

// View is the discussion section of a need's page.
type View struct {
	NeedID      string
	Comments    []commentView
	Form        *kit.Form // nil for visitors who may not post
	CanInternal bool
	SignedOut   bool
	Older       string // the cursor of older comments ("" at the end)
	Alert       string
}

// commentView is one comment with the forms its viewer may use on it.
type commentView struct {
	commentJSON
	Edit *kit.Form // the author, within 15 minutes
	Hide *kit.Form // officers
	Open bool      // a refused form is shown open
}

// discussion builds the need page's discussion for the signed-in person
// (or an anonymous visitor, who sees public comments without names).
func (s *Handlers) Discussion(c *fiber.Ctx, needID string) (*View, error) {
	var viewer *domain.Caller
	if u, ok := kit.UserOf(c); ok {
		caller := u.Caller()
		viewer = &caller
	}
	rows, older, err := s.comments(c.UserContext(), needID, viewer, 50, c.Query("avant"))
	if err != nil {
		return nil, err
	}
	d := &View{NeedID: needID, Older: older, SignedOut: viewer == nil}
	now := time.Now()
	for _, r := range rows {
		v := commentView{commentJSON: toCommentJSON(r, viewer)}
		if viewer != nil && !v.Deleted && !v.Hidden {
			if r.AuthorID != nil && *r.AuthorID == viewer.UserID && now.Sub(r.CreatedAt) <= domain.CommentEditWindow {
				v.Edit = kit.NewForm("edit-"+r.ID+"-", "body")
				v.Edit.Set("body", r.Body)
			}
			if viewer.Has(domain.RoleOfficer) {
				v.Hide = kit.NewForm("hide-"+r.ID+"-", "reason")
			}
		}
		d.Comments = append(d.Comments, v)
	}
	if viewer != nil && viewer.Has(domain.CommentRoles...) {
		d.Form = kit.NewForm("comment-", "body", "internal")
		d.CanInternal = viewer.Has(domain.RoleOfficer)
	}
	return d, nil
}
