package rally

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestICSFoldAndEscape(t *testing.T) {
	if got := escapeText("a\\b;c,d\ne"); got != `a\\b\;c\,d\ne` {
		t.Fatalf("escaped %q", got)
	}
	long := "SUMMARY:" + strings.Repeat("é", 100) + "x"
	out := fold(long)
	if !strings.HasSuffix(out, "\r\n") {
		t.Fatal("no CRLF")
	}
	lines := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
	var joined strings.Builder
	for i, l := range lines {
		if len(l) > 75 {
			t.Errorf("line %d has %d octets", i, len(l))
		}
		if i > 0 {
			if l[0] != ' ' {
				t.Fatalf("continuation without a space: %q", l)
			}
			l = l[1:]
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d cuts a character: %q", i, l)
		}
		joined.WriteString(l)
	}
	if joined.String() != long {
		t.Fatal("unfolding does not give the line back")
	}
	if got := fold("SHORT:x"); got != "SHORT:x\r\n" {
		t.Fatalf("short line %q", got)
	}
}
