// Package config loads Essor's settings from the environment, with defaults
// that work on a fresh machine.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"essor/internal/domain"
)

// Config is every setting of every sub-command.
type Config struct {
	DatabaseURL       string        // DATABASE_URL
	Addr              string        // ESSOR_ADDR
	DataDir           string        // ESSOR_DATA_DIR: the embedded Temporal's database
	TemporalAddress   string        // TEMPORAL_ADDRESS: empty runs an embedded server
	TemporalNamespace string        // TEMPORAL_NAMESPACE
	TaskQueue         string        // ESSOR_TASK_QUEUE: where workers listen
	TemporalPort      int           // ESSOR_TEMPORAL_PORT: the embedded frontend's port (0: any free one)
	LogLevel          string        // ESSOR_LOG_LEVEL: debug, info, warn, error
	LogFormat         string        // ESSOR_LOG_FORMAT: text or json
	SessionTTL        time.Duration // ESSOR_SESSION_TTL
	Quorum            int           // ESSOR_COMMITTEE_QUORUM: 0 is more than half of the committee
	Policy            domain.Policy // ESSOR_QUALIFY_WITHIN, ESSOR_COMMITTEE_WITHIN, ESSOR_STUDY_DEFAULT, ESSOR_CARRIER_WITHIN
	// The Fonds de confiance: ESSOR_RECRUIT_WITHIN, ESSOR_RECRUIT_ESCALATE_AFTER, ESSOR_REPORT_GRACE,
	// ESSOR_FUND_PERIOD (2026-01-01..2027-12-31), ESSOR_FUND_TARGET_ENTERPRISES,
	// ESSOR_FUND_TARGET_JOBS.
	StudyActions   domain.StudyActionPolicy
	FundTargets    domain.FundTargets
	SecureCookies  bool     // ESSOR_SECURE_COOKIES: force the Secure flag (behind a TLS proxy)
	TrustedProxies []string // ESSOR_TRUSTED_PROXIES: proxies whose X-Forwarded-For/-Proto are believed
	// ExportConcurrency bounds the CSV and open-data downloads streamed at
	// once (ESSOR_EXPORT_CONCURRENCY, default DefaultExportConcurrency).
	ExportConcurrency int
	// WebhookAllowPrivate lets webhooks target private and loopback
	// addresses (ESSOR_WEBHOOK_ALLOW_PRIVATE=true; tests, closed networks).
	WebhookAllowPrivate bool

	// Personal data (RGPD).
	// RetainClosedAccounts is how long a closed (deactivated) account keeps
	// its person's name and e-mail before the janitor erases them
	// (ESSOR_RETENTION_CLOSED_ACCOUNTS, default 1095d; 0 or empty: never).
	RetainClosedAccounts time.Duration

	// Metrics (Prometheus): never public.
	MetricsAddr  string // ESSOR_METRICS_ADDR: /metrics on a listen address of its own; empty: none
	MetricsToken string // ESSOR_METRICS_TOKEN: when set, /metrics also on ESSOR_ADDR with "Authorization: Bearer <token>"

	// E-mail notifications.
	SMTPURL    string // SMTP_URL: smtp://user:pass@host:587 (STARTTLS); empty: messages wait in the outbox
	MailFrom   string // ESSOR_MAIL_FROM
	BaseURL    string // ESSOR_BASE_URL: the public address, for links in e-mails
	DigestHour int    // ESSOR_DIGEST_HOUR: when the daily digest leaves, Europe/Paris (default 7)
	// UnsubscribeTTL is how long the unsubscribe link of an e-mail works
	// (ESSOR_UNSUBSCRIBE_TTL, default 90d); every e-mail has its own.
	UnsubscribeTTL time.Duration

	// Notices are the identities the legal pages name (/mentions-legales,
	// /accessibilite, /donnees-personnelles, /contact).
	Notices Notices
}

// Notices are the legal identities a French public service names, written
// as the Region writes them (free text, one line each). An empty one is
// shown as « à renseigner »: nothing is invented in its place.
type Notices struct {
	Publisher string // ESSOR_NOTICE_PUBLISHER: the éditeur (name, address, telephone); also the data controller
	Director  string // ESSOR_NOTICE_DIRECTOR: the directeur de la publication
	Host      string // ESSOR_NOTICE_HOST: the hébergeur (name, address, telephone)
	Contact   string // ESSOR_NOTICE_CONTACT: where to write (an e-mail address, a postal address)
	DPO       string // ESSOR_NOTICE_DPO: how to reach the data protection officer
}

// DefaultUnsubscribeTTL is how long an e-mail's unsubscribe link works
// unless ESSOR_UNSUBSCRIBE_TTL says otherwise: 90 days.
const DefaultUnsubscribeTTL = 90 * 24 * time.Hour

