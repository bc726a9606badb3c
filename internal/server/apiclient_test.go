package server_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"essor/internal/apiclient"
	"essor/internal/domain"
	"essor/internal/testenv"
)

// TestGeneratedClient drives the API through the Go client oapi-codegen
// generates from the published document (make lint checks it is current):
// the contract a partner's tool uses is the one the server keeps.
func TestGeneratedClient(t *testing.T) {
	env := testenv.New(t)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	as := func(a testenv.Account) *apiclient.ClientWithResponses {
		c, err := apiclient.NewClientWithResponses(env.URL, apiclient.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+a.Token)
			return nil
		}))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ctx := context.Background()

	themes, err := as(actor).ListThemesWithResponse(ctx)
	if err != nil || themes.JSON200 == nil || len(*themes.JSON200) == 0 {
		t.Fatalf("themes: %v %v", err, themes.Status())
	}
	beneficiaries := 40
	created, err := as(actor).CreateNeedWithResponse(ctx, nil, apiclient.Submission{
		Title: "Transport solidaire vers les soins", Description: "Les habitants des villages sans voiture renoncent à leurs rendez-vous médicaux.",
		Theme: *(*themes.JSON200)[0].Slug, TerritoryCode: "39", Beneficiaries: &beneficiaries})
	if err != nil || created.JSON201 == nil {
		t.Fatalf("create: %v %s %s", err, created.Status(), created.Body)
	}
	id := *created.JSON201.Id
	if created.JSON201.Stage == nil || *created.JSON201.Stage != "captured" {
		t.Fatalf("stage %v", created.JSON201.Stage)
	}

	qualified, err := as(officer).TransitionNeedWithResponse(ctx, id, nil, apiclient.Transition{Action: apiclient.TransitionActionQualify})
	if err != nil || qualified.JSON200 == nil || *qualified.JSON200.Stage != "qualified" {
		t.Fatalf("qualify: %v %s %s", err, qualified.Status(), qualified.Body)
	}
	due := openapi_types.Date{Time: time.Now().AddDate(0, 2, 0)}
	studied, err := as(officer).TransitionNeedWithResponse(ctx, id, nil, apiclient.Transition{Action: apiclient.TransitionActionStartStudy, DueDate: &due})
	if err != nil || studied.JSON200 == nil || studied.JSON200.Study == nil || studied.JSON200.Study.LedBy == nil {
		t.Fatalf("start study: %v %s %s", err, studied.Status(), studied.Body)
	}
	// A refusal arrives as the document's error, with its French message.
	refused, err := as(actor).TransitionNeedWithResponse(ctx, id, nil, apiclient.Transition{Action: apiclient.TransitionActionQualify})
	if err != nil || refused.JSON403 == nil && refused.JSON409 == nil {
		t.Fatalf("refusal: %v %s %s", err, refused.Status(), refused.Body)
	}

	page, err := as(officer).ListNeedsWithResponse(ctx, &apiclient.ListNeedsParams{})
	if err != nil || page.JSON200 == nil || len(page.JSON200.Items) != 1 {
		t.Fatalf("list: %v %s %s", err, page.Status(), page.Body)
	}
	if got := page.JSON200.Items[0].Id; got == nil || *got != id {
		t.Fatalf("listed %v, want %v", got, id)
	}
}
