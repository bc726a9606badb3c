package committee

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// ballotCard is one decision awaiting the committee, with the member's vote form.
type ballotCard struct {
	storage.PendingBallot
	Form      *kit.Form
	Decisions []kit.Option
	CSRF      string
	Outcome   string // set once the vote just cast closed the ballot
	Voted     bool   // the vote was just recorded
}

// Excerpt is the start of what the committee decides on.
func (b ballotCard) Excerpt() string {
	if b.Summary == nil {
		return ""
	}
	return domain.Excerpt(*b.Summary, 400)
}

// RecommendationKey names the recommendation made to the committee: the
// study's for a need, the officer's appraisal for a study-action.
func (b ballotCard) RecommendationKey() string {
	if b.Recommendation == nil || *b.Recommendation == "" {
		return ""
	}
	switch domain.Subject(b.Subject) {
	case domain.SubjectNeed:
		return "recommendation." + *b.Recommendation
	case domain.SubjectStudyAction:
		return "opinion." + *b.Recommendation
	}
	return ""
}

// SessionName and SessionAt name the session whose agenda holds the decision.
func (b ballotCard) SessionName() string {
	if b.SessionTitle == nil {
		return ""
	}
	return *b.SessionTitle
}

func (b ballotCard) SessionAt() time.Time {
	if b.SessionStarts == nil {
		return time.Time{}
	}
	return *b.SessionStarts
}

// Mine is the member's current vote, "" before voting.
func (b ballotCard) Mine() string {
	if b.MyVote == nil {
		return ""
	}
	return *b.MyVote
}

type committeePage struct {
	kit.Layout
	Cards []ballotCard
	// Next are the sessions to come, Past those held (the newest first).
	Next, Past []storage.SessionRow
}

// decisionOptions are the committee's options, worded for the kind of
// subject decided (decision.<subject>.<option>, else decision.<option>).
func (s *Handlers) decisionOptions(c *fiber.Ctx, subject string) []kit.Option {
	var opts []kit.Option
	for _, d := range domain.NeedDecisions {
		key := "decision." + subject + "." + string(d)
		if !i18n.Has(key) {
			key = "decision." + string(d)
		}
		opts = append(opts, kit.Option{Value: string(d), Label: i18n.T(kit.LangOf(c), key)})
	}
	return opts
}

func (s *Handlers) ballotCards(c *fiber.Ctx) ([]ballotCard, error) {
	u, _ := kit.UserOf(c)
	pending, err := s.needs.Committee.Pending(c.UserContext(), u.ID)
	if err != nil {
		return nil, err
	}
	csrf := kit.FormToken(c)
	cards := make([]ballotCard, 0, len(pending))
	for _, p := range pending {
		f := kit.NewForm("vote-"+p.SubjectID+"-", "decision", "comment")
		if p.MyVote != nil {
			f.Set("decision", *p.MyVote)
		}
		cards = append(cards, ballotCard{PendingBallot: p, Form: f, Decisions: s.decisionOptions(c, p.Subject), CSRF: csrf})
	}
	return cards, nil
}

// committee lists the decisions awaiting the committee, each with its vote.
func (s *Handlers) committee(c *fiber.Ctx) error {
	cards, err := s.ballotCards(c)
	if err != nil {
		return err
	}
	page := committeePage{Layout: s.Layout(c, "committee", "web.committee.title"), Cards: cards}
	sessions, err := s.DB.Sessions(c.UserContext())
	if err != nil {
		return err
	}
	for _, x := range sessions {
		if x.Stage == domain.StageClosed {
			page.Past = append(page.Past, x)
		} else {
			page.Next = append([]storage.SessionRow{x}, page.Next...) // the soonest first
		}
	}
	return s.Render(c, fiber.StatusOK, "committee", page)
}

