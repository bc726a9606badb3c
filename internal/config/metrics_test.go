package config

import (
	"os"
	"strings"
	"testing"
)

// Metrics are on the loopback interface unless told otherwise; an empty
// ESSOR_METRICS_ADDR turns the separate listener off; a metrics token is
// long enough not to be guessed.
func TestMetricsSettings(t *testing.T) {
	t.Setenv("ESSOR_METRICS_ADDR", "")
	t.Setenv("ESSOR_METRICS_TOKEN", "")
	os.Unsetenv("ESSOR_METRICS_ADDR")
	c, err := Load()
	if err != nil || c.MetricsAddr != "127.0.0.1:9464" || c.MetricsToken != "" {
		t.Fatalf("defaults: %q %q %v", c.MetricsAddr, c.MetricsToken, err)
	}

	t.Setenv("ESSOR_METRICS_ADDR", "")
	if c, err = Load(); err != nil || c.MetricsAddr != "" {
		t.Fatalf("empty address: %q %v", c.MetricsAddr, err)
	}

	t.Setenv("ESSOR_METRICS_ADDR", "0.0.0.0:9464")
	t.Setenv("ESSOR_METRICS_TOKEN", "un-jeton-de-metriques-assez-long")
	if c, err = Load(); err != nil || c.MetricsAddr != "0.0.0.0:9464" || c.MetricsToken != "un-jeton-de-metriques-assez-long" {
		t.Fatalf("set: %q %q %v", c.MetricsAddr, c.MetricsToken, err)
	}

	t.Setenv("ESSOR_METRICS_TOKEN", "court")
	if _, err = Load(); err == nil || !strings.Contains(err.Error(), "ESSOR_METRICS_TOKEN") {
		t.Fatalf("short token accepted: %v", err)
	}
}
