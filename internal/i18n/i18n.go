// Package i18n holds every user-facing string, one catalogue per language.
package i18n

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"essor/internal/domain"
)

// Lang is a supported language.
type Lang string

const (
	FR Lang = "fr"
	EN Lang = "en"
)

// Parse picks the language from a tag or an Accept-Language header: English
// only when asked for first, French otherwise.
func Parse(s string) Lang {
	s = strings.TrimSpace(strings.ToLower(s))
	if strings.HasPrefix(s, "en") {
		return EN
	}
	return FR
}

// Each language's strings live in several files (core, web pages…), merged here.
var (
	// One area per line, so that areas added side by side merge cleanly.
	fr = merge(frCore, frWeb, frAuth, frOps, frPrivacy, frGate, frReference, frCommittee, frAssign, frCarrier, frOutcome,
		frPerf,
		frStudyAction,
		frIndicators,
		frRally,
		frRallyWeb,
		frCall,
		frMail,
		frExport,
		frNotices,
		frDirectory,
		frTerritories,
		frMatching,
		frSessions,
	)
	en = merge(enCore, enWeb, enAuth, enOps, enPrivacy, enGate, enReference, enCommittee, enAssign, enCarrier, enOutcome,
		enPerf,
		enStudyAction,
		enIndicators,
		enRally,
		enRallyWeb,
		enCall,
		enMail,
		enExport,
		enNotices,
		enDirectory,
		enTerritories,
		enMatching,
		enSessions,
	)
)

func merge(parts ...map[string]string) map[string]string {
	m := map[string]string{}
	for _, p := range parts {
		for k, v := range p {
			m[k] = v
		}
	}
	return m
}

func catalogue(l Lang) map[string]string {
	if l == EN {
		return en
	}
	return fr
}

// T translates key, formatting args with fmt verbs; an argument that is
// itself a key (starting with "@") is translated first. A missing key falls
// back to French, then to the key itself.
func T(l Lang, key string, args ...string) string {
	s, ok := catalogue(l)[key]
	if !ok {
		if s, ok = fr[key]; !ok {
			s = key
		}
	}
	if len(args) == 0 {
		return s
	}
	vals := make([]any, len(args))
	for i, a := range args {
		if name, ok := strings.CutPrefix(a, "@field."); ok && !Has(a[1:]) {
			vals[i] = name // a field with no label of its own (a query parameter, a header) shows its name
		} else if strings.HasPrefix(a, "@") {
			vals[i] = T(l, a[1:])
		} else if ts, ok := strings.CutPrefix(a, domain.TimeArgPrefix); ok {
			vals[i] = moment(l, ts)
		} else {
			vals[i] = a
		}
	}
	return fmt.Sprintf(s, vals...)
}

// Has tells whether the key exists in French (the reference catalogue).
func Has(key string) bool { _, ok := fr[key]; return ok }

// M translates a domain message.
func M(l Lang, m domain.Message) string { return T(l, m.Key, m.Args...) }

// Keys lists the keys of a catalogue (for tests that check both are complete).
func Keys(l Lang) []string {
	c := catalogue(l)
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	return keys
}

// moment writes an RFC 3339 time as lang reads it, in Paris: "1er décembre
// 2026 à 9 h 00", "1 December 2026 at 9:00".
func moment(l Lang, rfc3339 string) string {
	t, err := time.Parse(time.RFC3339, rfc3339)
	if err != nil {
		return rfc3339
	}
	t = t.In(domain.Paris)
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 {
		day = T(l, "web.fmt.first_day")
	}
	date := day + " " + T(l, "web.month."+strconv.Itoa(int(t.Month()))) + " " + strconv.Itoa(t.Year())
	if l == EN {
		return fmt.Sprintf("%s at %d:%02d", date, t.Hour(), t.Minute())
	}
	return fmt.Sprintf("%s à %d h %02d", date, t.Hour(), t.Minute())
}
