package admin

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// Reference data: themes and territories, listed publicly, managed by
// admins (the page /admin/referentiel in page_reference.go does the same).

// listThemes returns the themes (public), retired ones included: old
// records still name them.
func (s *Handlers) listThemes(c *fiber.Ctx) error {
	themes, _, err := s.Ref.Load(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(themes)
}

// territoryKinds are every kind a territory may have, for the list's filter.
var territoryKinds = []string{domain.KindRegion, domain.KindDepartement, storage.KindEPCI, storage.KindCommune, domain.KindEmploymentZone, "other"}

// maxTerritoryQuery bounds the search's q.
const maxTerritoryQuery = 100

// listTerritories returns the territories (public), retired ones included:
// all of them, of a kind and within a parent, from the cache; with q, the
// best matches of the search (at most 50). A mistake names its field.
func (s *Handlers) listTerritories(c *fiber.Ctx) error {
	ctx := c.UserContext()
	q := storage.TerritoryQuery{Kind: c.Query("kind"), Parent: strings.TrimSpace(c.Query("parent")), Q: strings.TrimSpace(c.Query("q"))}
	tree, err := s.Ref.Tree(ctx)
	if err != nil {
		return err
	}
	fe := domain.FieldErrors{}
	if q.Kind != "" && !slices.Contains(territoryKinds, q.Kind) {
		fe.Add("kind", "field.oneof", strings.Join(territoryKinds, ", "))
	}
	if _, ok := tree.Get(q.Parent); q.Parent != "" && !ok {
		fe.Add("parent", "field.unknown_territory")
	}
	if len([]rune(q.Q)) > maxTerritoryQuery {
		fe.Add("q", "field.max_len", strconv.Itoa(maxTerritoryQuery))
	}
	if err := fe.Err(); err != nil {
		return err
	}
	if q.Q != "" {
		list, err := s.DB.SearchTerritories(ctx, q)
		if err != nil {
			return err
		}
		return c.JSON(list)
	}
	_, territories, err := s.Ref.Load(ctx)
	if err != nil {
		return err
	}
	var inside map[string]bool
	if q.Parent != "" {
		inside = map[string]bool{}
		for _, code := range tree.Within(q.Parent)[1:] {
			inside[code] = true
		}
	}
	out := make([]storage.Territory, 0, len(territories))
	for _, t := range territories {
		if (q.Kind == "" || t.Kind == q.Kind) && (inside == nil || inside[t.Code]) {
			out = append(out, t)
		}
	}
	return c.JSON(out)
}

// apiCreateTheme adds a theme (admin).
func (s *Handlers) apiCreateTheme(c *fiber.Ctx) error {
	var in domain.NewTheme
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	th, err := s.createTheme(c, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(th)
}

// apiUpdateTheme renames, retires or restores a theme (admin).
func (s *Handlers) apiUpdateTheme(c *fiber.Ctx) error {
	var in domain.ThemeChange
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	th, err := s.updateTheme(c, c.Params("slug"), in)
	if err != nil {
		return err
	}
	return c.JSON(th)
}

// apiCreateTerritory adds a territory (admin).
func (s *Handlers) apiCreateTerritory(c *fiber.Ctx) error {
	var in domain.NewTerritory
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	te, err := s.createTerritory(c, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(te)
}

// apiUpdateTerritory renames, moves, retires or restores a territory (admin).
func (s *Handlers) apiUpdateTerritory(c *fiber.Ctx) error {
	var in domain.TerritoryChange
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	te, err := s.updateTerritory(c, c.Params("code"), in)
	if err != nil {
		return err
	}
	return c.JSON(te)
}

// The four changes, shared by the API and the page: each checks its input,
// writes, drops the reference cache so that the change shows at once, and
// leaves a line in the log (who changed what).

func (s *Handlers) createTheme(c *fiber.Ctx, in domain.NewTheme) (storage.Theme, error) {
	if err := in.Validate(); err != nil {
		return storage.Theme{}, err
	}
	th, err := s.DB.CreateTheme(c.UserContext(), in)
	if err != nil {
		return th, err
	}
	s.referenceChanged(c, "theme added", "slug", th.Slug)
	return th, nil
}

func (s *Handlers) updateTheme(c *fiber.Ctx, slug string, in domain.ThemeChange) (storage.Theme, error) {
	if err := in.Validate(); err != nil {
		return storage.Theme{}, err
	}
	th, err := s.DB.UpdateTheme(c.UserContext(), slug, in)
	if err != nil {
		return th, err
	}
	s.referenceChanged(c, "theme changed", "slug", th.Slug, "retired", th.Retired)
	return th, nil
}

// territoryNodes reads the territories as they are now (not the cache) for
// the parent checks.
func (s *Handlers) territoryNodes(ctx context.Context) (map[string]domain.TerritoryNode, error) {
	all, err := s.DB.Territories(ctx)
	if err != nil {
		return nil, err
	}
	nodes := make(map[string]domain.TerritoryNode, len(all))
	for _, t := range all {
		nodes[t.Code] = domain.TerritoryNode{Kind: t.Kind, Parent: t.Parent(), Retired: t.Retired}
	}
	return nodes, nil
}

func (s *Handlers) createTerritory(c *fiber.Ctx, in domain.NewTerritory) (storage.Territory, error) {
	nodes, err := s.territoryNodes(c.UserContext())
	if err != nil {
		return storage.Territory{}, err
	}
	if err := in.Validate(nodes); err != nil {
		return storage.Territory{}, err
	}
	te, err := s.DB.CreateTerritory(c.UserContext(), in)
	if err != nil {
		return te, err
	}
	s.referenceChanged(c, "territory added", "code", te.Code)
	return te, nil
}

func (s *Handlers) updateTerritory(c *fiber.Ctx, code string, in domain.TerritoryChange) (storage.Territory, error) {
	nodes, err := s.territoryNodes(c.UserContext())
	if err != nil {
		return storage.Territory{}, err
	}
	if _, ok := nodes[code]; !ok {
		return storage.Territory{}, storage.ErrNotFound
	}
	if err := in.Validate(code, nodes); err != nil {
		return storage.Territory{}, err
	}
	te, err := s.DB.UpdateTerritory(c.UserContext(), code, in)
	if err != nil {
		return te, err
	}
	s.referenceChanged(c, "territory changed", "code", te.Code, "retired", te.Retired)
	return te, nil
}

func (s *Handlers) referenceChanged(c *fiber.Ctx, what string, args ...any) {
	s.Ref.Invalidate()
	me, _ := kit.UserOf(c)
	s.Log.Info(what, append(args, "by", me.ID, "request_id", kit.RequestID(c))...)
}