// committeeVote records a member's vote through the same service as the
// API. htmx gets the decision's card back; without JavaScript the page
// reloads with a message.
func (s *Handlers) committeeVote(c *fiber.Ctx) error {
	id := c.Params("id")
	f := kit.PostedForm(c, "vote-"+id+"-", "decision", "comment")
	u, _ := kit.UserOf(c)
	in := domain.NeedInput{Action: domain.ActionVote, Decision: domain.Decision(f.Value("decision")), Comment: f.Value("comment")}
	var err error
	if in.Decision == "" { // an unticked choice reads better as "required" than as a list of slugs
		fe := domain.FieldErrors{}
		fe.Add("decision", "field.required")
		err = fe.Err()
	} else {
		err = s.castVote(c, u, id, in, "web:"+f.Key)
	}
	htmx := c.Get("HX-Request") == "true"
	if err == nil && !htmx {
		s.Flash(c, "web.flash.action.vote")
		return c.Redirect(kit.PageURL("committee"), fiber.StatusSeeOther)
	}
	if domain.IsCode(err, domain.CodeNotFound) {
		return kit.NotFoundNeed(err)
	}
	status := fiber.StatusOK
	if err != nil {
		var ok bool
		if status, ok = f.Fail(kit.LangOf(c), err); !ok {
			return err
		}
	}
	cards, card, found, err := s.votedCard(c, id, f, err)
	if err != nil {
		return err
	}
	if !htmx {
		page := committeePage{Layout: s.Layout(c, "committee", "web.committee.title"), Cards: cards}
		page.Failed = true
		for i := range page.Cards {
			if page.Cards[i].SubjectID == id {
				page.Cards[i] = card
			}
		}
		if !found {
			page.Flash = f.Alert
		}
		return s.Render(c, status, "committee", page)
	}
	return s.RenderBlock(c, status, "committee", "ballot", card)
}

// votedCard is the committee's cards and the one just voted on: the refused
// form with its messages, or the vote recorded, or (found false) the ballot
// the vote closed, named with its decision.
func (s *Handlers) votedCard(c *fiber.Ctx, id string, f *kit.Form, voteErr error) ([]ballotCard, ballotCard, bool, error) {
	cards, cerr := s.ballotCards(c)
	if cerr != nil {
		return nil, ballotCard{}, false, cerr
	}
	csrf := kit.FormToken(c)
	card := ballotCard{PendingBallot: storage.PendingBallot{SubjectID: id}, Decisions: s.decisionOptions(c, ""), CSRF: csrf}
	found := false
	for _, cd := range cards {
		if cd.SubjectID == id {
			card, found = cd, true
		}
	}
	if voteErr != nil {
		card.Form = f
	} else {
		card.Voted = true
	}
	if card.Form == nil {
		card.Form = kit.NewForm("vote-"+id+"-", "decision", "comment")
	}
	if !found { // the vote closed the ballot, or someone else's did
		if err := s.closedCard(c, id, &card); err != nil {
			return nil, ballotCard{}, false, err
		}
	}
	return cards, card, found, nil
}

// closedCard names the subject of a ballot no longer pending, with the
// decision it came to.
func (s *Handlers) closedCard(c *fiber.Ctx, id string, card *ballotCard) error {
	ctx := c.UserContext()
	if row, nerr := s.DB.Need(ctx, id); nerr == nil {
		card.Title, card.Subject = row.Title, string(domain.SubjectNeed)
	} else if sa, serr := s.DB.StudyAction(ctx, id); serr == nil {
		card.Title, card.Subject = sa.ProjectTitle, string(domain.SubjectStudyAction)
	} else if cl, cerr := s.DB.Call(ctx, id); cerr == nil {
		card.Title, card.Subject = cl.Title, string(domain.SubjectCall)
	} else {
		return kit.NotFoundNeed(nerr)
	}
	ballots, err := s.DB.Ballots(ctx, id)
	if err != nil {
		return err
	}
	if n := len(ballots); n > 0 && ballots[n-1].Outcome != "" {
		card.Outcome = ballots[n-1].Outcome
	}
	return nil
}

// castVote sends a vote to the workflow of the subject the ballot decides:
// every programme's decisions are listed together, each vote goes to its own.
func (s *Handlers) castVote(c *fiber.Ctx, u storage.User, id string, in domain.NeedInput, key string) error {
	kind, err := s.DB.BallotSubjectOf(c.UserContext(), id)
	if err != nil {
		return err
	}
	switch kind {
	case domain.SubjectNeed:
		_, err = s.needs.Act(c.UserContext(), u.Caller(), id, in, key)
		return err
	case domain.SubjectStudyAction:
		_, err = s.studyActions.Act(c.UserContext(), u.Caller(), id,
			domain.StudyActionInput{Action: domain.ActionVote, Decision: in.Decision, Comment: in.Comment}, key)
		return err
	case domain.SubjectCall:
		_, err = s.calls.Act(c.UserContext(), u.Caller(), id,
			domain.CallInput{Action: domain.ActionVote, Decision: in.Decision, Comment: in.Comment}, key)
		return err
	}
	return domain.NotFound()
}
