package demo

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"essor/internal/domain"
)

// demoStudy is a Fonds de confiance study-action of the demo and how far it goes.
type demoStudy struct {
	host, title, summary, sponsor string
	months                        int
	region, cdc, private          float64
	need                          int    // index of the need it answers in demoNeeds, -1 for none
	upTo                          string // application, committee, study, enterprise_created
}

var demoStudies = []demoStudy{
	{"Menuiserie solidaire du Jura", "Recyclerie de meubles à Lons-le-Saunier",
		"Une recyclerie de meubles portée par une entrepreneuse sociale accueillie dans les ateliers de la menuiserie : collecte, rénovation et revente à prix solidaire.",
		"Réseau des entrepreneurs sociaux du Jura", 6, 20000, 15000, 5000, -1, "enterprise_created"},
	{"Transports Girard", "Garage solidaire à Vesoul",
		"Un garage solidaire pour les personnes en insertion qui ont besoin d'une voiture pour travailler, étudié avec un entrepreneur social accueilli par l'entreprise de transport.",
		"Mobilités solidaires Bourgogne-Franche-Comté", 8, 25000, 20000, 0, -1, "study"},
	{"Boulangerie Coopérative de Lure", "Épicerie solidaire itinérante",
		"Une épicerie solidaire en camion pour les villages sans commerce, étudiée pendant sept mois avec la boulangerie qui prête son local et son véhicule.",
		"Tête de réseau des épiceries solidaires", 7, 18000, 10000, 4000, -1, "committee"},
	{"Imprimerie Dubois", "Tiers-lieu numérique à Pontarlier",
		"Un tiers-lieu d'accompagnement au numérique pour les aînés, avec un porteur de projet hébergé par l'imprimerie.",
		"Collectif des tiers-lieux du Doubs", 6, 15000, 0, 6000, -1, "application"},
}

// studies takes the demo's study-actions where they stand, over the API,
// with keys derived from the study-action and the step (a second run
// changes nothing).
func (d *demo) studies() error {
	for i, s := range demoStudies {
		key := fmt.Sprintf("essor-demo-2026-fonds-%02d", i)
		financing := []map[string]any{{"funder": "Région Bourgogne-Franche-Comté", "kind": "region", "amount_eur": s.region}}
		if s.cdc > 0 {
			financing = append(financing, map[string]any{"funder": "Caisse des dépôts – Fonds de confiance", "kind": "cdc", "amount_eur": s.cdc})
		}
		if s.private > 0 {
			financing = append(financing, map[string]any{"funder": "Fondation Crédit Coopératif", "kind": "private", "amount_eur": s.private})
		}
		sa, err := d.call("POST", "/api/v1/study-actions", "acteur", key, map[string]any{"host_company": s.host,
			"project_title": s.title, "summary": s.summary, "sponsor": s.sponsor, "duration_months": s.months, "financing": financing})
		if err != nil {
			return fmt.Errorf("« %s » : %w", s.title, err)
		}
		id := sa["id"].(string)
		act := func(step int, who string, body map[string]any) error {
			next, err := d.call("POST", "/api/v1/study-actions/"+id+"/transitions", who, fmt.Sprintf("%s-%02d", key, step), body)
			var de demoError
			if errors.As(err, &de) && de.status == http.StatusConflict { // passed already (a second run)
				next, err = d.call("GET", "/api/v1/study-actions/"+id, who, "", nil)
			}
			if err == nil {
				sa = next
			}
			return err
		}
		steps := []func() error{}
		if s.upTo != "application" {
			steps = append(steps, func() error {
				return act(1, "charge", map[string]any{"action": "appraise", "recommendation": "favourable",
					"opinion": "Profil du porteur solide, entreprise d'accueil très motivée, calendrier tenable et cofinancement réuni."})
			})
		}
		if s.upTo == "study" || s.upTo == "enterprise_created" {
			steps = append(steps,
				func() error { return act(2, "comite1", map[string]any{"action": "vote", "decision": "approve"}) },
				func() error { return act(3, "comite2", map[string]any{"action": "vote", "decision": "approve"}) },
				func() error {
					// The study starts the day of the approval (stable from one run to the next).
					approved, err := time.Parse(time.RFC3339Nano, fmt.Sprint(sa["approved_at"]))
					if err != nil {
						return fmt.Errorf("approved_at %v: %w", sa["approved_at"], err)
					}
					start := string(domain.DayOf(approved))
					return act(4, "charge", map[string]any{"action": "recruit", "carrier_name": "Nora Benali", "start_date": start})
				},
				func() error {
					return act(5, "acteur", map[string]any{"action": "report", "month": 1,
						"text": "Premier mois : étude du besoin, rencontre des partenaires et recherche d'un local."})
				})
		}
		if s.upTo == "enterprise_created" {
			steps = append(steps, func() error {
				return act(6, "charge", map[string]any{"action": "conclude", "outcome": "enterprise_created", "legal_form": "scic",
					"jobs_created": 3.5, "enterprise_name": "SCIC " + s.title})
			})
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return fmt.Errorf("« %s » : %w", s.title, err)
			}
		}
		fmt.Fprintf(d.out, "%-52s %s\n", s.title, sa["stage"])
	}
	return nil
}
