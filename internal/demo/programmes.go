package demo

import (
	"errors"
	"fmt"
	"net/http"
)

// programmes adds to the demo a call for projects open to territories (one
// application) and a Rally'nov round in its identification phase (two
// entries, one scored): dates fixed on the plan's 2026–2027 calendar, keys
// derived from the step, so a second run changes nothing; a step the
// calendar no longer allows (a later run) is skipped.
func (d *demo) programmes() error {
	call, err := d.call("POST", "/api/v1/calls", "charge", "essor-demo-2026-appel-1", map[string]any{
		"title":       "Territoires d'expérimentation du transport solidaire",
		"description": "La Région et la FCA cherchent trois territoires pour expérimenter un transport solidaire à la demande, porté par des bénévoles et une structure de l'ESS.",
		"opens_at":    "2026-11-02", "closes_at": "2027-02-26"})
	var de demoError
	switch {
	case errors.As(err, &de) && de.status == http.StatusUnprocessableEntity: // a fresh base after its closing date
		fmt.Fprintln(d.out, "appel à projets de démonstration : ses dates sont passées, il n'est pas créé")
	case err != nil:
		return fmt.Errorf("appel à projets : %w", err)
	default:
		if err := d.applyToCall(call); err != nil {
			return err
		}
	}
	return d.round()
}

// applyToCall applies to the demo call for a territory.
func (d *demo) applyToCall(call map[string]any) error {
	if _, err := d.call("POST", "/api/v1/calls/"+call["id"].(string)+"/applications", "acteur", "essor-demo-2026-appel-1-candidature",
		map[string]any{"territory_code": "ze-dole", "motivation": "Un réseau de chauffeurs bénévoles existe déjà autour de Dole ; la mairie met un véhicule à disposition."}); skipPassed(err) != nil {
		return fmt.Errorf("candidature à l'appel : %w", err)
	}
	fmt.Fprintf(d.out, "%-52s %s\n", call["title"], call["stage"])
	return nil
}

// round adds the Rally'nov round, two entries and one score sheet.
func (d *demo) round() error {
	phases := []map[string]any{
		{"phase": "characterisation", "starts_at": "2026-02-02", "ends_at": "2026-04-30"},
		{"phase": "organisation", "starts_at": "2026-05-04", "ends_at": "2026-09-30"},
		{"phase": "launch", "starts_at": "2026-11-05", "ends_at": "2026-11-20"},
		{"phase": "identification", "starts_at": "2026-11-05", "ends_at": "2027-03-31"},
		{"phase": "stages", "starts_at": "2027-04-05", "ends_at": "2027-06-30"},
		{"phase": "closing", "starts_at": "2027-11-18", "ends_at": "2027-11-19"},
	}
	round, err := d.call("POST", "/api/v1/rally/rounds", "organisateur", "essor-demo-2026-rallye", map[string]any{
		"title": "Rally'nov 2026-2027", "phases": phases, "categories": []string{"Emploi et insertion", "Environnement"},
		"criteria": []map[string]any{{"key": "utilite", "label": "Utilité sociale", "weight": 3},
			{"key": "innovation", "label": "Caractère innovant", "weight": 2}, {"key": "viabilite", "label": "Viabilité économique", "weight": 2}}})
	if err != nil {
		return fmt.Errorf("édition du Rally'nov : %w", err)
	}
	id := round["id"].(string)
	for i, e := range []map[string]any{
		{"organisation": "Scierie Martin", "kind": "classical", "category": "Environnement", "title": "Copeaux pour chaufferies collectives",
			"description": "La scierie transforme ses copeaux en combustible pour les chaufferies des communes voisines, avec des salariés en insertion."},
		{"organisation": "Régie de quartier de Planoise", "kind": "ess", "category": "Emploi et insertion", "title": "Conciergerie de quartier",
			"description": "Une conciergerie qui emploie des habitants du quartier pour les petits services aux familles et aux aînés."},
	} {
		entry, err := d.call("POST", "/api/v1/rally/rounds/"+id+"/entries", "acteur2", fmt.Sprintf("essor-demo-2026-rallye-%d", i), e)
		if skipPassed(err) != nil {
			return fmt.Errorf("candidature au Rally'nov : %w", err)
		}
		if i == 0 && entry != nil {
			if _, err := d.call("POST", "/api/v1/rally/rounds/"+id+"/entries/"+entry["id"].(string)+"/scores", "jury",
				"essor-demo-2026-rallye-note", map[string]any{"scores": map[string]any{"utilite": 8, "innovation": 7, "viabilite": 6}}); skipPassed(err) != nil {
				return fmt.Errorf("notes du Rally'nov : %w", err)
			}
		}
	}
	fmt.Fprintf(d.out, "%-52s %v\n", round["title"], round["current_phase"])
	return nil
}

// skipPassed forgives a 409: the calendar no longer allows the step (a later run).
func skipPassed(err error) error {
	var de demoError
	if errors.As(err, &de) && de.status == http.StatusConflict {
		return nil
	}
	return err
}
