package app

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"

	"essor/internal/config"
	"essor/internal/domain"
	"essor/internal/mail/mailtest"
	"essor/internal/storage"
	"essor/internal/temporalserver"
	"essor/internal/testdb"
)

// The schedules exist once however often Essor starts, follow
// ESSOR_DIGEST_HOUR in Paris, and start the workflows that send through
// the SMTP server: a need's stage change reaches its submitter's mailbox.
func TestMailSchedulesSendThroughSMTP(t *testing.T) {
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := temporalserver.Start(temporalserver.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	tc, err := client.Dial(client.Options{HostPort: srv.Address(), Namespace: "default"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tc.Close)
	db, _ := testdb.Fresh(t)
	smtp := mailtest.Start(t)
	cfg := config.Config{TaskQueue: "mail-" + uuid.NewString()[:8], SMTPURL: smtp.URL(), MailFrom: "essor@essor.example",
		BaseURL: "https://essor.example", DigestHour: 7}
	withMail, err := WithMail(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w := NewWorker(tc, cfg.TaskQueue, db, quiet, nil, withMail)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)

	if err := ensureMailSchedules(ctx, tc, cfg, quiet); err != nil {
		t.Fatal(err)
	}
	cfg.DigestHour = 9
	if err := ensureMailSchedules(ctx, tc, cfg, quiet); err != nil {
		t.Fatalf("a second start: %v", err)
	}
	sendID, digestID := mailScheduleIDs(cfg.TaskQueue)
	d, err := tc.ScheduleClient().GetHandle(ctx, digestID).Describe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	spec := d.Schedule.Spec
	if spec.TimeZoneName != "Europe/Paris" || len(spec.Calendars) != 1 || len(spec.Calendars[0].Hour) != 1 ||
		spec.Calendars[0].Hour[0].Start != 9 {
		t.Fatalf("digest spec %+v", spec)
	}

	submitter := storage.User{ID: uuid.NewString(), Email: "claire@exemple.fr", Name: "Claire", Roles: []domain.Role{domain.RoleActor},
		PasswordHash: "x", Active: true}
	officer := storage.User{ID: uuid.NewString(), Email: "paul@exemple.fr", Name: "Paul", Roles: []domain.Role{domain.RoleOfficer},
		PasswordHash: "x", Active: true}
	for _, u := range []storage.User{submitter, officer} {
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SetNotificationSettings(ctx, submitter.ID, "", domain.Preferences{domain.NotifyStageChanged: domain.ModeImmediate}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	n, ev := domain.NewNeed(uuid.NewString(), domain.NeedSubmission{Title: "Cantine solidaire", Description: "Des repas à prix libre pour tous.",
		Theme: "food", TerritoryCode: "39"}, submitter.Caller(), now)
	events := append([]domain.Event{ev}, n.Apply(domain.NeedCommand{NeedInput: domain.NeedInput{Action: domain.ActionQualify},
		Caller: officer.Caller()}, now, time.Hour)...)
	if err := db.SaveNeed(ctx, n, events, nil); err != nil {
		t.Fatal(err)
	}
	if err := tc.ScheduleClient().GetHandle(ctx, sendID).Trigger(ctx, client.ScheduleTriggerOptions{}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); len(smtp.To(submitter.Email)) == 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no e-mail after the schedule's run")
		}
	}
	if got := smtp.To(submitter.Email)[0].Subject; got != "« Cantine solidaire » change d'étape" {
		t.Fatalf("subject %q", got)
	}
}