// DefaultMetricsAddr is where metrics are served unless ESSOR_METRICS_ADDR
// says otherwise: the loopback interface only.
const DefaultMetricsAddr = "127.0.0.1:9464"

// DefaultExportConcurrency is how many exports stream at once unless
// ESSOR_EXPORT_CONCURRENCY says otherwise: each holds a database connection
// and a core's share for as long as its client reads.
const DefaultExportConcurrency = 4

// metricsTokenMin is the shortest metrics token accepted.
const metricsTokenMin = 16

// Load reads the environment.
func Load() (Config, error) {
	c := Config{
		DatabaseURL:       env("DATABASE_URL", "postgres://localhost:5432/essor"),
		Addr:              env("ESSOR_ADDR", ":8080"),
		DataDir:           env("ESSOR_DATA_DIR", "./data"),
		TemporalAddress:   os.Getenv("TEMPORAL_ADDRESS"),
		TemporalNamespace: env("TEMPORAL_NAMESPACE", "default"),
		TaskQueue:         env("ESSOR_TASK_QUEUE", "essor"),
		LogLevel:          env("ESSOR_LOG_LEVEL", "info"),
		LogFormat:         env("ESSOR_LOG_FORMAT", "text"),
		Policy:            domain.DefaultPolicy,
		StudyActions:      domain.DefaultStudyActionPolicy,
		FundTargets:       domain.DefaultFundTargets,
	}
	var err error
	if c.TemporalPort, err = intVar("ESSOR_TEMPORAL_PORT", 7233); err != nil {
		return c, err
	}
	if c.Quorum, err = intVar("ESSOR_COMMITTEE_QUORUM", 0); err != nil {
		return c, err
	}
	if c.SessionTTL, err = durationVar("ESSOR_SESSION_TTL", 12*time.Hour); err != nil {
		return c, err
	}
	if c.Policy.QualifyWithin, err = durationVar("ESSOR_QUALIFY_WITHIN", c.Policy.QualifyWithin); err != nil {
		return c, err
	}
	if c.Policy.CommitteeWithin, err = durationVar("ESSOR_COMMITTEE_WITHIN", c.Policy.CommitteeWithin); err != nil {
		return c, err
	}
	if c.Policy.StudyDefault, err = durationVar("ESSOR_STUDY_DEFAULT", c.Policy.StudyDefault); err != nil {
		return c, err
	}
	// How long the carrier search may take before a reminder (default 60d).
	if c.Policy.CarrierWithin, err = durationVar("ESSOR_CARRIER_WITHIN", c.Policy.CarrierWithin); err != nil {
		return c, err
	}
	if err := c.loadFund(); err != nil {
		return c, err
	}
	c.SecureCookies = os.Getenv("ESSOR_SECURE_COOKIES") == "true"
	c.WebhookAllowPrivate = os.Getenv("ESSOR_WEBHOOK_ALLOW_PRIVATE") == "true"
	for _, p := range strings.Split(os.Getenv("ESSOR_TRUSTED_PROXIES"), ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}
	if c.ExportConcurrency, err = intVar("ESSOR_EXPORT_CONCURRENCY", DefaultExportConcurrency); err != nil || c.ExportConcurrency < 1 {
		return c, fmt.Errorf("ESSOR_EXPORT_CONCURRENCY: a whole number ≥ 1 is expected, got %q", os.Getenv("ESSOR_EXPORT_CONCURRENCY"))
	}
	if c.RetainClosedAccounts, err = retentionVar("ESSOR_RETENTION_CLOSED_ACCOUNTS", DefaultRetainClosedAccounts); err != nil {
		return c, err
	}
	c.MetricsAddr = DefaultMetricsAddr
	if v, ok := os.LookupEnv("ESSOR_METRICS_ADDR"); ok {
		c.MetricsAddr = strings.TrimSpace(v)
	}
	c.MetricsToken = os.Getenv("ESSOR_METRICS_TOKEN")
	if c.MetricsToken != "" && len(c.MetricsToken) < metricsTokenMin {
		return c, fmt.Errorf("ESSOR_METRICS_TOKEN: %d characters at least are expected", metricsTokenMin)
	}
	if err := c.loadMail(); err != nil {
		return c, err
	}
	c.Notices = Notices{Publisher: trimmed("ESSOR_NOTICE_PUBLISHER"), Director: trimmed("ESSOR_NOTICE_DIRECTOR"),
		Host: trimmed("ESSOR_NOTICE_HOST"), Contact: trimmed("ESSOR_NOTICE_CONTACT"), DPO: trimmed("ESSOR_NOTICE_DPO")}
	if abs, err := filepath.Abs(c.DataDir); err == nil {
		c.DataDir = abs
	}
	return c, nil
}

