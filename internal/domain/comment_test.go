package domain

import (
	"slices"
	"testing"
	"time"
)

func TestMentions(t *testing.T) {
	got := Mentions("Merci @Élise.Morel et @paul_girard ! Écrivez à marie@dole.fr, @élise.morel encore, @ seul, @.")
	if want := []string{"elise.morel", "paul_girard"}; !slices.Equal(got, want) {
		t.Fatalf("mentions %v, want %v", got, want)
	}
}

func TestCommentRules(t *testing.T) {
	actor := Caller{UserID: "a", Name: "Anne", Roles: []Role{RoleActor}}
	officer := Caller{UserID: "o", Roles: []Role{RoleOfficer}}
	admin := Caller{UserID: "z", Roles: []Role{RoleAdmin}}
	in := CommentInput{Body: "  Bonjour  "}
	if err := in.ValidatePost(actor); err != nil || in.Body != "Bonjour" {
		t.Fatalf("%v %q", err, in.Body)
	}
	if err := (&CommentInput{Body: "x", Internal: true}).ValidatePost(actor); !IsCode(err, CodeForbidden) {
		t.Fatalf("internal by an actor: %v", err)
	}
	if err := (&CommentInput{Body: "x"}).ValidatePost(admin); !IsCode(err, CodeForbidden) {
		t.Fatalf("admin: %v", err)
	}
	e, _ := As((&CommentInput{Body: " "}).ValidatePost(actor))
	if e == nil || e.Fields["body"].Args[0] != "@field.comment_body" {
		t.Fatalf("empty body: %+v", e)
	}
	now := time.Now()
	c := Comment{AuthorID: "a", CreatedAt: now.Add(-14 * time.Minute)}
	if err := c.CheckChange(actor, now); err != nil {
		t.Fatal(err)
	}
	if err := c.CheckChange(officer, now); !IsCode(err, CodeForbidden) {
		t.Fatalf("another person: %v", err)
	}
	if err := c.CheckChange(actor, now.Add(2*time.Minute)); !IsCode(err, CodeConflict) {
		t.Fatalf("after 15 minutes: %v", err)
	}
	if err := c.CheckHide(actor, &HideInput{Reason: "Injurieux"}); !IsCode(err, CodeForbidden) {
		t.Fatalf("hide by an actor: %v", err)
	}
	if err := c.CheckHide(officer, &HideInput{Reason: "non"}); !IsCode(err, CodeInvalid) {
		t.Fatalf("short reason: %v", err)
	}
	c.HiddenAt = &now
	if err := c.CheckChange(actor, now); !IsCode(err, CodeConflict) {
		t.Fatalf("a hidden comment: %v", err)
	}
	note := Comment{Internal: true}
	if note.VisibleTo(nil) || note.VisibleTo(&actor) || !note.VisibleTo(&officer) {
		t.Fatal("internal notes: officers and committee only")
	}
}

func TestPreferences(t *testing.T) {
	if err := (Preferences{NotifyMentioned: ModeNever}).Validate(); err != nil {
		t.Fatal(err)
	}
	e, _ := As(Preferences{"inconnu": ModeNever, NotifyMentioned: "parfois"}.Validate())
	if e == nil || len(e.Fields) != 2 {
		t.Fatalf("%+v", e)
	}
	all := Preferences{NotifyMentioned: ModeImmediate}.Complete()
	if len(all) != len(NotificationKinds) || all[NotifyMentioned] != ModeImmediate || all[NotifyReportLate] != ModeDigest {
		t.Fatalf("%v", all)
	}
}
