package discussion

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"essor/internal/domain"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// The discussion on a need (api.md, "Discussion"). Comments are not
// workflow state: plain writes, each with its audit line and the messages
// it causes, in one transaction.

type personJSON struct {
	ID   *string `json:"id"`
	Name string  `json:"name"`
}

type commentJSON struct {
	ID        string      `json:"id"`
	Author    *personJSON `json:"author"` // null for anonymous visitors
	Body      string      `json:"body"`   // "" once deleted, or hidden (but for officers)
	Internal  bool        `json:"internal"`
	CreatedAt time.Time   `json:"created_at"`
	EditedAt  *time.Time  `json:"edited_at"`
	Deleted   bool        `json:"deleted"`
	Hidden    bool        `json:"hidden"`
	// HiddenReason is shown to officers only.
	HiddenReason string `json:"hidden_reason,omitempty"`
}

// toCommentJSON shows a comment to viewer (nil: an anonymous visitor, who
// sees no names).
func toCommentJSON(r storage.CommentRow, viewer *domain.Caller) commentJSON {
	out := commentJSON{ID: r.ID, Body: r.Body, Internal: r.Internal, CreatedAt: r.CreatedAt, EditedAt: r.EditedAt,
		Deleted: r.DeletedAt != nil, Hidden: r.HiddenAt != nil}
	if viewer != nil {
		out.Author = &personJSON{ID: r.AuthorID, Name: r.AuthorName}
	}
	officer := viewer != nil && viewer.Has(domain.RoleOfficer)
	switch {
	case out.Deleted:
		out.Body = ""
	case out.Hidden && officer:
		out.HiddenReason = r.HiddenReason
	case out.Hidden:
		out.Body = ""
	}
	return out
}

func notFoundComment(err error) error {
	if domain.IsCode(err, domain.CodeNotFound) {
		return domain.E(domain.CodeNotFound, "error.comment_not_found")
	}
	return err
}

// comments lists a need's discussion as viewer may see it.
func (s *Handlers) comments(ctx context.Context, needID string, viewer *domain.Caller, limit int, cursor string) ([]storage.CommentRow, string, error) {
	if _, err := s.DB.Need(ctx, needID); err != nil {
		return nil, "", kit.NotFoundNeed(err)
	}
	return s.DB.Comments(ctx, storage.CommentFilter{NeedID: needID, Internal: viewer != nil && viewer.SeesInternal(),
		Limit: limit, Cursor: cursor})
}

// postComment checks and records a comment by `by`.
func (s *Handlers) PostComment(ctx context.Context, by domain.Caller, needID string, in domain.CommentInput) (storage.CommentRow, error) {
	if err := in.ValidatePost(by); err != nil {
		return storage.CommentRow{}, err
	}
	id, ok := domain.ParseID(needID)
	if !ok {
		return storage.CommentRow{}, kit.NotFoundNeed(storage.ErrNotFound)
	}
	c := domain.Comment{ID: uuid.NewString(), NeedID: id, AuthorID: by.UserID, AuthorName: by.Name, Body: in.Body,
		Internal: in.Internal, CreatedAt: time.Now().UTC()}
	if err := s.DB.PostComment(ctx, c, domain.Mentions(in.Body)); err != nil {
		return storage.CommentRow{}, kit.NotFoundNeed(err)
	}
	row, err := s.DB.Comment(ctx, id, c.ID)
	return row, err
}

// changeComment edits, deletes or hides a comment, if the rules allow it now.
func (s *Handlers) ChangeComment(ctx context.Context, by domain.Caller, needID, id, action, text string) (storage.CommentRow, error) {
	nid, ok1 := domain.ParseID(needID)
	cid, ok2 := domain.ParseID(id)
	if !ok1 || !ok2 {
		return storage.CommentRow{}, notFoundComment(storage.ErrNotFound)
	}
	now := time.Now().UTC()
	check := func(c domain.Comment) error {
		if !c.VisibleTo(&by) {
			return storage.ErrNotFound
		}
		if action == "hide" {
			return c.CheckHide(by, &domain.HideInput{Reason: text})
		}
		return c.CheckChange(by, now)
	}
	row, err := s.DB.ChangeComment(ctx, nid, cid, by, action, text, now, check)
	return row, notFoundComment(err)
}

// listNeedComments: GET /api/v1/needs/{id}/comments.
func (s *Handlers) listNeedComments(c *fiber.Ctx) error {
	fe := domain.FieldErrors{}
	limit, cursor := kit.PageParams(c, fe)
	if err := fe.Err(); err != nil {
		return err
	}
	u, _ := kit.UserOf(c)
	viewer := u.Caller()
	rows, next, err := s.comments(c.UserContext(), c.Params("id"), &viewer, limit, cursor)
	if err != nil {
		return err
	}
	out := kit.Page[commentJSON]{Items: make([]commentJSON, 0, len(rows))}
	for _, r := range rows {
		out.Items = append(out.Items, toCommentJSON(r, &viewer))
	}
	if next != "" {
		out.NextCursor = &next
	}
	return c.JSON(out)
}

// createNeedComment: POST /api/v1/needs/{id}/comments.
func (s *Handlers) createNeedComment(c *fiber.Ctx) error {
	var in domain.CommentInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	u, _ := kit.UserOf(c)
	by := u.Caller()
	row, err := s.PostComment(c.UserContext(), by, c.Params("id"), in)
	if err != nil {
		return err
	}
	c.Location("/api/v1/needs/" + row.NeedID + "/comments/" + row.ID)
	return c.Status(fiber.StatusCreated).JSON(toCommentJSON(row, &by))
}

// editNeedComment: PATCH /api/v1/needs/{id}/comments/{cid} (its author, within 15 minutes).
func (s *Handlers) editNeedComment(c *fiber.Ctx) error {
	var in domain.CommentInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	if err := in.ValidateEdit(); err != nil {
		return err
	}
	u, _ := kit.UserOf(c)
	by := u.Caller()
	row, err := s.ChangeComment(c.UserContext(), by, c.Params("id"), c.Params("cid"), "edit", in.Body)
	if err != nil {
		return err
	}
	return c.JSON(toCommentJSON(row, &by))
}

// deleteNeedComment: DELETE /api/v1/needs/{id}/comments/{cid} (its author, within 15 minutes).
func (s *Handlers) deleteNeedComment(c *fiber.Ctx) error {
	u, _ := kit.UserOf(c)
	by := u.Caller()
	row, err := s.ChangeComment(c.UserContext(), by, c.Params("id"), c.Params("cid"), "delete", "")
	if err != nil {
		return err
	}
	return c.JSON(toCommentJSON(row, &by))
}

// hideNeedComment: POST /api/v1/needs/{id}/comments/{cid}/hide (officers), with a reason.
func (s *Handlers) hideNeedComment(c *fiber.Ctx) error {
	var in domain.HideInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	u, _ := kit.UserOf(c)
	by := u.Caller()
	if !by.Has(domain.RoleOfficer) {
		return domain.Forbidden()
	}
	row, err := s.ChangeComment(c.UserContext(), by, c.Params("id"), c.Params("cid"), "hide", in.Reason)
	if err != nil {
		return err
	}
	return c.JSON(toCommentJSON(row, &by))
}