// TemporalDatabase is the embedded server's SQLite file.
func (c Config) TemporalDatabase() string { return filepath.Join(c.DataDir, "temporal.db") }

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func trimmed(key string) string { return strings.TrimSpace(os.Getenv(key)) }

func intVar(key string, def int) (int, error) {
	v := os.Getenv(key)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s: a whole number ≥ 0 is expected, got %q", key, v)
	}
	return n, nil
}

// durationVar reads a Go duration ("36h") or a number of days ("14d").
func durationVar(key string, def time.Duration) (time.Duration, error) {
	v := os.Getenv(key)
	if v == "" {
		return def, nil
	}
	if len(v) > 1 && v[len(v)-1] == 'd' {
		if n, err := strconv.Atoi(v[:len(v)-1]); err == nil && n > 0 {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s: a duration such as 14d or 36h is expected, got %q", key, v)
	}
	return d, nil
}

// DefaultRetainClosedAccounts is how long closed accounts are kept unless
// ESSOR_RETENTION_CLOSED_ACCOUNTS says otherwise: three years.
const DefaultRetainClosedAccounts = 1095 * 24 * time.Hour

// retentionVar reads a retention period: unset is def; empty, 0 or 0d is
// none (0); otherwise a duration as durationVar reads it.
func retentionVar(key string, def time.Duration) (time.Duration, error) {
	v, ok := os.LookupEnv(key)
	if !ok {
		return def, nil
	}
	switch strings.TrimSpace(v) {
	case "", "0", "0d", "0s":
		return 0, nil
	}
	return durationVar(key, def)
}

// loadFund reads the Fonds de confiance's delays, period and targets.
func (c *Config) loadFund() error {
	var err error
	c.StudyActions.CommitteeWithin = c.Policy.CommitteeWithin
	if c.StudyActions.RecruitWithin, err = durationVar("ESSOR_RECRUIT_WITHIN", c.StudyActions.RecruitWithin); err != nil {
		return err
	}
	if c.StudyActions.EscalateAfter, err = durationVar("ESSOR_RECRUIT_ESCALATE_AFTER", c.StudyActions.EscalateAfter); err != nil {
		return err
	}
	if c.StudyActions.ReportGrace, err = durationVar("ESSOR_REPORT_GRACE", c.StudyActions.ReportGrace); err != nil {
		return err
	}
	if v := os.Getenv("ESSOR_FUND_PERIOD"); v != "" {
		from, to, ok := strings.Cut(v, "..")
		f, okF := domain.ParseDate(from)
		t, okT := domain.ParseDate(to)
		if !ok || !okF || !okT || t.Before(f) {
			return fmt.Errorf("ESSOR_FUND_PERIOD: two days such as 2026-01-01..2027-12-31 are expected, got %q", v)
		}
		c.FundTargets.From, c.FundTargets.To = f, t
	}
	if c.FundTargets.TargetEnterprises, err = intVar("ESSOR_FUND_TARGET_ENTERPRISES", c.FundTargets.TargetEnterprises); err != nil {
		return err
	}
	jobs, err := intVar("ESSOR_FUND_TARGET_JOBS", int(c.FundTargets.TargetJobs))
	c.FundTargets.TargetJobs = float64(jobs)
	return err
}

// loadMail reads the e-mail settings.
func (c *Config) loadMail() error {
	c.SMTPURL = strings.TrimSpace(os.Getenv("SMTP_URL"))
	c.MailFrom = env("ESSOR_MAIL_FROM", "Essor <essor@localhost>")
	c.BaseURL = strings.TrimRight(env("ESSOR_BASE_URL", hostURLOf(c.Addr)), "/")
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("ESSOR_BASE_URL: an address such as https://essor.example.fr is expected, got %q", c.BaseURL)
	}
	if c.SMTPURL != "" {
		if u, err := url.Parse(c.SMTPURL); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
			return errors.New("SMTP_URL: an address such as smtp://user:pass@host:587 is expected")
		}
	}
	var err error
	if c.DigestHour, err = intVar("ESSOR_DIGEST_HOUR", 7); err != nil || c.DigestHour > 23 {
		return fmt.Errorf("ESSOR_DIGEST_HOUR: an hour from 0 to 23 is expected, got %q", os.Getenv("ESSOR_DIGEST_HOUR"))
	}
	if c.UnsubscribeTTL, err = durationVar("ESSOR_UNSUBSCRIBE_TTL", DefaultUnsubscribeTTL); err != nil {
		return err
	}
	return nil
}

func hostURLOf(addr string) string {
	if strings.HasPrefix(addr, ":") {
		return "http://localhost" + addr
	}
	return "http://" + addr
}
