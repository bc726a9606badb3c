package config

import (
	"strings"
	"testing"
	"time"
)

func TestDefaults(t *testing.T) {
	for _, k := range []string{"DATABASE_URL", "ESSOR_ADDR", "ESSOR_DATA_DIR", "TEMPORAL_ADDRESS", "ESSOR_QUALIFY_WITHIN", "ESSOR_COMMITTEE_QUORUM"} {
		t.Setenv(k, "")
	}
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != "postgres://localhost:5432/essor" || c.Addr != ":8080" || c.TemporalAddress != "" ||
		!strings.HasSuffix(c.DataDir, "/data") || c.TemporalNamespace != "default" || c.Quorum != 0 ||
		c.Policy.QualifyWithin != 14*24*time.Hour || c.Policy.CommitteeWithin != 30*24*time.Hour {
		t.Fatalf("defaults %+v", c)
	}
	if !strings.HasSuffix(c.TemporalDatabase(), "/data/temporal.db") {
		t.Fatal(c.TemporalDatabase())
	}
}

func TestValuesAndMistakes(t *testing.T) {
	t.Setenv("ESSOR_QUALIFY_WITHIN", "7d")
	t.Setenv("ESSOR_COMMITTEE_WITHIN", "36h")
	t.Setenv("ESSOR_COMMITTEE_QUORUM", "3")
	t.Setenv("ESSOR_TRUSTED_PROXIES", "10.0.0.1, 10.1.0.0/16,")
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if c.Policy.QualifyWithin != 7*24*time.Hour || c.Policy.CommitteeWithin != 36*time.Hour || c.Quorum != 3 ||
		len(c.TrustedProxies) != 2 || c.TrustedProxies[1] != "10.1.0.0/16" {
		t.Fatalf("%+v", c)
	}
	for k, v := range map[string]string{"ESSOR_QUALIFY_WITHIN": "deux semaines", "ESSOR_COMMITTEE_QUORUM": "-1", "ESSOR_SESSION_TTL": "0s"} {
		t.Run(k, func(t *testing.T) {
			t.Setenv(k, v)
			if _, err := Load(); err == nil || !strings.Contains(err.Error(), k) {
				t.Fatalf("%s=%s: %v", k, v, err)
			}
		})
	}
}

// The exports' bound: 4 by default, at least one.
func TestExportConcurrency(t *testing.T) {
	t.Setenv("ESSOR_EXPORT_CONCURRENCY", "")
	if c, err := Load(); err != nil || c.ExportConcurrency != DefaultExportConcurrency {
		t.Fatalf("default: %d %v", c.ExportConcurrency, err)
	}
	t.Setenv("ESSOR_EXPORT_CONCURRENCY", "12")
	if c, err := Load(); err != nil || c.ExportConcurrency != 12 {
		t.Fatalf("12: %d %v", c.ExportConcurrency, err)
	}
	for _, v := range []string{"0", "-3", "beaucoup"} {
		t.Setenv("ESSOR_EXPORT_CONCURRENCY", v)
		if _, err := Load(); err == nil || !strings.Contains(err.Error(), "ESSOR_EXPORT_CONCURRENCY") {
			t.Errorf("%s: %v", v, err)
		}
	}
}
