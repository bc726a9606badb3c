package server_test

import (
	"strings"
	"testing"

	"essor/internal/domain"
	"essor/internal/testenv"
)

// The committee over HTTP: stakes refused and left out of the quorum, the
// majority of votes cast, ballots secret until decided, and one list of
// every pending decision.
func TestCommitteeDecision(t *testing.T) {
	env := testenv.New(t)
	p := newPipeline(t, env) // submitted by "Mairie de Dole"
	c1 := env.Account(t, "Région", domain.RoleCommittee)
	c2 := env.Account(t, "État", domain.RoleCommittee)
	mayor := env.Account(t, "mairie de DOLE", domain.RoleCommittee)
	c4 := env.Account(t, "Caisse des dépôts", domain.RoleCommittee)
	p.act(p.officer, 200, map[string]any{"action": "qualify"})
	p.act(p.officer, 200, map[string]any{"action": "start_study", "due_date": "2099-03-01"})
	p.act(p.officer, 200, map[string]any{"action": "submit_study", "recommendation": "go", "summary": "Le modèle économique tient avec la CAF.", "budget_eur": 45000})

	var pending []map[string]any
	env.Do(t, "GET", "/api/v1/committee/pending", c1.Token, nil).Expect(t, 200).JSON(t, &pending)
	if len(pending) != 1 || pending[0]["subject"] != "need" || pending[0]["id"] != p.id || pending[0]["quorum"] != 2.0 ||
		pending[0]["votes_cast"] != 0.0 || pending[0]["my_vote"] != nil || !strings.HasPrefix(pending[0]["title"].(string), "Besoin") {
		t.Fatalf("pending %v (the mayor's organisation has a stake: 3 members count, quorum 2)", pending)
	}
	env.Do(t, "GET", "/api/v1/committee/pending", p.actor.Token, nil).Expect(t, 403)

	e := errorOf(t, p.env.Do(t, "POST", "/api/v1/needs/"+p.id+"/transitions", mayor.Token,
		map[string]any{"action": "vote", "decision": "approve"}).Expect(t, 403))
	if !strings.Contains(e.Message, "mairie de DOLE") || !strings.Contains(e.Message, "organisation") {
		t.Fatalf("403 should name the reason: %q", e.Message)
	}

	p.act(c1, 200, map[string]any{"action": "vote", "decision": "approve", "comment": "Mon avis reste secret"})
	votes := func(who testenv.Account) map[string]any {
		var ballots []map[string]any
		env.Do(t, "GET", "/api/v1/needs/"+p.id+"/votes", who.Token, nil).Expect(t, 200).JSON(t, &ballots)
		return ballots[0]
	}
	for _, who := range []testenv.Account{p.actor, c2, p.officer} {
		if b := votes(who); len(b["votes"].([]any)) != 0 || b["votes_cast"] != 1.0 {
			t.Fatalf("an open ballot shows votes to %s: %v", who.Organisation, b)
		}
		var evs []map[string]any
		env.Do(t, "GET", "/api/v1/needs/"+p.id+"/events", who.Token, nil).Expect(t, 200).JSON(t, &evs)
		for _, e := range evs {
			if e["action"] == "vote" {
				t.Fatalf("an open ballot's vote shows in the trail of %s (voter and time included): %v", who.Organisation, e)
			}
		}
	}
	var own []map[string]any
	env.Do(t, "GET", "/api/v1/needs/"+p.id+"/events", c1.Token, nil).Expect(t, 200).JSON(t, &own)
	if last := own[len(own)-1]; last["action"] != "vote" || last["actor"] != c1.ID {
		t.Fatalf("a member does not find their own vote in the trail: %v", last)
	}
	if b := votes(c1); len(b["votes"].([]any)) != 1 || b["votes"].([]any)[0].(map[string]any)["decision"] != "approve" {
		t.Fatalf("a member does not see their own vote: %v", b)
	}
	admin := env.Account(t, "Essor", domain.RoleAdmin)
	export := string(env.Do(t, "GET", "/api/v1/admin/users/"+c1.ID+"/export", admin.Token, nil).Expect(t, 200).Body)
	if strings.Contains(export, "Mon avis reste secret") || !strings.Contains(export, `"secret"`) {
		t.Fatalf("the personal-data export shows an open ballot's vote: %s", export)
	}
	page := newBrowser(t, env)
	page.signIn(p.actor.Email, p.actor.Password)
	page.get("/besoins/"+p.id).expect(t, 200, "Vote en cours : 1 vote exprimé (quorum : ").lacks(t, "Mon avis reste secret", c1.Name)

	// A tie under the majority rule waits; the third vote decides.
	if n := p.act(c2, 200, map[string]any{"action": "vote", "decision": "reject"}); n["stage"] != "committee" {
		t.Fatalf("a tie decided: %v", n["stage"])
	}
	member := newBrowser(t, env)
	member.signIn(c4.Email, c4.Password)
	member.get("/comite").expect(t, 200, pending[0]["title"].(string))
	if n := p.act(c4, 200, map[string]any{"action": "vote", "decision": "approve"}); n["stage"] != "carrier_search" {
		t.Fatalf("two approvals of three votes cast: %v", n["stage"])
	}
	if b := votes(p.actor); len(b["votes"].([]any)) != 3 || b["outcome"] != "approve" {
		t.Fatalf("a decided ballot shows its votes: %v", b)
	}
	env.Do(t, "GET", "/api/v1/committee/pending", c1.Token, nil).Expect(t, 200).JSON(t, &pending)
	if len(pending) != 0 {
		t.Fatalf("still pending: %v", pending)
	}
}
