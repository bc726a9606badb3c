package config

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestRetentionOfClosedAccounts(t *testing.T) {
	const key = "ESSOR_RETENTION_CLOSED_ACCOUNTS"
	t.Setenv(key, "")
	os.Unsetenv(key)
	c, err := Load()
	if err != nil || c.RetainClosedAccounts != 1095*24*time.Hour {
		t.Fatalf("default %v %v", c.RetainClosedAccounts, err)
	}
	for v, want := range map[string]time.Duration{"": 0, "0": 0, "0d": 0, "30d": 30 * 24 * time.Hour, "720h": 720 * time.Hour} {
		t.Setenv(key, v)
		c, err := Load()
		if err != nil || c.RetainClosedAccounts != want {
			t.Errorf("%s=%q: %v %v, want %v", key, v, c.RetainClosedAccounts, err, want)
		}
	}
	for _, v := range []string{"trois ans", "-5d"} {
		t.Setenv(key, v)
		if _, err := Load(); err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("%s=%q: %v", key, v, err)
		}
	}
}
