// Command territorygen writes the migration of the region's real territories
// (migrations/20261218090000_territories_open_data.sql) from the open
// administrative data of the npm package @etalab/decoupage-administratif
// (MIT; INSEE data), installed by `npm ci` in .ci/territories. `make
// territories` runs it; the same package version gives the same file, byte
// for byte. Nothing reads the package at run time: the migration is the data.
package main

import (
	"bufio"
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// The region and its départements: the programmes' territory.
const regionCode = "27"

var departements = []string{"25", "39", "70", "90"}

// zoneParents are the employment zones' extra parents: the zone Belfort –
// Montbéliard – Héricourt spans the Territoire de Belfort (its first
// parent), the Doubs and the Haute-Saône.
var zoneParents = [][2]string{{"ze-belfort", "25"}, {"ze-belfort", "70"}}

// rowsPerInsert keeps each INSERT a few hundred rows: one statement per
// chunk, a quick migration, a readable file.
const rowsPerInsert = 250

type packageJSON struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type region struct {
	Code string `json:"code"`
	Name string `json:"nom"`
}

type departement struct {
	Code   string `json:"code"`
	Region string `json:"region"`
	Name   string `json:"nom"`
}

type commune struct {
	Code        string   `json:"code"`
	Name        string   `json:"nom"`
	Type        string   `json:"type"`
	Departement string   `json:"departement"`
	PostalCodes []string `json:"codesPostaux"`
	Population  *int     `json:"population"`
}

type epci struct {
	Code    string `json:"code"` // SIREN
	Name    string `json:"nom"`
	Members []struct {
		Code string `json:"code"`
	} `json:"membres"`
}

func main() {
	pkg := flag.String("package", ".ci/territories/node_modules/@etalab/decoupage-administratif", "the npm package's folder")
	out := flag.String("out", "migrations/20261218090000_territories_open_data.sql", "the migration to write")
	flag.Parse()
	if err := run(*pkg, *out); err != nil {
		fmt.Fprintln(os.Stderr, "territorygen:", err)
		os.Exit(1)
	}
}

func run(pkgDir, out string) error {
	var (
		meta    packageJSON
		regions []region
		depts   []departement
		comms   []commune
		epcis   []epci
	)
	for name, v := range map[string]any{"package.json": &meta, "data/regions.json": &regions,
		"data/departements.json": &depts, "data/communes.json": &comms, "data/epci.json": &epcis} {
		if err := readJSON(filepath.Join(pkgDir, name), v); err != nil {
			return err
		}
	}
	d, err := build(meta, regions, depts, comms, epcis)
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	d.write(w)
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%s: %d communes, %d EPCIs, %d parent links\n", out, len(d.communes), len(d.epcis), len(d.links))
	return nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%w (run npm ci in .ci/territories first)", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

type data struct {
	source    string
	region    region
	depts     []departement
	epcis     []epciRow
	communes  []communeRow
	links     [][2]string // (code, parent_code)
	regionPop int
}

type epciRow struct {
	code, name string
	depts      []string // first: where most of its communes are
}

type communeRow struct {
	commune
	epci string
}

func build(meta packageJSON, regions []region, depts []departement, comms []commune, epcis []epci) (data, error) {
	d := data{source: meta.Name + " " + meta.Version}
	i := slices.IndexFunc(regions, func(r region) bool { return r.Code == regionCode })
	if i < 0 {
		return d, fmt.Errorf("region %s not in the package", regionCode)
	}
	d.region = regions[i]
	for _, code := range departements {
		i := slices.IndexFunc(depts, func(x departement) bool { return x.Code == code })
		if i < 0 || depts[i].Region != regionCode {
			return d, fmt.Errorf("département %s not in region %s", code, regionCode)
		}
		d.depts = append(d.depts, depts[i])
		d.links = append(d.links, [2]string{code, regionCode})
	}
	d.links = append(d.links, zoneParents[:]...)

	// Communes as they are now: not the communes déléguées or associées
	// (former communes merged into another, which may share its code).
	byCode := map[string]*communeRow{}
	for _, c := range comms {
		if c.Type == "commune-actuelle" && slices.Contains(departements, c.Departement) {
			d.communes = append(d.communes, communeRow{commune: c})
		}
	}
	slices.SortFunc(d.communes, func(a, b communeRow) int { return cmp.Compare(a.Code, b.Code) })
	for i := range d.communes {
		byCode[d.communes[i].Code] = &d.communes[i]
	}

	for _, e := range epcis {
		count := map[string]int{}
		for _, m := range e.Members {
			c, ok := byCode[m.Code]
			if !ok {
				continue // a member outside the region's départements
			}
			if c.epci != "" {
				return d, fmt.Errorf("commune %s in EPCIs %s and %s", c.Code, c.epci, e.Code)
			}
			c.epci = e.Code
			count[c.Departement]++
		}
		if len(count) == 0 {
			continue
		}
		row := epciRow{code: e.Code, name: e.Name}
		for dept := range count {
			row.depts = append(row.depts, dept)
		}
		slices.SortFunc(row.depts, func(a, b string) int { // most communes first, then by code
			return cmp.Or(cmp.Compare(count[b], count[a]), cmp.Compare(a, b))
		})
		d.epcis = append(d.epcis, row)
	}
	slices.SortFunc(d.epcis, func(a, b epciRow) int { return cmp.Compare(a.code, b.code) })
	for _, e := range d.epcis {
		for _, dept := range e.depts {
			d.links = append(d.links, [2]string{e.code, dept})
		}
	}
	for _, c := range d.communes {
		if c.epci == "" {
			return d, fmt.Errorf("commune %s in no EPCI", c.Code)
		}
		if c.Population == nil {
			return d, fmt.Errorf("commune %s without population", c.Code)
		}
		d.regionPop += *c.Population
		d.links = append(d.links, [2]string{c.Code, c.Departement}, [2]string{c.Code, c.epci})
	}
	return d, nil
}

func (d data) write(w io.Writer) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p(header, d.source, len(d.communes), len(d.epcis), d.regionPop)
	p(schema)
	p("\n-- The region, the départements under it.\n")
	p("INSERT INTO territories (code, name, kind, position) VALUES (%s, %s, 'region', 0)\n", q(d.region.Code), q(d.region.Name))
	p("    ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind;\n")
	p("INSERT INTO territories (code, name, kind, position) VALUES\n")
	for i, dept := range d.depts {
		p("    (%s, %s, 'departement', %d)%s\n", q(dept.Code), q(dept.Name), i+1, sep(i, len(d.depts)))
	}
	p("    ON CONFLICT (code) DO NOTHING;\n")
	p("UPDATE territories SET parent_code = %s WHERE kind = 'departement' AND parent_code IS NULL\n", q(regionCode))
	p("    AND code IN (%s);\n", list(departements))

	p("\n-- The EPCIs (code: SIREN), each under the département of most of its communes.\n")
	chunks(w, len(d.epcis), "INSERT INTO territories (code, name, kind, parent_code, position) VALUES", func(i int) string {
		e := d.epcis[i]
		return fmt.Sprintf("(%s, %s, 'epci', %s, 100)", q(e.code), q(e.name), q(e.depts[0]))
	}, "    ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, parent_code = EXCLUDED.parent_code;")

	p("\n-- The communes (code: INSEE), each under its département; population: municipal.\n")
	chunks(w, len(d.communes), "INSERT INTO territories (code, name, kind, parent_code, population, postal_codes, position) VALUES", func(i int) string {
		c := d.communes[i]
		return fmt.Sprintf("(%s, %s, 'commune', %s, %d, %s, 1000)", q(c.Code), q(c.Name), q(c.Departement), *c.Population, array(c.PostalCodes))
	}, "    ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, parent_code = EXCLUDED.parent_code,\n"+
		"        population = EXCLUDED.population, postal_codes = EXCLUDED.postal_codes;")

	p("\n-- Every parent: département → region, the zone spanning three départements,\n")
	p("-- EPCI → its départements, commune → its département and its EPCI.\n")
	chunks(w, len(d.links), "INSERT INTO territory_parents (code, parent_code) VALUES", func(i int) string {
		return fmt.Sprintf("(%s, %s)", q(d.links[i][0]), q(d.links[i][1]))
	}, "    ON CONFLICT DO NOTHING;")

	p("\n-- Statistics now, not at autovacuum's leisure: without them the planner takes\n")
	p("-- the tables for a few rows and reads them once per territory (300 ms, not 15).\n")
	p("ANALYZE territories;\nANALYZE territory_parents;\n")
}

// chunks writes n rows as INSERTs of at most rowsPerInsert rows each.
func chunks(w io.Writer, n int, insert string, row func(int) string, tail string) {
	for start := 0; start < n; start += rowsPerInsert {
		end := min(start+rowsPerInsert, n)
		fmt.Fprintln(w, insert)
		for i := start; i < end; i++ {
			fmt.Fprintf(w, "    %s%s\n", row(i), sep(i-start, end-start))
		}
		fmt.Fprintln(w, tail)
	}
}

// sep is the comma after each row but the last.
func sep(i, n int) string {
	if i < n-1 {
		return ","
	}
	return ""
}

// q quotes a SQL string literal.
func q(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func list(codes []string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = q(c)
	}
	return strings.Join(out, ", ")
}

func array(codes []string) string {
	if len(codes) == 0 {
		return "'{}'"
	}
	return "ARRAY[" + list(codes) + "]"
}

const header = `-- Real territories (issue 18): the region, every commune of the départements
-- 25, 39, 70 and 90 and their EPCIs, from the open administrative data; a
-- territory may have several parents (territory_parents).
--
-- GENERATED: do not edit by hand. ` + "`make territories`" + ` regenerates this file byte
-- for byte (npm ci in .ci/territories, then
-- go run ./internal/reference/territorygen); change the generator, not this file.
-- Source: %s (MIT; INSEE data), pinned in .ci/territories/package-lock.json.
-- %d communes (communes déléguées and associées left out), %d EPCIs; population
-- of the region's four départements: %d inhabitants.
--
-- population is a commune's municipal population and null on every other
-- kind: an EPCI's or a département's is the sum of its communes', computed
-- where it is used. parent_code stays the first parent: a commune's
-- département, an EPCI's main département, a département's region.
`

const schema = `
ALTER TABLE territories DROP CONSTRAINT territories_kind_check;
ALTER TABLE territories ADD CONSTRAINT territories_kind_check
    CHECK (kind IN ('region', 'departement', 'epci', 'commune', 'employment_zone', 'other'));
ALTER TABLE territories
    ADD COLUMN population   int CHECK (population >= 0),
    ADD COLUMN postal_codes text[] NOT NULL DEFAULT '{}';

-- Every parent of a territory; territories.parent_code is the first of them.
CREATE TABLE territory_parents (
    code        text NOT NULL REFERENCES territories (code) ON DELETE CASCADE,
    parent_code text NOT NULL REFERENCES territories (code),
    PRIMARY KEY (code, parent_code),
    CONSTRAINT territory_parents_not_self CHECK (code <> parent_code)
);
CREATE INDEX territory_parents_parent_idx ON territory_parents (parent_code, code);
INSERT INTO territory_parents (code, parent_code)
    SELECT code, parent_code FROM territories WHERE parent_code IS NOT NULL;

-- The territory search: a folded name's prefix or part (trigrams), a code's
-- prefix, a postal code.
CREATE INDEX territories_name_trgm_idx ON territories USING gin (essor_fold(name) gin_trgm_ops);
CREATE INDEX territories_code_prefix_idx ON territories (code text_pattern_ops);
CREATE INDEX territories_postal_codes_idx ON territories USING gin (postal_codes);
`
