package storage

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"essor/internal/domain"
)

// The directory's import (api.md: essor directory import FILE.csv): the
// CRESS's and the observatory's lists, ';'-separated UTF-8 (a BOM is
// allowed) with the header siret;nom;forme_juridique;famille;code_commune;
// themes;site;email. Lines are checked here, the valid ones go through COPY
// into a staging table and are upserted by SIRET in one statement: a second
// import of the same file changes nothing.

// ImportHeader is the header an import file must have, in this order.
var ImportHeader = []string{"siret", "nom", "forme_juridique", "famille", "code_commune", "themes", "site", "email"}

// Refused is a line of the file that was not taken, and why (in French).
type Refused struct {
	Line   int
	Reason string
}

// ImportResult is what an import did.
type ImportResult struct {
	Lines, Inserted, Updated, Unchanged int
	Refused                             []Refused
}

// importBatch is how many lines go into the staging table at a time.
const importBatch = 5000

var communeCode = regexp.MustCompile(`^(?:[0-9]{5}|2[AB][0-9]{3})$`)

// legalFormOf reads a legal form as lists write it.
func legalFormOf(s string) (domain.LegalForm, bool) {
	k := domain.NormaliseKey(s)
	switch {
	case k == "":
		return domain.LegalFormOther, true
	case slices.Contains(domain.LegalForms, domain.LegalForm(k)):
		return domain.LegalForm(k), true
	case strings.HasPrefix(k, "association"):
		return domain.LegalFormAssociation, true
	case k == "sas" || k == "sarl" || k == "sa" || k == "sasu" || k == "eurl" || k == "societe":
		return domain.LegalFormCompany, true
	}
	return "", false
}

// familyOf reads an ESS family as lists write it.
func familyOf(s string) (domain.Family, bool) {
	k := domain.NormaliseKey(s)
	aliases := map[string]domain.Family{"": domain.FamilyOther, "cooperative": domain.FamilyCooperative, "mutuelle": domain.FamilyMutual,
		"fondation": domain.FamilyFoundation, "structure d'insertion": domain.FamilyInsertion, "siae": domain.FamilyInsertion,
		"entreprise solidaire d'utilite sociale": domain.FamilyESUS, "autre": domain.FamilyOther}
	if f, ok := aliases[k]; ok {
		return f, true
	}
	if slices.Contains(domain.Families, domain.Family(k)) {
		return domain.Family(k), true
	}
	return "", false
}

type importRow struct {
	siret, name, legalForm, family, commune, website, email string
	themes                                                  []string
}

// checkLine reads one line; "" reason when it is taken.
func checkLine(rec []string, themes map[string]bool) (importRow, string) {
	for i, f := range rec {
		if !utf8.ValidString(f) {
			return importRow{}, "texte qui n'est pas en UTF-8"
		}
		clean, p := domain.CleanText(f)
		if p != domain.TextOK {
			return importRow{}, "caractère de contrôle ou texte trop long"
		}
		rec[i] = clean // NFC, as every text that enters
	}
	r := importRow{siret: domain.CleanSIRET(rec[0]), name: strings.TrimSpace(rec[1]), commune: strings.TrimSpace(rec[4]),
		website: strings.TrimSpace(rec[6]), email: strings.TrimSpace(rec[7])}
	switch {
	case r.siret == "":
		return r, "SIRET manquant"
	case !domain.ValidSIRET(r.siret):
		return r, fmt.Sprintf("SIRET invalide « %s » (14 chiffres et une clé de Luhn)", rec[0])
	case utf8.RuneCountInString(r.name) < 2 || utf8.RuneCountInString(r.name) > 200:
		return r, "nom manquant ou de plus de 200 caractères"
	}
	lf, ok := legalFormOf(rec[2])
	if !ok {
		return r, fmt.Sprintf("forme juridique inconnue « %s »", rec[2])
	}
	fam, ok := familyOf(rec[3])
	if !ok {
		return r, fmt.Sprintf("famille inconnue « %s »", rec[3])
	}
	r.legalForm, r.family = string(lf), string(fam)
	if r.commune != "" && !communeCode.MatchString(r.commune) {
		return r, fmt.Sprintf("code commune INSEE invalide « %s »", rec[4])
	}
	r.themes = []string{}
	for _, t := range strings.Split(rec[5], ",") {
		if t = strings.TrimSpace(t); t == "" || slices.Contains(r.themes, t) {
			continue
		}
		if !themes[t] {
			return r, fmt.Sprintf("thématique inconnue « %s »", t)
		}
		r.themes = append(r.themes, t)
	}
	if r.website != "" {
		if u, err := url.Parse(r.website); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(r.website) > 500 {
			return r, fmt.Sprintf("site invalide « %s » (http:// ou https://)", r.website)
		}
	}
	if r.email != "" {
		if a, err := mail.ParseAddress(r.email); err != nil || a.Address != r.email || len(r.email) > 254 {
			return r, fmt.Sprintf("adresse e-mail invalide « %s »", r.email)
		}
	}
	return r, ""
}

// MaxImportLine bounds a line of an import file: a file without line ends
// (a binary, a wrong export) stops the import instead of filling memory.
const MaxImportLine = 64 << 10

