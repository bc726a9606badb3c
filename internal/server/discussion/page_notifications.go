package discussion

import (
	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

type kindChoice struct {
	Kind  domain.NotificationKind
	Field kit.FieldView
}

type notificationsPage struct {
	kit.Layout
	Form      *kit.Form
	Kinds     []kindChoice
	Languages []kit.Option
}

// notificationsPage shows the signed-in person's choices per kind of message.
func (s *Handlers) notificationsPage(c *fiber.Ctx) error {
	u, _ := kit.UserOf(c)
	lang, prefs, err := s.DB.NotificationSettings(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	f := kit.NewForm("", notificationFields()...)
	f.Set("language", lang)
	for k, m := range prefs {
		f.Set(string(k), string(m))
	}
	return s.Render(c, fiber.StatusOK, "notifications", s.notificationsView(c, f))
}

func notificationFields() []string {
	names := []string{"language"}
	for _, k := range domain.NotificationKinds {
		names = append(names, string(k))
	}
	return names
}

func (s *Handlers) notificationsView(c *fiber.Ctx, f *kit.Form) notificationsPage {
	lang := kit.LangOf(c)
	p := notificationsPage{Layout: s.Layout(c, "notifications", "web.notifications.title"), Form: f}
	var modes []kit.Option
	for _, m := range domain.NotifyModes {
		modes = append(modes, kit.Option{Value: string(m), Label: i18n.T(lang, "notify.mode."+string(m))})
	}
	for _, k := range domain.NotificationKinds {
		fv := f.Choice(string(k), "radio", modes, "required", "label=notify.kind."+string(k))
		p.Kinds = append(p.Kinds, kindChoice{Kind: k, Field: fv})
	}
	for _, l := range domain.Languages {
		p.Languages = append(p.Languages, kit.Option{Value: l, Label: i18n.T(lang, "language."+l)})
	}
	return p
}

// saveNotificationsPage records the choices of the preferences form.
func (s *Handlers) saveNotificationsPage(c *fiber.Ctx) error {
	f := kit.PostedForm(c, "", notificationFields()...)
	in := notificationsJSON{Kinds: domain.Preferences{}, Language: f.Value("language")}
	for _, k := range domain.NotificationKinds {
		if v := f.Value(string(k)); v != "" {
			in.Kinds[k] = domain.NotifyMode(v)
		}
	}
	err := s.saveNotifications(c, in)
	if err == nil {
		s.Flash(c, "web.flash.notifications_saved")
		return c.Redirect(kit.PageURL("my.notifications"), fiber.StatusSeeOther)
	}
	status, ok := f.Fail(kit.LangOf(c), err)
	if !ok {
		return err
	}
	// Field errors name "kinds.<kind>": the form's fields are the kinds.
	for k, m := range f.Errors {
		if kind, found := cutKinds(k); found {
			f.Errors[kind] = m
			delete(f.Errors, k)
		}
	}
	p := s.notificationsView(c, f)
	p.Failed = true
	return s.Render(c, status, "notifications", p)
}

func cutKinds(k string) (string, bool) {
	const prefix = "kinds."
	if len(k) > len(prefix) && k[:len(prefix)] == prefix {
		return k[len(prefix):], true
	}
	return "", false
}

type unsubscribePage struct {
	kit.Layout
	Token string
	Kind  string
	Done  bool
}

func (s *Handlers) unsubscribeKindLabel(c *fiber.Ctx, kind string) string {
	if kind == storage.DigestKind {
		return i18n.T(kit.LangOf(c), "mail.subject.digest", "…")
	}
	return i18n.T(kit.LangOf(c), "notify.kind."+kind)
}

// unsubscribeForm asks to confirm (a link followed from an e-mail must not
// change anything by itself: mail scanners follow links).
func (s *Handlers) unsubscribeForm(c *fiber.Ctx) error {
	c.Set("Referrer-Policy", "no-referrer") // the address carries the token
	kind, err := s.DB.UnsubscribeKind(c.UserContext(), c.Params("token"))
	if err != nil {
		return notFoundToken(err)
	}
	return s.Render(c, fiber.StatusOK, "unsubscribe", unsubscribePage{Layout: s.Layout(c, "", "web.unsubscribe.title"),
		Token: c.Params("token"), Kind: s.unsubscribeKindLabel(c, kind)})
}

// unsubscribe stops the token's kind for its person, without a session: a
// mail program's one-click POST (RFC 8058) or the confirmation's button.
func (s *Handlers) unsubscribe(c *fiber.Ctx) error {
	c.Set("Referrer-Policy", "no-referrer")
	kind, err := s.DB.Unsubscribe(c.UserContext(), c.Params("token"))
	if err != nil {
		return notFoundToken(err)
	}
	return s.Render(c, fiber.StatusOK, "unsubscribe", unsubscribePage{Layout: s.Layout(c, "", "web.unsubscribe.title"),
		Kind: s.unsubscribeKindLabel(c, kind), Done: true})
}

func notFoundToken(err error) error {
	if domain.IsCode(err, domain.CodeNotFound) {
		return domain.E(domain.CodeNotFound, "error.unsubscribe_not_found")
	}
	return err
}

type outboxPage struct {
	kit.Layout
	Rows       []storage.OutboxRow
	Counts     map[string]int
	Statuses   []string
	Status     string
	Older      string
	Configured bool
}

// outboxPage shows admins what was sent, what waits and what failed.
func (s *Handlers) outboxPage(c *fiber.Ctx) error {
	f, err := outboxFilter(c)
	if err != nil {
		return err
	}
	rows, next, err := s.DB.Outbox(c.UserContext(), f)
	if err != nil {
		return err
	}
	counts, err := s.DB.OutboxCounts(c.UserContext())
	if err != nil {
		return err
	}
	return s.Render(c, fiber.StatusOK, "outbox", outboxPage{Layout: s.Layout(c, "outbox", "web.outbox.title"), Rows: rows,
		Counts: counts, Statuses: storage.OutboxStatuses, Status: f.Status, Older: next, Configured: s.Cfg.SMTPURL != ""})
}
