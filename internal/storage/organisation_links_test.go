package storage_test

import (
	"testing"
	"time"

	"essor/internal/domain"
	"essor/internal/testdb"
)

// TestUnlinkedLabels: the names typed on records without a directory record
// are listed by name with their counts and the closest records, a page at a
// time; linking one links every record bearing it (accounts only for an
// admin) and takes it off the list.
func TestUnlinkedLabels(t *testing.T) {
	db, _ := testdb.Fresh(t)
	dole := mustUser(t, db, "Mairie de Dole", domain.RoleActor)
	mustUser(t, db, "Centre social", domain.RoleActor)
	mustNeed(t, db, dole, "Épicerie solidaire", "Aucun commerce de proximité dans le village depuis deux ans.", "39", time.Now())
	mustNeed(t, db, dole, "Garde de nuit", "Pas de garde pour les parents qui travaillent la nuit à Dole.", "39", time.Now())
	org := mustOrganisation(t, db, "Mairie de Dole", nil, nil, "")
	mustOrganisation(t, db, "Mairie de Dôle-sur-Loue", nil, nil, "")

	page, next, err := db.UnlinkedLabels(ctx, "", 1)
	if err != nil || len(page) != 1 || page[0].Label != "Centre social" || next != "Centre social" {
		t.Fatalf("first page: %+v %q %v", page, next, err)
	}
	page, next, err = db.UnlinkedLabels(ctx, next, 1)
	if err != nil || len(page) != 1 || next != "" {
		t.Fatalf("second page: %+v %q %v", page, next, err)
	}
	l := page[0]
	if l.Label != "Mairie de Dole" || l.Counts["accounts"] != 1 || l.Counts["needs"] != 2 {
		t.Fatalf("counts: %+v", l)
	}
	if len(l.Candidates) == 0 || l.Candidates[0].ID != org.ID {
		t.Fatalf("closest: %+v", l.Candidates)
	}

	linked, err := db.LinkLabel(ctx, "Mairie de Dole", org.ID, false)
	if err != nil || linked["needs"] != 2 || linked["accounts"] != 0 {
		t.Fatalf("an officer links: %v %v", linked, err)
	}
	if page, _, _ := db.UnlinkedLabels(ctx, "Centre social", 10); len(page) != 1 || page[0].Counts["needs"] != 0 || page[0].Counts["accounts"] != 1 {
		t.Fatalf("the account waits for an admin: %+v", page)
	}
	if linked, err := db.LinkLabel(ctx, "Mairie de Dole", org.ID, true); err != nil || linked["accounts"] != 1 {
		t.Fatalf("an admin links: %v %v", linked, err)
	}
	if page, _, _ := db.UnlinkedLabels(ctx, "Centre social", 10); len(page) != 0 {
		t.Fatalf("still listed: %+v", page)
	}
}
