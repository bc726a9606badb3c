package app

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/google/uuid"
	"golang.org/x/term"

	"essor/internal/auth"
	"essor/internal/config"
	"essor/internal/domain"
	"essor/internal/storage"
)

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func userCommand(ctx context.Context, cfg config.Config, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return usageError{"essor user add|list"}
	}
	switch args[0] {
	case "add":
		return userAdd(ctx, cfg, args[1:], stdin, stdout)
	case "list":
		return userList(ctx, cfg, stdout)
	}
	return usageError{fmt.Sprintf("sous-commande inconnue « user %s » (add, list)", args[0])}
}

func userAdd(ctx context.Context, cfg config.Config, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	email := fs.String("email", "", "adresse e-mail")
	name := fs.String("name", "", "nom affiché")
	org := fs.String("organisation", "", "organisation")
	orgID := fs.String("organisation-id", "", "la structure de l'annuaire à laquelle le compte appartient")
	var roles multiFlag
	fs.Var(&roles, "role", "rôle (répétable)")
	if err := fs.Parse(args); err != nil {
		return usageError{"user add : " + err.Error()}
	}
	u := storage.User{ID: uuid.NewString(), Email: strings.TrimSpace(*email), Name: strings.TrimSpace(*name),
		Organisation: strings.TrimSpace(*org), Active: true}
	for _, r := range roles {
		for _, one := range strings.Split(r, ",") {
			u.Roles = append(u.Roles, domain.Role(strings.TrimSpace(one)))
		}
	}
	if err := checkAccount(u); err != nil {
		return usageError{err.Error()}
	}
	password, err := readPassword(stdin, stdout)
	if err != nil {
		return err
	}
	if len([]rune(password)) < auth.MinPasswordLength {
		return usageError{fmt.Sprintf("le mot de passe doit contenir au moins %d caractères", auth.MinPasswordLength)}
	}
	if u.PasswordHash, err = auth.HashPassword(password); err != nil {
		return err
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if id := strings.TrimSpace(*orgID); id != "" {
		o, err := db.Organisation(ctx, id)
		if err != nil {
			return usageError{fmt.Sprintf("--organisation-id %s : aucune structure de l'annuaire ne porte cet identifiant", id)}
		}
		u.OrganisationID, u.Organisation = &o.ID, o.Name
	}
	if err := db.CreateUser(ctx, u); err != nil {
		if err == storage.ErrEmailTaken {
			return fmt.Errorf("un compte existe déjà avec l'adresse %s", u.Email)
		}
		return err
	}
	fmt.Fprintf(stdout, "compte créé : %s <%s> %v (id %s)\n", u.Name, u.Email, u.Roles, u.ID)
	return nil
}

// checkAccount validates an account's fields, in French.
func checkAccount(u storage.User) error {
	var problems []string
	if u.Email == "" || !strings.Contains(u.Email, "@") {
		problems = append(problems, "--email doit être une adresse e-mail")
	}
	if u.Name == "" {
		problems = append(problems, "--name est obligatoire")
	}
	if len(u.Roles) == 0 {
		problems = append(problems, "au moins un --role est requis")
	}
	for _, r := range u.Roles {
		if !domain.ValidRole(r) {
			problems = append(problems, fmt.Sprintf("rôle inconnu %q (actor, officer, committee, organiser, jury, admin)", r))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, " ; "))
	}
	return nil
}

// readPassword reads one line; at a terminal it asks without echoing.
func readPassword(stdin io.Reader, stdout io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stdout, "Mot de passe : ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stdout)
		return string(b), err
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func userList(ctx context.Context, cfg config.Config, stdout io.Writer) error {
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	users, err := db.Users(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "E-MAIL\tNOM\tORGANISATION\tRÔLES\tACTIF")
	for _, u := range users {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%v\t%v\n", u.Email, u.Name, u.Organisation, u.Roles, u.Active)
	}
	return tw.Flush()
}
