package calls_test

import (
	"context"
	"testing"
	"time"

	"essor/internal/calls"
	"essor/internal/committee"
	"essor/internal/domain"
	"essor/internal/storage"
	"essor/internal/testenv"
)

// TestCreateApplyAndList goes through the calls' service on the real
// PostgreSQL and Temporal: a call retried with its key is opened once, an
// application is refused to an officer (403), and each viewer lists the
// applications they may see (a juror none: 403).
func TestCreateApplyAndList(t *testing.T) {
	env := testenv.New(t)
	ctx := context.Background()
	svc := &calls.Service{DB: env.DB, Ref: storage.NewReference(env.DB, time.Minute), Temporal: env.Temporal,
		TaskQueue: env.Config.TaskQueue, Policy: domain.DefaultCallPolicy, Committee: &committee.Committee{DB: env.DB}}
	officer := env.Account(t, "FCA", domain.RoleOfficer).Caller()
	dole := env.Account(t, "Mairie de Dole", domain.RoleActor).Caller()
	lure := env.Account(t, "Centre social de Lure", domain.RoleActor).Caller()
	juror := env.Account(t, "RIFIC", domain.RoleJury).Caller()

	draft := domain.CallDraft{Title: "Territoires pilotes de l'épicerie itinérante",
		Description: "Des territoires pour expérimenter une épicerie solidaire itinérante.",
		OpensAt:     time.Now().Format(time.DateOnly), ClosesAt: time.Now().AddDate(0, 1, 0).Format(time.DateOnly)}
	call, err := svc.Create(ctx, officer, draft, "appel-1")
	if err != nil || call.Stage != domain.StageOpen {
		t.Fatalf("create: %v %s", err, call.Stage)
	}
	if again, err := svc.Create(ctx, officer, draft, "appel-1"); err != nil || again.ID != call.ID {
		t.Fatalf("a retried call: %v, %s then %s", err, call.ID, again.ID)
	}
	if _, err := svc.Create(ctx, officer, domain.CallDraft{Title: "Non"}, ""); !domain.IsCode(err, domain.CodeInvalid) {
		t.Fatalf("an empty call: %v", err)
	}

	apply := func(by domain.Caller, code string) error {
		_, err := svc.Act(ctx, by, call.ID, domain.CallInput{Action: domain.ActionApply, TerritoryCode: code,
			Motivation: "Notre territoire a les partenaires et un local prêt."}, "")
		return err
	}
	if err := apply(officer, "39"); !domain.IsCode(err, domain.CodeForbidden) {
		t.Fatalf("an officer applying: %v", err)
	}
	for by, code := range map[*domain.Caller]string{&dole: "39", &lure: "70"} {
		if err := apply(*by, code); err != nil {
			t.Fatalf("%s applying: %v", by.Organisation, err)
		}
	}
	for by, want := range map[*domain.Caller]int{&officer: 2, &dole: 1, &lure: 1} {
		_, list, _, err := svc.Applications(ctx, *by, call.ID, storage.CallApplicationFilter{})
		if err != nil || len(list) != want {
			t.Fatalf("%s lists %d applications (%v), not %d", by.Organisation, len(list), err, want)
		}
	}
	if _, _, _, err := svc.Applications(ctx, juror, call.ID, storage.CallApplicationFilter{}); !domain.IsCode(err, domain.CodeForbidden) {
		t.Fatalf("a juror listing applications: %v", err)
	}
}
