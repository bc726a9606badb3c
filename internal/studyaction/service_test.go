package studyaction_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"essor/internal/committee"
	"essor/internal/domain"
	"essor/internal/studyaction"
	"essor/internal/testenv"
)

// TestApplyAndAct goes through the study-actions' service on the real
// PostgreSQL and Temporal: an application retried with its key names one
// study-action; an unknown need is refused on its field before any
// workflow; a withdrawn study-action refuses what follows with its stage.
func TestApplyAndAct(t *testing.T) {
	env := testenv.New(t)
	ctx := context.Background()
	outcomes := map[string]int{}
	svc := &studyaction.Service{DB: env.DB, Temporal: env.Temporal, TaskQueue: env.Config.TaskQueue,
		Policy: domain.DefaultStudyActionPolicy, FundTargets: domain.DefaultFundTargets, Committee: &committee.Committee{DB: env.DB},
		Observe: func(a domain.Action, outcome string) { outcomes[string(a)+":"+outcome]++ }}
	host := env.Account(t, "Menuiserie Dupont", domain.RoleActor).Caller()
	officer := env.Account(t, "FCA", domain.RoleOfficer).Caller()
	amount := func(v float64) *float64 { return &v }
	app := domain.Application{HostCompany: "Menuiserie Dupont", ProjectTitle: "Recyclerie de meubles", Sponsor: "Réseau Entreprendre",
		Summary: "Une recyclerie de meubles portée par une entrepreneuse sociale.", DurationMonths: 6,
		Financing: []domain.Financing{{Funder: "Région", Kind: domain.FunderRegion, AmountEUR: amount(20000)}}}

	first, err := svc.Apply(ctx, host, app, "candidature-1")
	if err != nil || first.Stage != domain.StageApplication {
		t.Fatalf("apply: %v %s", err, first.Stage)
	}
	if again, err := svc.Apply(ctx, host, app, "candidature-1"); err != nil || again.ID != first.ID {
		t.Fatalf("a retried application: %v, %s then %s", err, first.ID, again.ID)
	}
	withNeed := app
	withNeed.NeedID = uuid.NewString()
	_, err = svc.Apply(ctx, host, withNeed, "")
	if de, ok := domain.As(err); !ok || de.Fields["need_id"].Key != "field.unknown_need" {
		t.Fatalf("an unknown need: %v", err)
	}

	withdraw := domain.StudyActionInput{Action: domain.ActionWithdraw, Reason: "L'entrepreneuse a trouvé un autre hébergement."}
	if _, err := svc.Act(ctx, officer, first.ID, domain.StudyActionInput{Action: "fly"}, ""); !domain.IsCode(err, domain.CodeInvalid) {
		t.Fatalf("an unknown action: %v", err)
	}
	row, err := svc.Act(ctx, host, first.ID, withdraw, "retrait")
	if err != nil || row.Stage != domain.StageWithdrawn {
		t.Fatalf("withdraw: %v %s", err, row.Stage)
	}
	if _, err := svc.Act(ctx, officer, first.ID, domain.StudyActionInput{Action: domain.ActionAppraise, Opinion: "favourable",
		Comment: "Un projet solide et bien entouré."}, ""); !domain.IsCode(err, domain.CodeStage) {
		t.Fatalf("appraising a withdrawn study-action: %v", err)
	}
	if outcomes["submit:ok"] != 2 || outcomes["submit:validation_failed"] != 1 || outcomes["withdraw:ok"] != 1 || outcomes["appraise:stage_conflict"] != 1 {
		t.Fatalf("outcomes: %v", outcomes)
	}
}
