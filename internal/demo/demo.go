// Package demo fills a running Essor with a living product to look at:
// needs of the region's plan moved through every stage, a call, a round
// and study-actions, all through the HTTP API.
package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"essor/internal/domain"
)

// Run fills a running Essor (make run) with a few dozen needs from the
// region's plan, moved through every stage by the real workflows, over the
// HTTP API and with the demo accounts (make demo-accounts). Every request
// carries an Idempotency-Key derived from the need and the step, so running
// it again changes nothing: the first responses are replayed, and a step a
// need has already passed is skipped.
func Run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stdout)
	base := fs.String("url", envOr("ESSOR_DEMO_URL", "http://localhost:8080"), "address of the running Essor")
	password := fs.String("password", "essor-demo-2026", "password of the demo accounts")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return UsageError{"demo : " + err.Error()}
	}
	d := &demo{ctx: ctx, base: strings.TrimRight(*base, "/"), hc: &http.Client{Timeout: 60 * time.Second}, tokens: map[string]string{}}
	for _, who := range []string{"acteur", "acteur2", "charge", "comite1", "comite2", "comite3", "organisateur", "jury"} {
		if err := d.signIn(who, *password); err != nil {
			return fmt.Errorf("demo : %s@essor.local : %w (make demo-accounts crée les comptes)", who, err)
		}
	}
	ids := make([]string, len(demoNeeds))
	for i, n := range demoNeeds {
		need, err := d.run(i, n, ids)
		if err != nil {
			return fmt.Errorf("demo : « %s » : %w", n.title, err)
		}
		ids[i] = need["id"].(string)
		fmt.Fprintf(stdout, "%-52s %s\n", n.title, need["stage"])
	}
	d.out = stdout
	if err := d.studies(); err != nil { // demo_studyactions.go
		return fmt.Errorf("demo : %w", err)
	}
	if err := d.programmes(); err != nil { // demo_programmes.go
		return fmt.Errorf("demo : %w", err)
	}
	fmt.Fprintf(stdout, "\n%d besoins et %d études-actions de démonstration sur %s (comptes *@essor.local, mot de passe %s)\n",
		len(demoNeeds), len(demoStudies), d.base, *password)
	return nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

type demo struct {
	ctx    context.Context
	base   string
	hc     *http.Client
	tokens map[string]string // by account (acteur, charge, comite1…)
	out    io.Writer
}

// demoError is an answer other than the one hoped for.
type demoError struct {
	status int
	body   string
}

func (e demoError) Error() string { return fmt.Sprintf("%d %s", e.status, e.body) }

func (d *demo) call(method, path, who, key string, body any) (map[string]any, error) {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(d.ctx, method, d.base+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if t := d.tokens[who]; t != "" {
		req.Header.Set("Authorization", "Bearer "+t)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := d.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return nil, demoError{resp.StatusCode, string(raw)}
	}
	var m map[string]any
	return m, json.Unmarshal(raw, &m)
}

func (d *demo) signIn(who, password string) error {
	m, err := d.call("POST", "/api/v1/sessions", "", "", map[string]string{"email": who + "@essor.local", "password": password})
	if err != nil {
		return err
	}
	d.tokens[who], _ = m["token"].(string)
	return nil
}

// step is one action of the pipeline, by an account, its body read from
// the need as it stands (a carrier's id) and the ids of the needs before.
type step struct {
	who    string
	action domain.Action
	body   func(need map[string]any, ids []string) map[string]any
}

// run submits a demo need and takes it to its stage.
func (d *demo) run(i int, n demoNeed, ids []string) (map[string]any, error) {
	key := fmt.Sprintf("essor-demo-2026-%02d", i)
	need, err := d.call("POST", "/api/v1/needs", n.by, key, map[string]any{"title": n.title, "description": n.description,
		"theme": n.theme, "territory_code": n.territory, "beneficiaries": n.beneficiaries, "organisation": n.organisation})
	if err != nil {
		return nil, err
	}
	id := need["id"].(string)
	for j, st := range stepsTo(n) {
		key := fmt.Sprintf("%s-%02d-%s", key, j, st.action)
		var next map[string]any
		if st.action == domain.ActionSupport {
			next, err = d.call("POST", "/api/v1/needs/"+id+"/supports", st.who, key, nil)
		} else {
			body := st.body(need, ids)
			body["action"] = string(st.action)
			next, err = d.call("POST", "/api/v1/needs/"+id+"/transitions", st.who, key, body)
		}
		var de demoError
		if errors.As(err, &de) && de.status == http.StatusConflict { // passed already (a second run)
			next, err = d.call("GET", "/api/v1/needs/"+id, st.who, "", nil)
		}
		if err != nil {
			return nil, fmt.Errorf("%s : %w", st.action, err)
		}
		need = next
	}
	return need, nil
}

func text(pairs ...string) func(map[string]any, []string) map[string]any {
	return func(map[string]any, []string) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(pairs); i += 2 {
			m[pairs[i]] = pairs[i+1]
		}
		return m
	}
}

