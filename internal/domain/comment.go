package domain

import (
	"slices"
	"strings"
	"time"
	"unicode"
)

// CommentEditWindow is how long an author may edit or delete a comment.
const CommentEditWindow = 15 * time.Minute

// Comment bounds: a comment is plain text (links are shown as text).
const (
	CommentMinLen   = 1
	CommentMaxLen   = 5000
	MaxMentions     = 10
	HideReasonMin   = 5
	HideReasonMax   = 2000
	mentionMaxRunes = 64
)

// Comment is one message of a need's discussion. A deleted comment keeps its
// row (the discussion shows that something was said and removed); a hidden
// one keeps its text for officers and the audit trail.
type Comment struct {
	ID           string
	NeedID       string
	AuthorID     string
	AuthorName   string
	Body         string
	Internal     bool
	CreatedAt    time.Time
	EditedAt     *time.Time
	DeletedAt    *time.Time
	HiddenAt     *time.Time
	HiddenReason string
}

// CommentInput is the body of POST and PATCH .../comments.
type CommentInput struct {
	Body     string `json:"body"`
	Internal bool   `json:"internal,omitempty"`
}

// HideInput is the body of POST .../comments/{cid}/hide.
type HideInput struct {
	Reason string `json:"reason"`
}

// CommentRoles may take part in a discussion.
var CommentRoles = []Role{RoleActor, RoleOfficer, RoleCommittee}

// SeesInternal tells whether the caller may read internal notes: officers
// and committee members.
func (c Caller) SeesInternal() bool { return c.Has(RoleOfficer, RoleCommittee) }

// ValidatePost checks a new comment: who posts it, its text, and that only
// officers write internal notes.
func (in *CommentInput) ValidatePost(by Caller) error {
	if !by.Has(CommentRoles...) {
		return Forbidden()
	}
	if in.Internal && !by.Has(RoleOfficer) {
		return E(CodeForbidden, "error.comment_internal")
	}
	return in.validateBody()
}

func (in *CommentInput) validateBody() error {
	// The API's field is "body"; its label is the comment's, not the
	// request body's (field.body).
	labelled := FieldErrors{}
	checkText(labelled, "comment_body", &in.Body, true, CommentMinLen, CommentMaxLen)
	fe := FieldErrors{}
	if m, ok := labelled["comment_body"]; ok {
		fe["body"] = m
	}
	return fe.Err()
}

// CheckChange tells whether by may edit or delete the comment now: its
// author, within CommentEditWindow of posting, while it is still shown.
func (c *Comment) CheckChange(by Caller, now time.Time) error {
	if by.UserID == "" || by.UserID != c.AuthorID {
		return E(CodeForbidden, "error.comment_not_author")
	}
	if c.DeletedAt != nil || c.HiddenAt != nil {
		return E(CodeConflict, "error.comment_gone")
	}
	if now.Sub(c.CreatedAt) > CommentEditWindow {
		return E(CodeConflict, "error.comment_edit_window", "15")
	}
	return nil
}

// ValidateEdit checks an edit's new text (the internal flag does not change).
func (in *CommentInput) ValidateEdit() error { return in.validateBody() }

// CheckHide tells whether by may hide the comment, with this reason.
func (c *Comment) CheckHide(by Caller, in *HideInput) error {
	if !by.Has(RoleOfficer) {
		return Forbidden()
	}
	if c.HiddenAt != nil || c.DeletedAt != nil {
		return E(CodeConflict, "error.comment_gone")
	}
	fe := FieldErrors{}
	checkText(fe, "reason", &in.Reason, true, HideReasonMin, HideReasonMax)
	return fe.Err()
}

// VisibleTo tells whether the viewer may see the comment at all (internal
// notes only for officers and the committee; nil is an anonymous visitor).
func (c *Comment) VisibleTo(viewer *Caller) bool {
	return !c.Internal || (viewer != nil && viewer.SeesInternal())
}

// Mentions are the @handles a text names, folded (lower case, no accents),
// each once, at most MaxMentions: "@marie.dupont" names the person whose
// name folds to "marie dupont" or whose address starts "marie.dupont@".
func Mentions(body string) []string {
	var out []string
	rs := []rune(body)
	for i := 0; i < len(rs) && len(out) < MaxMentions; i++ {
		if rs[i] != '@' || (i > 0 && isHandleRune(rs[i-1])) {
			continue // an e-mail address, not a mention
		}
		j := i + 1
		for j < len(rs) && j-i <= mentionMaxRunes && isHandleRune(rs[j]) {
			j++
		}
		h := strings.Trim(string(rs[i+1:j]), ".-_")
		if h == "" {
			continue
		}
		if h = NormaliseKey(h); !slices.Contains(out, h) {
			out = append(out, h)
		}
		i = j - 1
	}
	return out
}

func isHandleRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-' || r == '_'
}
