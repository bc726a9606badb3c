package needs

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// needJSON is a need as the API shows it (api.md, "Needs and the emergence pipeline").
type needJSON struct {
	ID                 string              `json:"id"`
	Title              string              `json:"title"`
	Description        string              `json:"description"`
	Theme              string              `json:"theme"`
	TerritoryCode      string              `json:"territory_code"`
	Beneficiaries      *int                `json:"beneficiaries"`
	Organisation       string              `json:"organisation"`
	Evidence           string              `json:"evidence"`
	Stage              domain.Stage        `json:"stage"`
	StageEnteredAt     time.Time           `json:"stage_entered_at"`
	SubmittedBy        string              `json:"submitted_by"`
	SubmittedByName    string              `json:"submitted_by_name"`
	CreatedAt          time.Time           `json:"created_at"`
	UpdatedAt          time.Time           `json:"updated_at"`
	Supports           int                 `json:"supports"`
	Carriers           []carrierJSON       `json:"carriers"`
	PossibleDuplicates []storage.Duplicate `json:"possible_duplicates"`
	MergedInto         *string             `json:"merged_into"`
	Study              *domain.Study       `json:"study"`
	Pilot              *domain.Pilot       `json:"pilot"`
	Officer            *domain.OfficerRef  `json:"officer"`
	NextDeadline       *time.Time          `json:"next_deadline"`
	Overdue            bool                `json:"overdue"`

	// The approved experiment budget, the deployment (evaluation and
	// territories) and the outcome: null until recorded.
	ApprovedBudgetEUR *float64           `json:"approved_budget_eur"`
	Conditions        string             `json:"conditions"`
	Deployment        *domain.Deployment `json:"deployment"`
	Outcome           *domain.Outcome    `json:"outcome"`

	// Lists carry the excerpt as description: the whole text is the need's own.
	Excerpt              string `json:"excerpt"`
	DescriptionTruncated bool   `json:"description_truncated"`
}

type carrierJSON struct {
	ID           string    `json:"id"`
	Organisation string    `json:"organisation"`
	Contact      string    `json:"contact"`
	Motivation   string    `json:"motivation"`
	ProposedBy   string    `json:"proposed_by"`
	ProposedAt   time.Time `json:"proposed_at"`
	Chosen       bool      `json:"chosen"`
	// Declined proposals stay listed, with the officer's reason.
	Declined       bool   `json:"declined"`
	DeclinedReason string `json:"declined_reason,omitempty"`
	// OrganisationID is the directory record it stands for, if any.
	OrganisationID *string `json:"organisation_id"`
}

func toNeedJSON(n storage.NeedRow, now time.Time) needJSON {
	carriers := make([]carrierJSON, 0, len(n.Carriers))
	for _, c := range n.Carriers {
		carriers = append(carriers, carrierJSON{ID: c.ID, Organisation: c.Organisation, Contact: c.Contact,
			Motivation: c.Motivation, ProposedBy: c.ProposedBy, ProposedAt: c.ProposedAt, Chosen: c.Chosen,
			Declined: c.Declined, DeclinedReason: c.DeclinedReason, OrganisationID: c.OrganisationID})
	}
	dups := n.PossibleDuplicates
	if dups == nil {
		dups = []storage.Duplicate{}
	}
	excerpt, _ := n.Excerpt()
	return needJSON{
		ID: n.ID, Title: n.Title, Description: n.Description, Excerpt: excerpt, Theme: n.Theme, TerritoryCode: n.TerritoryCode,
		Beneficiaries: n.Beneficiaries, Organisation: n.Organisation, Evidence: n.Evidence,
		Stage: n.Stage, StageEnteredAt: n.StageEnteredAt, SubmittedBy: n.SubmittedBy, SubmittedByName: n.SubmittedByName,
		CreatedAt: n.CreatedAt, UpdatedAt: n.UpdatedAt, Supports: n.Supports, Carriers: carriers,
		PossibleDuplicates: dups, MergedInto: n.MergedInto, Study: n.Study, Pilot: n.Pilot,
		NextDeadline: n.NextDeadline, Overdue: n.Overdue(now), Officer: n.Officer,
		ApprovedBudgetEUR: n.ApprovedBudgetEUR, Conditions: n.Conditions, Deployment: n.Deployment, Outcome: n.Outcome,
	}
}

