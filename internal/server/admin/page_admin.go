package admin

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"essor/internal/auth"
	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// accountInput is an account as the admin's forms send it.
type accountInput struct {
	Email        string `json:"email" validate:"required,email,max=320"`
	Name         string `json:"name" validate:"required,min=2,max=200"`
	Organisation string `json:"organisation" validate:"max=200"`
}

var accountFields = []string{"email", "name", "organisation", "roles", "password", "active"}

type accountsPage struct {
	kit.Layout
	Accounts []storage.User
	Form     *kit.Form
	Roles    []kit.Option
}

type accountPage struct {
	kit.Layout
	Account storage.User
	Form    *kit.Form
	Roles   []kit.Option
	State   []kit.Option
}

func (s *Handlers) accountPage(c *fiber.Ctx, u storage.User, f *kit.Form) accountPage {
	return accountPage{Layout: s.Layout(c, "admin", "web.account.title"), Account: u, Form: f, Roles: s.roleOptions(c),
		State: []kit.Option{{Value: "true", Label: i18n.T(kit.LangOf(c), "web.account.active")}}}
}

func (s *Handlers) roleOptions(c *fiber.Ctx) []kit.Option {
	opts := make([]kit.Option, 0, len(domain.Roles))
	for _, r := range domain.Roles {
		opts = append(opts, kit.Option{Value: string(r), Label: i18n.T(kit.LangOf(c), "role."+string(r))})
	}
	return opts
}

// accounts lists every account, with the form to add one.
func (s *Handlers) accounts(c *fiber.Ctx) error {
	return s.renderAccounts(c, fiber.StatusOK, kit.NewForm("account-", accountFields...))
}

func (s *Handlers) renderAccounts(c *fiber.Ctx, status int, f *kit.Form) error {
	users, err := s.DB.Users(c.UserContext())
	if err != nil {
		return err
	}
	page := accountsPage{Layout: s.Layout(c, "admin", "web.admin.title"), Accounts: users, Form: f, Roles: s.roleOptions(c)}
	page.Failed = f.Invalid()
	return s.Render(c, status, "accounts", page)
}

