package storage_test

import (
	"slices"
	"testing"
	"time"

	"essor/internal/domain"
	"essor/internal/storage"
	"essor/internal/testdb"
)

// The territories of the open data: a tree where a territory may have
// several parents, and whose filters include everything inside.
func TestTerritoryTree(t *testing.T) {
	db, _ := testdb.Fresh(t)

	t.Run("open data loaded", func(t *testing.T) {
		count := map[string]int{}
		rows, err := db.Pool.Query(ctx, "SELECT kind, count(*)::int FROM territories GROUP BY kind")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				t.Fatal(err)
			}
			count[k] = n
		}
		if count["commune"] != 1692 || count["epci"] != 51 || count["region"] != 1 || count["departement"] != 4 || count["employment_zone"] != 10 {
			t.Fatalf("territories by kind %v", count)
		}
		var orphans int
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM territories t WHERE t.parent_code IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM territory_parents p WHERE p.code = t.code AND p.parent_code = t.parent_code)`).Scan(&orphans); err != nil || orphans != 0 {
			t.Fatalf("%d first parents missing from territory_parents (%v)", orphans, err)
		}
	})

	t.Run("ancestors", func(t *testing.T) {
		for code, want := range map[string][]string{
			"39198":      {"39198", "200010650", "39", "27"}, // Dole: its EPCI and département, then the region
			"ze-belfort": {"ze-belfort", "25", "70", "90", "27"},
			"200041887":  {"200041887", "25", "70", "27"}, // an EPCI across two départements
			"27":         {"27"},
		} {
			got, err := db.TerritoryAncestors(ctx, code)
			if err != nil || !slices.Equal(got, want) {
				t.Errorf("ancestors of %s: %v %v, want %v", code, got, err, want)
			}
		}
		if _, err := db.TerritoryAncestors(ctx, "nulle-part"); !domain.IsCode(err, domain.CodeNotFound) {
			t.Errorf("unknown territory: %v", err)
		}
	})

	t.Run("cached tree", func(t *testing.T) {
		tree, err := storage.NewReference(db, time.Hour).Tree(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := tree.Ancestors("39198"); !slices.Equal(got, []string{"39198", "39", "200010650", "27"}) {
			t.Errorf("cached ancestors of Dole %v", got)
		}
		in25 := tree.Within("25")
		for _, code := range []string{"ze-belfort", "ze-besancon", "242500361", "25056", "200041887"} {
			if !slices.Contains(in25, code) {
				t.Errorf("%s not within 25", code)
			}
		}
		if slices.Contains(in25, "39198") || slices.Contains(in25, "90") {
			t.Error("the Doubs holds what it does not")
		}
		if got := tree.Place("39198"); got != "Dole — CA du Grand Dole, Jura" {
			t.Errorf("place of Dole %q", got)
		}
		if p := tree.Population("90"); p < 130_000 || p > 150_000 {
			t.Errorf("population of the Territoire de Belfort %d", p)
		}
		dole, _ := tree.Get("39198")
		if dole.EpciCode == nil || *dole.EpciCode != "200010650" || dole.Population == nil || !slices.Contains(dole.PostalCodes, "39100") {
			t.Errorf("Dole %+v", dole)
		}
	})

	t.Run("filters include everything inside", func(t *testing.T) {
		alice := mustUser(t, db, "Mairie de Belfort", domain.RoleActor)
		zone := mustNeed(t, db, alice, "Mobilité des saisonniers", "Aucun transport entre Belfort et Montbéliard pour les horaires de nuit.", "ze-belfort", time.Now())
		besancon := mustNeed(t, db, alice, "Épicerie solidaire", "Le quartier de Planoise n'a plus d'épicerie solidaire depuis deux ans.", "25056", time.Now())
		epci := mustNeed(t, db, alice, "Tiers-lieu rural", "Les communes du Val Marnaysien n'ont aucun lieu de travail partagé.", "200041887", time.Now())
		dole := mustNeed(t, db, alice, "Garde d'enfants", "Les parents travaillant en horaires décalés à Dole n'ont aucune solution.", "39198", time.Now())
		ids := func(territory string) []string {
			rows, _, err := db.Needs(ctx, storage.NeedFilter{Territory: territory})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range rows {
				out = append(out, r.ID)
			}
			slices.Sort(out)
			return out
		}
		sorted := func(ids ...string) []string { slices.Sort(ids); return ids }
		for territory, want := range map[string][]string{
			"25":          sorted(zone.ID, besancon.ID, epci.ID),
			"90":          {zone.ID},
			"70":          sorted(zone.ID, epci.ID),
			"39":          {dole.ID},
			"200010650":   {dole.ID},
			"39198":       {dole.ID},
			"27":          sorted(zone.ID, besancon.ID, epci.ID, dole.ID),
			"ze-besancon": nil,
		} {
			if got := ids(territory); !slices.Equal(got, want) {
				t.Errorf("?territory=%s lists %v, want %v", territory, got, want)
			}
		}
		counts, err := db.CountByStage(ctx, storage.CountFilter{Territory: "25"})
		if err != nil || counts[domain.StageCaptured] != 3 {
			t.Errorf("counts in 25: %v %v", counts, err)
		}
		board, err := db.BoardNeeds(ctx, domain.ActiveStages, 10, storage.CountFilter{Territory: "70"})
		if err != nil || len(board) != 2 {
			t.Errorf("board of 70: %d needs, %v", len(board), err)
		}
	})

	t.Run("search", func(t *testing.T) {
		first := func(q storage.TerritoryQuery) string {
			list, err := db.SearchTerritories(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) == 0 {
				return ""
			}
			return list[0].Code
		}
		for q, want := range map[string]string{
			"besancon":     "25056", // accents folded
			"BESANÇON":     "25056",
			"25000":        "25056", // a postal code
			"39198":        "39198", // an INSEE code
			"saint claude": "39478", // words across a hyphen
			"dole":         "39198", // the exact name before the names containing it
			"%":            "",
			"montbé":       "25388",
		} {
			if got := first(storage.TerritoryQuery{Q: q, Kind: storage.KindCommune}); got != want {
				t.Errorf("q=%q finds %s first, want %s", q, got, want)
			}
		}
		epcis, err := db.SearchTerritories(ctx, storage.TerritoryQuery{Kind: storage.KindEPCI, Parent: "90"})
		if err != nil || len(epcis) != 3 {
			t.Errorf("EPCIs of 90: %d %v", len(epcis), err)
		}
		all, err := db.SearchTerritories(ctx, storage.TerritoryQuery{Parent: "25", Kind: storage.KindCommune, Limit: 500})
		if err != nil || len(all) != storage.MaxTerritorySearch {
			t.Errorf("a search is bounded: %d %v", len(all), err)
		}
		if got := first(storage.TerritoryQuery{Q: "dole", Parent: "25"}); got != "" {
			t.Errorf("Dole found in the Doubs: %s", got)
		}
	})

	t.Run("admin changes keep the parents in step", func(t *testing.T) {
		te, err := db.CreateTerritory(ctx, domain.NewTerritory{Code: "ze-champagnole", Name: "Champagnole", Kind: domain.KindEmploymentZone, ParentCode: "39"})
		if err != nil || !slices.Equal(te.ParentCodes, []string{"39"}) {
			t.Fatalf("created %+v %v", te, err)
		}
		to := "25"
		te, err = db.UpdateTerritory(ctx, "ze-belfort", domain.TerritoryChange{ParentCode: &to})
		if err != nil || te.Parent() != "25" || !slices.Equal(te.ParentCodes, []string{"25", "70"}) {
			t.Fatalf("moved ze-belfort %+v %v", te, err)
		}
		none := ""
		te, err = db.UpdateTerritory(ctx, "ze-champagnole", domain.TerritoryChange{ParentCode: &none})
		if err != nil || te.ParentCode != nil || len(te.ParentCodes) != 0 {
			t.Fatalf("parent removed %+v %v", te, err)
		}
		if got, _ := db.TerritoryAncestors(ctx, "ze-belfort"); !slices.Equal(got, []string{"ze-belfort", "25", "70", "27"}) {
			t.Errorf("ancestors after the move %v", got)
		}
	})
}