// ErrImportLineTooLong stops an import at a line longer than MaxImportLine.
var ErrImportLineTooLong = errors.New("une ligne dépasse 64 Kio : ce fichier n'est pas une liste CSV séparée par des « ; »")

// lineLimit fails a read once a line grows past max bytes.
type lineLimit struct {
	r   io.Reader
	max int
	run int
}

func (l *lineLimit) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for _, b := range p[:n] {
		if l.run++; b == '\n' {
			l.run = 0
		} else if l.run > l.max {
			return 0, ErrImportLineTooLong
		}
	}
	return n, err
}

// ImportOrganisations reads an import file and upserts its valid lines;
// progress, when set, is told of the lines read so far and of the bytes.
func (db *DB) ImportOrganisations(ctx context.Context, in io.Reader, progress func(lines int, bytes int64)) (ImportResult, error) {
	var res ImportResult
	counter := &countingReader{r: in}
	br := bufio.NewReaderSize(counter, 1<<16)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xEF\xBB\xBF")) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(&lineLimit{r: br, max: MaxImportLine})
	cr.Comma, cr.FieldsPerRecord, cr.ReuseRecord = ';', -1, true
	header, err := cr.Read()
	if err != nil {
		return res, fmt.Errorf("en-tête illisible : %w", err)
	}
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(header[i]))
	}
	if !slices.Equal(header, ImportHeader) {
		return res, fmt.Errorf("en-tête attendu « %s », trouvé « %s »", strings.Join(ImportHeader, ";"), strings.Join(header, ";"))
	}
	themes := map[string]bool{}
	all, err := db.Themes(ctx)
	if err != nil {
		return res, err
	}
	for _, t := range all {
		if !t.Retired {
			themes[t.Slug] = true
		}
	}
	seen := map[string]int{}
	batch := make([][]any, 0, importBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		ins, upd, err := db.upsertOrganisations(ctx, batch)
		res.Inserted += ins
		res.Updated += upd
		res.Unchanged += len(batch) - ins - upd
		batch = batch[:0]
		return err
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		res.Lines++
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				res.Refused = append(res.Refused, Refused{Line: pe.Line, Reason: "ligne CSV mal formée (guillemets ?)"})
				continue
			}
			return res, err
		}
		if len(rec) != len(ImportHeader) {
			res.Refused = append(res.Refused, Refused{Line: line, Reason: fmt.Sprintf("%d colonnes au lieu de %d", len(rec), len(ImportHeader))})
			continue
		}
		r, reason := checkLine(rec, themes)
		if reason == "" {
			if first, dup := seen[r.siret]; dup {
				reason = fmt.Sprintf("SIRET déjà vu ligne %d", first)
			} else {
				seen[r.siret] = line
			}
		}
		if reason != "" {
			res.Refused = append(res.Refused, Refused{Line: line, Reason: reason})
			continue
		}
		batch = append(batch, []any{r.siret, r.name, r.legalForm, r.family, r.themes, nullable(r.commune), nullable(r.website), nullable(r.email)})
		if len(batch) == importBatch {
			if err := flush(); err != nil {
				return res, err
			}
		}
		if progress != nil && res.Lines%1000 == 0 {
			progress(res.Lines, counter.n)
		}
	}
	if err := flush(); err != nil {
		return res, err
	}
	if progress != nil {
		progress(res.Lines, counter.n)
	}
	return res, nil
}

// upsertOrganisations copies a batch into a staging table and upserts it by
// SIRET, changing only what differs; it returns how many it inserted and
// updated.
func (db *DB) upsertOrganisations(ctx context.Context, rows [][]any) (inserted, updated int, err error) {
	err = pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE organisations_import (siret text, name text, legal_form text, family text,
			themes text[], commune_code text, website text, email text) ON COMMIT DROP`); err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"organisations_import"},
			[]string{"siret", "name", "legal_form", "family", "themes", "commune_code", "website", "email"}, pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("copy: %w", err)
		}
		out, err := tx.Query(ctx, `INSERT INTO organisations AS o (siret, name, legal_form, family, themes, commune_code, website, email)
			SELECT siret, name, legal_form, family, themes, commune_code, website, email FROM organisations_import
			ON CONFLICT (siret) DO UPDATE SET name = EXCLUDED.name, legal_form = EXCLUDED.legal_form, family = EXCLUDED.family,
				themes = EXCLUDED.themes, commune_code = EXCLUDED.commune_code, website = EXCLUDED.website, email = EXCLUDED.email,
				updated_at = now()
			WHERE (o.name, o.legal_form, o.family, o.themes, o.commune_code, o.website, o.email) IS DISTINCT FROM
				(EXCLUDED.name, EXCLUDED.legal_form, EXCLUDED.family, EXCLUDED.themes, EXCLUDED.commune_code, EXCLUDED.website, EXCLUDED.email)
			RETURNING (xmax = 0)`)
		if err != nil {
			return err
		}
		defer out.Close()
		for out.Next() {
			var fresh bool
			if err := out.Scan(&fresh); err != nil {
				return err
			}
			if fresh {
				inserted++
			} else {
				updated++
			}
		}
		return out.Err()
	})
	return inserted, updated, err
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
