package workflows

import (
	"slices"
	"time"

	"github.com/stretchr/testify/mock"

	"essor/internal/domain"
)

// inCarrierSearch is a need whose run starts in the carrier search (as a
// run continued as new would), with an officer in charge.
func (s *needSuite) inCarrierSearch(p domain.Policy) NeedInput {
	in := s.input()
	n := in.Need
	n.Stage, n.StageEnteredAt, n.StageSeq = domain.StageCarrierSearch, s.start, n.Seq
	n.Officer = &domain.OfficerRef{ID: officer.UserID, Name: officer.Name}
	return NeedInput{Need: n, Policy: p}
}

func (s *needSuite) reminders() []string {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	var out []string
	for _, e := range s.store.events {
		if e.Action == domain.ActionRemind {
			out = append(out, e.Data["kind"]+"@"+e.At.Format(time.RFC3339)+" "+e.Data["officer_name"])
		}
	}
	return out
}

// TestCarrierSearchReminderFires: no carrier chosen CarrierWithin after the
// search began, a reminder naming the officer in charge; once only, and
// proposals do not restart it.
func (s *needSuite) TestCarrierSearchReminderFires() {
	day := 24 * time.Hour
	p := domain.DefaultPolicy
	p.CarrierWithin = 20 * day
	s.act(3*day, cmd(actor, domain.NeedInput{Action: domain.ActionProposeCarrier, Organisation: "Mobil Jura",
		Contact: "contact@mobil.fr", Motivation: "Nous faisons déjà du transport à la demande."}))
	var before, after []string
	s.env.RegisterDelayedCallback(func() { before = s.reminders() }, 20*day-time.Minute)
	s.env.RegisterDelayedCallback(func() { after = s.reminders() }, 20*day+time.Minute)
	s.act(90*day, cmd(officer, domain.NeedInput{Action: domain.ActionAbandon, Reason: "Aucun porteur trouvé"}))
	s.env.ExecuteWorkflow(NeedWorkflowName, s.inCarrierSearch(p))
	s.NoError(s.env.GetWorkflowError())
	s.Empty(before)
	want := []string{"carrier_search_overdue@" + s.start.Add(20*day).Format(time.RFC3339) + " " + officer.Name}
	s.Equal(want, after)
	s.Equal(want, s.reminders()) // once
	s.Equal(domain.StageAbandoned, s.store.last.Stage)
}

// TestNoCarrierReminderForOldPolicies: a workflow whose input policy has no
// CarrierWithin (started before it existed) gets no new timer.
func (s *needSuite) TestNoCarrierReminderForOldPolicies() {
	p := domain.DefaultPolicy
	p.CarrierWithin = 0
	s.act(200*24*time.Hour, cmd(officer, domain.NeedInput{Action: domain.ActionAbandon, Reason: "Aucun porteur trouvé"}))
	s.env.ExecuteWorkflow(NeedWorkflowName, s.inCarrierSearch(p))
	s.NoError(s.env.GetWorkflowError())
	s.Empty(s.reminders())
	_, due := s.store.last.Deadline(p)
	s.False(due)
}

// TestMergeCarriesSupporters: the merge signal carries the merged need's
// supporters and its submitting organisation.
func (s *needSuite) TestMergeCarriesSupporters() {
	target := "33333333-3333-3333-3333-333333333333"
	var sent AbsorbSignal
	s.env.OnSignalExternalWorkflow(mock.Anything, NeedWorkflowID(target), "", SignalAbsorb, mock.Anything).
		Return(func(_, _, _, _ string, arg any) error { sent = arg.(AbsorbSignal); return nil }).Once()
	region := domain.Caller{UserID: "00000000-0000-0000-0000-0000000000b1", Name: "Basile", Organisation: "Régie de quartier", Roles: []domain.Role{domain.RoleActor}}
	s.act(time.Hour, domain.NeedCommand{NeedInput: domain.NeedInput{Action: domain.ActionSupport}, Caller: region})
	s.act(2*time.Hour, cmd(officer, domain.NeedInput{Action: domain.ActionMerge, Into: target}))
	s.env.ExecuteWorkflow(NeedWorkflowName, s.input())
	s.NoError(s.env.GetWorkflowError())
	s.Equal([]string{"regie de quartier", "mairie"}, sent.Supporters)
	s.env.AssertExpectations(s.T())
}

// TestAbsorbAddsCarriedSupporters: the target adds them, once, never its
// own submitting organisation, and records them for the read model.
func (s *needSuite) TestAbsorbAddsCarriedSupporters() {
	s.env.RegisterDelayedCallback(func() {
		s.env.SignalWorkflow(SignalAbsorb, AbsorbSignal{FromID: "44444444-4444-4444-4444-444444444444", FromTitle: "Doublon", By: officer,
			Supporters: []string{"regie de quartier", "mairie", "ccas de dole"}})
	}, time.Hour)
	s.env.RegisterDelayedCallback(func() {
		s.env.SignalWorkflow(SignalAbsorb, AbsorbSignal{FromID: "55555555-5555-5555-5555-555555555555", FromTitle: "Autre doublon", By: officer,
			Supporters: []string{"ccas de dole", "mobil jura"}})
	}, 2*time.Hour)
	s.act(3*time.Hour, cmd(officer, domain.NeedInput{Action: domain.ActionAbandon, Reason: "Fin de l'essai"}))
	s.env.ExecuteWorkflow(NeedWorkflowName, s.input())
	s.NoError(s.env.GetWorkflowError())
	s.Equal([]string{"ccas de dole", "mobil jura", "regie de quartier"}, s.store.last.Supporters)
	var carried []string
	for _, e := range s.store.events {
		if e.Action == domain.ActionAbsorb {
			carried = append(carried, e.Data["supporters"])
		}
	}
	s.Equal([]string{"regie de quartier\nccas de dole", "mobil jura"}, carried)
	s.True(slices.IsSorted(s.store.last.Supporters))
}
