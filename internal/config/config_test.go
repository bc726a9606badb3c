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

// The legal pages' identities: unset is empty (the pages say « à
// renseigner »), set is kept as written, without surrounding spaces.
func TestNotices(t *testing.T) {
	for _, k := range []string{"ESSOR_NOTICE_PUBLISHER", "ESSOR_NOTICE_DIRECTOR", "ESSOR_NOTICE_HOST", "ESSOR_NOTICE_CONTACT", "ESSOR_NOTICE_DPO"} {
		t.Setenv(k, "")
	}
	if c, err := Load(); err != nil || c.Notices != (Notices{}) {
		t.Fatalf("unset: %+v %v", c.Notices, err)
	}
	t.Setenv("ESSOR_NOTICE_PUBLISHER", " Région Exemple, 4 square Castan, 25000 Besançon ")
	t.Setenv("ESSOR_NOTICE_DIRECTOR", "La présidente du conseil régional")
	t.Setenv("ESSOR_NOTICE_HOST", "Hébergeur SAS, 1 rue du Serveur, 75000 Paris, 01 23 45 67 89")
	t.Setenv("ESSOR_NOTICE_CONTACT", "essor@region.example")
	t.Setenv("ESSOR_NOTICE_DPO", "dpo@region.example")
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	want := Notices{Publisher: "Région Exemple, 4 square Castan, 25000 Besançon", Director: "La présidente du conseil régional",
		Host: "Hébergeur SAS, 1 rue du Serveur, 75000 Paris, 01 23 45 67 89", Contact: "essor@region.example", DPO: "dpo@region.example"}
	if c.Notices != want {
		t.Fatalf("%+v", c.Notices)
	}
}