// readRoles checks the roles ticked.
func readRoles(vals []string, fe domain.FieldErrors) []domain.Role {
	var roles []domain.Role
	for _, v := range vals {
		r := domain.Role(strings.TrimSpace(v))
		if !domain.ValidRole(r) {
			fe.Add("roles", "field.unknown_role", string(r))
			continue
		}
		if !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	if len(roles) == 0 {
		fe.Add("roles", "field.required")
	}
	return roles
}

// addAccount creates an account with a first password the admin hands over.
func (s *Handlers) addAccount(c *fiber.Ctx) error {
	f := kit.PostedForm(c, "account-", accountFields...)
	in := accountInput{Email: strings.TrimSpace(f.Value("email")), Name: strings.TrimSpace(f.Value("name")),
		Organisation: strings.TrimSpace(f.Value("organisation"))}
	fe := domain.FieldErrors{}
	domain.CheckStruct(in, fe)
	roles := readRoles(f.Values["roles"], fe)
	password := f.Value("password")
	f.Set("password") // never sent back
	if password == "" {
		fe.Add("password", "field.required")
	} else if len([]rune(password)) < auth.MinPasswordLength {
		fe.Add("password", "field.password_short", strconv.Itoa(auth.MinPasswordLength))
	}
	err := fe.Err()
	if err == nil {
		hash, herr := auth.HashPassword(password)
		if herr != nil {
			return herr
		}
		err = s.DB.CreateUser(c.UserContext(), storage.User{ID: uuid.NewString(), Email: in.Email, Name: in.Name,
			Organisation: in.Organisation, Roles: roles, PasswordHash: hash, Active: true})
		if errors.Is(err, storage.ErrEmailTaken) {
			err = &domain.Error{Code: domain.CodeInvalid, Message: domain.Msg("error.validation"),
				Fields: map[string]domain.Message{"email": domain.Msg("error.email_taken")}}
		}
	}
	if err != nil {
		status, ok := f.Fail(kit.LangOf(c), err)
		if !ok {
			return err
		}
		return s.renderAccounts(c, status, f)
	}
	s.Flash(c, "web.flash.account_added")
	return c.Redirect(kit.PageURL("accounts"), fiber.StatusSeeOther)
}

func (s *Handlers) accountByParam(c *fiber.Ctx) (storage.User, error) {
	u, err := s.DB.UserByID(c.UserContext(), c.Params("id"))
	if domain.IsCode(err, domain.CodeNotFound) {
		return u, domain.E(domain.CodeNotFound, "error.page_not_found")
	}
	return u, err
}

// account shows one account's form: name, organisation, roles, state and
// a new password.
func (s *Handlers) account(c *fiber.Ctx) error {
	u, err := s.accountByParam(c)
	if err != nil {
		return err
	}
	f := kit.NewForm("account-", accountFields...)
	f.Set("name", u.Name)
	f.Set("organisation", u.Organisation)
	f.Set("email", u.Email)
	for _, r := range u.Roles {
		f.Values["roles"] = append(f.Values["roles"], string(r))
	}
	if u.Active {
		f.Set("active", "true")
	}
	return s.Render(c, fiber.StatusOK, "account", s.accountPage(c, u, f))
}

// updateAccount changes roles, name, organisation, state or password; an
// admin cannot lock themselves out.
func (s *Handlers) updateAccount(c *fiber.Ctx) error {
	u, err := s.accountByParam(c)
	if err != nil {
		return err
	}
	if u.ErasedAt != nil {
		return storage.ErrAccountErased
	}
	me, _ := kit.UserOf(c)
	f := kit.PostedForm(c, "account-", accountFields...)
	f.Set("email", u.Email)
	fe := domain.FieldErrors{}
	in := accountInput{Email: u.Email, Name: strings.TrimSpace(f.Value("name")), Organisation: strings.TrimSpace(f.Value("organisation"))}
	domain.CheckStruct(in, fe)
	roles := readRoles(f.Values["roles"], fe)
	active := f.Value("active") == "true"
	if u.ID == me.ID && (!active || !slices.Contains(roles, domain.RoleAdmin)) {
		fe["roles"] = domain.Msg("web.account.self_lockout")
	}
	password := f.Value("password")
	f.Set("password")
	if password != "" && len([]rune(password)) < auth.MinPasswordLength {
		fe.Add("password", "field.password_short", strconv.Itoa(auth.MinPasswordLength))
	}
	if err := fe.Err(); err != nil {
		status, _ := f.Fail(kit.LangOf(c), err)
		page := s.accountPage(c, u, f)
		page.Failed = true
		return s.Render(c, status, "account", page)
	}
	u.Name, u.Organisation, u.Roles, u.Active = in.Name, in.Organisation, roles, active
	if err := s.DB.UpdateUser(c.UserContext(), u); err != nil {
		return err
	}
	if password != "" {
		hash, err := auth.HashPassword(password)
		if err != nil {
			return err
		}
		if err := s.DB.SetPassword(c.UserContext(), u.ID, hash); err != nil {
			return err
		}
	}
	s.Flash(c, "web.flash.account_saved")
	return c.Redirect(kit.PageURL("accounts"), fiber.StatusSeeOther)
}

// setAccountState deactivates or reactivates an account from the list.
func (s *Handlers) setAccountState(c *fiber.Ctx) error {
	u, err := s.accountByParam(c)
	if err != nil {
		return err
	}
	if u.ErasedAt != nil {
		return storage.ErrAccountErased
	}
	me, _ := kit.UserOf(c)
	if u.ID == me.ID {
		f := kit.NewForm("account-", accountFields...)
		f.Alert = i18n.T(kit.LangOf(c), "web.account.self_lockout")
		return s.renderAccounts(c, fiber.StatusConflict, f)
	}
	u.Active = c.FormValue("active") == "true"
	if err := s.DB.UpdateUser(c.UserContext(), u); err != nil {
		return err
	}
	if u.Active {
		s.Flash(c, "web.flash.account_enabled")
	} else {
		s.Flash(c, "web.flash.account_disabled")
	}
	return c.Redirect(kit.PageURL("accounts"), fiber.StatusSeeOther)
}

// Personal data (RGPD): the export and the erasure of a person, as the API
// offers them (api_admin.go).

// erasePage is the confirmation step before a person is erased.
type erasePage struct {
	kit.Layout
	Account    storage.User
	Form       *kit.Form
	ErasedName string
}

func (s *Handlers) erasePage(c *fiber.Ctx, u storage.User, f *kit.Form) erasePage {
	return erasePage{Layout: s.Layout(c, "admin", "web.privacy.erase_title"), Account: u, Form: f, ErasedName: storage.ErasedName}
}

// exportAccount downloads, as a JSON file, everything held about the person.
func (s *Handlers) exportAccount(c *fiber.Ctx) error {
	u, err := s.accountByParam(c)
	if err != nil {
		return err
	}
	me, _ := kit.UserOf(c)
	p, err := s.DB.ExportPersonalData(c.UserContext(), u.ID, me.Caller())
	if err != nil {
		return err
	}
	return sendPersonalData(c, p)
}

// eraseForm says what erasing the person does and asks for the reason.
func (s *Handlers) eraseForm(c *fiber.Ctx) error {
	u, err := s.accountByParam(c)
	if err != nil {
		return err
	}
	if u.ErasedAt != nil {
		return storage.ErrAlreadyErased
	}
	return s.Render(c, fiber.StatusOK, "erase", s.erasePage(c, u, kit.NewForm("erase-", "reason")))
}

// eraseAccount erases the person once the reason is given.
func (s *Handlers) eraseAccount(c *fiber.Ctx) error {
	u, err := s.accountByParam(c)
	if err != nil {
		return err
	}
	me, _ := kit.UserOf(c)
	f := kit.PostedForm(c, "erase-", "reason")
	if _, err := s.erasePerson(c, me, u.ID, f.Value("reason")); err != nil {
		status, ok := f.Fail(kit.LangOf(c), err)
		if !ok {
			return err
		}
		page := s.erasePage(c, u, f)
		page.Failed = true
		return s.Render(c, status, "erase", page)
	}
	s.Flash(c, "web.flash.account_erased")
	return c.Redirect(kit.PageURL("account", u.ID), fiber.StatusSeeOther)
}
