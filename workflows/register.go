package workflows

import "go.temporal.io/sdk/workflow"

// Registry is what registers workflows: a worker, a replayer, a test
// environment.
type Registry interface {
	RegisterWorkflowWithOptions(w any, options workflow.RegisterOptions)
}

// Register registers every workflow of Essor under its name. The worker,
// the replay test and the test suites all call it, so a new workflow cannot
// be forgotten in one of them.
func Register(r Registry) {
	r.RegisterWorkflowWithOptions(Need, workflow.RegisterOptions{Name: NeedWorkflowName})
	r.RegisterWorkflowWithOptions(StudyAction, workflow.RegisterOptions{Name: StudyActionWorkflowName})
	r.RegisterWorkflowWithOptions(RallyRound, workflow.RegisterOptions{Name: RoundWorkflowName})
	r.RegisterWorkflowWithOptions(Call, workflow.RegisterOptions{Name: CallWorkflowName})
	r.RegisterWorkflowWithOptions(CommitteeSession, workflow.RegisterOptions{Name: SessionWorkflowName})
	r.RegisterWorkflowWithOptions(MailSend, workflow.RegisterOptions{Name: MailSendWorkflowName})
	r.RegisterWorkflowWithOptions(MailDigest, workflow.RegisterOptions{Name: MailDigestWorkflowName})
	r.RegisterWorkflowWithOptions(WebhookSend, workflow.RegisterOptions{Name: WebhookSendWorkflowName})
}