// createNeed submits a need (actors).
func (s *Handlers) createNeed(c *fiber.Ctx) error {
	var in domain.NeedSubmission
	if err := kit.DecodeJSON(c, &in); err != nil {
		if typed, ok := domain.As(err); ok && typed.Code == domain.CodeInvalid {
			// A value of the wrong type: list it with every other failing field.
			return kit.WithFieldsOf(typed, in.Validate(s.RefSet(c)))
		}
		return err
	}
	u, _ := kit.UserOf(c)
	row, err := s.needs.Submit(c.UserContext(), u.Caller(), in, c.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	c.Location("/api/v1/needs/" + row.ID)
	return c.Status(fiber.StatusCreated).JSON(toNeedJSON(row, time.Now()))
}

// getNeed returns one need.
func (s *Handlers) getNeed(c *fiber.Ctx) error {
	row, err := s.DB.Need(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(toNeedJSON(row, time.Now()))
}

// listFilter reads ?stage=&territory=&theme=&q=&officer=&limit=&cursor=.
func listFilter(c *fiber.Ctx) (storage.NeedFilter, error) {
	f := storage.NeedFilter{
		Territory: strings.TrimSpace(c.Query("territory")),
		Theme:     strings.TrimSpace(c.Query("theme")),
		Q:         strings.TrimSpace(c.Query("q")),
	}
	fe := domain.FieldErrors{}
	f.Limit, f.Cursor = kit.PageParams(c, fe)
	for _, st := range strings.Split(c.Query("stage"), ",") {
		if st = strings.TrimSpace(st); st == "" {
			continue
		}
		if !domain.Stage(st).Valid() {
			fe.Add("stage", "field.unknown_stage")
		}
		f.Stages = append(f.Stages, domain.Stage(st))
	}
	if len([]rune(f.Q)) > 200 {
		fe.Add("q", "field.max_len", "200")
	}
	seekingFilter(c, &f, fe)
	f.Officer = officerFilter(c, fe)
	return f, fe.Err()
}

// listNeeds lists needs newest first, filtered and searched.
func (s *Handlers) listNeeds(c *fiber.Ctx) error {
	f, err := listFilter(c)
	if err != nil {
		return err
	}
	rows, next, err := s.DB.Needs(c.UserContext(), f)
	if err != nil {
		return err
	}
	now := time.Now()
	out := kit.Page[needJSON]{Items: make([]needJSON, 0, len(rows))}
	for _, r := range rows {
		item := toNeedJSON(r, now)
		item.Description, item.DescriptionTruncated = r.Excerpt() // the rows hold only the excerpt's worth
		out.Items = append(out.Items, item)
	}
	if next != "" {
		out.NextCursor = &next
	}
	return c.JSON(out)
}

// transitionNeed carries out one action of the pipeline.
func (s *Handlers) transitionNeed(c *fiber.Ctx) error {
	var in domain.NeedInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	u, _ := kit.UserOf(c)
	row, err := s.needs.Act(c.UserContext(), u.Caller(), c.Params("id"), in, c.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	return c.JSON(toNeedJSON(row, time.Now()))
}

// supportNeed records the caller's organisation's support.
func (s *Handlers) supportNeed(c *fiber.Ctx) error {
	u, _ := kit.UserOf(c)
	row, err := s.needs.Act(c.UserContext(), u.Caller(), c.Params("id"),
		domain.NeedInput{Action: domain.ActionSupport}, c.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toNeedJSON(row, time.Now()))
}

// needEvents returns the audit trail, oldest first.
func (s *Handlers) needEvents(c *fiber.Ctx) error {
	row, err := s.DB.Need(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return s.AuditTrail(c, row.ID)
}

// needVotes returns the committee's decisions on a need with their votes.
func (s *Handlers) needVotes(c *fiber.Ctx) error {
	row, err := s.DB.Need(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return s.BallotsOf(c, row.ID)
}

// officerFilter reads ?officer=: "me" (the signed-in person) or an
// account id; anything else is a mistake on "officer".
func officerFilter(c *fiber.Ctx, fe domain.FieldErrors) string {
	v := strings.TrimSpace(c.Query("officer"))
	if v == "" {
		return ""
	}
	if strings.EqualFold(v, "me") {
		if u, ok := kit.UserOf(c); ok {
			return u.ID
		}
	} else if id, ok := domain.ParseID(v); ok {
		return id
	}
	fe.Add("officer", "field.officer_filter")
	return ""
}