// stepsTo lists the actions that take a need from its submission to the
// demo's stage for it, by the demo accounts.
func stepsTo(n demoNeed) []step {
	budget := 20000 + float64(len(n.title)%7)*5000
	var out []step
	add := func(s ...step) { out = append(out, s...) }
	if n.supported {
		add(step{who: other(n.by), action: domain.ActionSupport})
	}
	switch n.stage {
	case domain.StageCaptured:
		return out
	case domain.StageAwaitingInfo:
		return append(out, step{"charge", domain.ActionRequestInfo, text("comment",
			"Pouvez-vous préciser combien de familles sont concernées et ce qui existe déjà à proximité ?")})
	case domain.StageRejected:
		return append(out, step{"charge", domain.ActionReject, text("reason",
			"Le besoin est déjà couvert par le service départemental, qui vient d'étendre ses horaires.")})
	case domain.StageMerged:
		return append(out, step{"charge", domain.ActionMerge, func(_ map[string]any, ids []string) map[string]any {
			return map[string]any{"into": ids[n.into], "comment": "Même besoin, remonté par une autre structure du territoire."}
		}})
	}
	add(step{"charge", domain.ActionRequestInfo, text("comment", "Quels partenaires avez-vous déjà rencontrés ?")},
		step{n.by, domain.ActionProvideInfo, text("comment", "Le CCAS, la mission locale et deux associations de quartier.")},
		step{"charge", domain.ActionQualify, text("comment", "Utilité sociale avérée, aucune offre équivalente sur le territoire.")})
	if n.stage == domain.StageQualified {
		return out
	}
	if n.stage == domain.StageAbandoned {
		return append(out, step{"charge", domain.ActionAbandon, text("reason",
			"Les partenaires locaux se sont retirés ; le besoin sera réexaminé l'an prochain.")})
	}
	add(step{"charge", domain.ActionStartStudy, text("due_date", "2027-06-30", "comment", "Étude confiée à la FCA, avec la CRESS.")})
	if n.stage == domain.StageFeasibility {
		return out
	}
	add(step{"charge", domain.ActionSubmitStudy, func(map[string]any, []string) map[string]any {
		return map[string]any{"recommendation": "go", "budget_eur": budget, "summary": "Modèle économique viable avec " +
			"des recettes d'usagers et un soutien public dégressif sur trois ans ; deux porteurs possibles identifiés."}
	}})
	add(step{"comite1", domain.ActionVote, text("decision", "approve", "comment", "Projet solide, bien ancré localement.")})
	if n.stage == domain.StageCommittee {
		return out
	}
	add(step{"comite2", domain.ActionVote, text("decision", "approve")})
	if n.stage == domain.StageCarrierSearch {
		return append(out, step{other(n.by), domain.ActionProposeCarrier, text("organisation", n.carrier,
			"contact", "direction@"+slug(n.carrier)+".fr", "motivation", "Nous portons déjà un service voisin et pouvons recruter sur place.")})
	}
	add(step{other(n.by), domain.ActionProposeCarrier, text("organisation", n.carrier,
		"contact", "direction@"+slug(n.carrier)+".fr", "motivation", "Nous portons déjà un service voisin et pouvons recruter sur place.")},
		step{"charge", domain.ActionStartPilot, func(need map[string]any, _ []string) map[string]any {
			return map[string]any{"carrier_id": liveCarrier(need), "territories": []string{n.territory},
				"start_date": "2026-01-05", "end_date": "2026-12-18", "budget_eur": budget,
				"indicators": []map[string]any{
					{"key": "beneficiaires", "label": "Personnes accompagnées", "target": 120, "unit": "personnes"},
					{"key": "emplois", "label": "Emplois créés", "target": 3, "unit": "ETP"}}}
		}},
		step{"charge", domain.ActionRecordIndicator, func(map[string]any, []string) map[string]any {
			return map[string]any{"key": "beneficiaires", "value": 64, "at": "2026-06-30"}
		}})
	if n.stage == domain.StagePilot {
		return out
	}
	add(step{"charge", domain.ActionDeploy, func(map[string]any, []string) map[string]any {
		return map[string]any{"evaluation": map[string]any{
			"results":        []map[string]any{{"key": "beneficiaires", "value": 131}, {"key": "emplois", "value": 3.5}},
			"lessons":        "Le service a trouvé son public en six mois ; le transport des bénévoles reste le point fragile.",
			"recommendation": "deploy"}, "territories": n.spread}
	}})
	if n.stage == domain.StageDeployment {
		return out
	}
	return append(out, step{"charge", domain.ActionComplete, func(map[string]any, []string) map[string]any {
		return map[string]any{"structure": map[string]any{"name": n.carrier, "legal_form": "scic", "origin": "created"},
			"jobs_created": 3.5, "funders": []map[string]any{
				{"kind": "region", "name": "Région Bourgogne-Franche-Comté", "amount_eur": budget},
				{"kind": "cdc", "name": "Caisse des dépôts", "amount_eur": budget / 2},
				{"kind": "fca", "name": "France Active Franche-Comté", "amount_eur": 15000}}}
	}})
}

// liveCarrier is the id of the need's first proposal not declined.
func liveCarrier(need map[string]any) string {
	list, _ := need["carriers"].([]any)
	for _, c := range list {
		if m, ok := c.(map[string]any); ok && m["declined"] != true {
			id, _ := m["id"].(string)
			return id
		}
	}
	return ""
}

func other(actor string) string {
	if actor == "acteur" {
		return "acteur2"
	}
	return "acteur"
}

func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune("éèêë", r):
			b.WriteRune('e')
		case strings.ContainsRune("àâ", r):
			b.WriteRune('a')
		case r == ' ' || r == '-':
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
				b.WriteRune('-')
			}
		}
	}
	return strings.Trim(b.String(), "-")
}

// UsageError is a mistake in the command line (exit status 2).
type UsageError struct{ Msg string }

func (e UsageError) Error() string { return e.Msg }
