package auth

import (
	"strings"
	"testing"
	"time"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("un mot de passe très long")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %s", h)
	}
	if !CheckPassword(h, "un mot de passe très long") || CheckPassword(h, "un mot de passe très lonG") {
		t.Fatal("check")
	}
	h2, _ := HashPassword("un mot de passe très long")
	if h == h2 {
		t.Fatal("no salt")
	}
	for _, bad := range []string{"", "$bcrypt$x", "$argon2id$v=19$m=x$a$b", "$argon2id$v=19$m=1,t=1,p=1$!!$!!"} {
		if CheckPassword(bad, "x") {
			t.Fatalf("accepted %q", bad)
		}
	}
	if CheckUnknown("x") {
		t.Fatal("unknown account accepted")
	}
}

func TestTokens(t *testing.T) {
	a, ha := NewToken()
	b, _ := NewToken()
	if a == b || len(a) < 40 || string(HashToken(a)) != string(ha) || string(HashToken(b)) == string(ha) {
		t.Fatalf("tokens %s %s", a, b)
	}
}

func TestLimiterSlidingWindow(t *testing.T) {
	l := NewLimiter(3, time.Minute)
	t0 := time.Now()
	for i := 0; i < 3; i++ {
		if !l.Allowed("k", t0) {
			t.Fatalf("refused after %d failures", i)
		}
		l.Fail("k", t0.Add(time.Duration(i)*time.Second))
	}
	if l.Allowed("k", t0.Add(10*time.Second)) {
		t.Fatal("allowed after 3 failures")
	}
	if !l.Allowed("other", t0) {
		t.Fatal("keys are not separate")
	}
	if !l.Allowed("k", t0.Add(61*time.Second)) {
		t.Fatal("the window does not slide")
	}
	l.Fail("k", t0.Add(62*time.Second))
	l.Reset("k")
	if !l.Allowed("k", t0.Add(63*time.Second)) {
		t.Fatal("reset did not forget")
	}
}
