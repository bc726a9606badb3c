package mail

import (
	"bytes"
	"html/template"
	"strconv"
	"strings"

	"essor/internal/i18n"
)

// Item is one thing to tell a person: a queued message's kind, subject and facts.
type Item struct {
	Kind      string
	Subject   string // need, study_action, comment
	SubjectID string
	Data      map[string]string
}

// SubjectPaths are the pages a message links to, by subject (the web
// pages' addresses: internal/server/routes.go's pagePath, which a test
// compares with these).
var SubjectPaths = map[string]string{
	"need":              "/besoins/",
	"study_action":      "/fonds-de-confiance/",
	"call":              "/appels/",
	"rally_round":       "/rallye/",
	"committee_session": "/comite/seances/",
	"preferences":       "/mon-compte/notifications",
}

// Link is the page an item is about.
func (it Item) Link(baseURL string) string {
	switch it.Subject {
	case "comment":
		return baseURL + SubjectPaths["need"] + it.Data["need_id"] + "#discussion"
	case "need", "study_action", "call", "rally_round", "committee_session":
		return baseURL + SubjectPaths[it.Subject] + it.SubjectID
	}
	return baseURL + "/"
}

// Sentence says what happened, in lang.
func (it Item) Sentence(lang i18n.Lang) string {
	d := it.Data
	t := func(key string, args ...string) string { return i18n.T(lang, key, args...) }
	switch it.Kind {
	case "need_stage_changed", "supported_need_stage_changed":
		return t("mail.line."+it.Kind, d["title"], t("stage."+d["from"]), t("stage."+d["to"]))
	case "decision_letter":
		return t("mail.line.decision_letter", d["title"], t("decision.outcome."+d["decision"]))
	case "session_convened", "session_reminder":
		return t("mail.line."+it.Kind, d["title"], d["when"], d["place"])
	case "carrier_proposed", "carrier_invited":
		return t("mail.line."+it.Kind, d["organisation"], d["title"])
	case "deadline_passed", "need_waiting":
		return t("mail.line."+it.Kind, d["title"], t("kind."+d["kind"]))
	case "decision_taken":
		return t("mail.line.decision_taken", d["title"], t("decision.outcome."+d["decision"]))
	case "report_late":
		return t("mail.line.report_late", d["month"], d["title"])
	case "vote_reminder":
		return t("mail.line.vote_reminder", d["title"], d["deadline"])
	case "need_commented", "mentioned":
		return t("mail.line."+it.Kind, d["actor"], d["title"])
	}
	return t("mail.line."+it.Kind, d["title"])
}

// Quote is the text the item carries (a question asked, a comment), if any.
func (it Item) Quote() string {
	switch it.Kind {
	case "info_requested", "info_provided", "need_commented", "mentioned":
		return it.Data["comment"]
	case "session_convened", "session_reminder": // the agenda
		return it.Data["agenda"]
	case "carrier_invited": // the officer's words, then the project's public summary
		return strings.TrimSpace(it.Data["message"] + "\n\n" + it.Data["summary"])
	}
	return ""
}

// Attachments are the files the items carry: a convened session's
// invitation, a decision's letter (a PDF made here, in lang).
func Attachments(lang i18n.Lang, items []Item) ([]Attachment, error) {
	var out []Attachment
	for _, it := range items {
		if ics := it.Data["ics"]; ics != "" {
			out = append(out, Attachment{Name: "invitation.ics", ContentType: "text/calendar; charset=utf-8; method=PUBLISH", Data: []byte(ics)})
		}
		if it.Kind == "decision_letter" {
			pdf, err := DecisionLetter(lang, it)
			if err != nil {
				return nil, err
			}
			out = append(out, Attachment{Name: "lettre-de-decision.pdf", ContentType: "application/pdf", Data: pdf})
		}
	}
	return out, nil
}

// Written is an e-mail's subject and bodies.
type Written struct{ Subject, Text, HTML string }

type view struct {
	Intro       string
	Lines       []line
	Footer      string
	Preferences string
	PrefsURL    string
	Unsubscribe string
	UnsubURL    string
	Lang        string
}

type line struct{ Sentence, Quote, Link, LinkText string }

// htmlPage is the HTML part; the intro's paragraphs (blank-line separated
// in the catalogue, as in the text part) stay paragraphs.
var htmlPage = template.Must(template.New("mail").Funcs(template.FuncMap{
	"paragraphs": func(s string) []string { return strings.Split(s, "\n\n") },
}).Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>Essor</title></head>
<body style="font-family: sans-serif; line-height: 1.5; color: #1b1b1b">
{{range paragraphs .Intro}}<p>{{.}}</p>{{end}}
<ul>{{range .Lines}}<li><p>{{.Sentence}}</p>{{with .Quote}}<blockquote style="border-left: 3px solid #bbb; margin: 0; padding-left: 1em">{{.}}</blockquote>{{end}}<p><a href="{{.Link}}">{{.LinkText}}</a></p></li>{{end}}</ul>
<hr>
<p style="font-size: small">{{.Footer}}<br><a href="{{.PrefsURL}}">{{.Preferences}}</a>{{with .UnsubURL}} · <a href="{{.}}">{{$.Unsubscribe}}</a>{{end}}</p>
</body></html>
`))

// Compose writes the e-mail of one item (immediate mode).
func Compose(lang i18n.Lang, baseURL, unsubscribeURL string, it Item) Written {
	w := write(lang, baseURL, unsubscribeURL, i18n.T(lang, "mail.intro.one"), []Item{it})
	w.Subject = i18n.T(lang, "mail.subject."+it.Kind, it.Data["title"])
	return w
}

// ComposeDigest writes one person's daily digest, grouping their items.
func ComposeDigest(lang i18n.Lang, baseURL, unsubscribeURL string, items []Item) Written {
	w := write(lang, baseURL, unsubscribeURL, i18n.T(lang, "mail.intro.digest"), items)
	w.Subject = i18n.T(lang, "mail.subject.digest", strconv.Itoa(len(items)))
	return w
}

func write(lang i18n.Lang, baseURL, unsubscribeURL, intro string, items []Item) Written {
	v := view{Intro: intro, Lang: string(lang), Footer: i18n.T(lang, "mail.footer"),
		Preferences: i18n.T(lang, "mail.preferences"), PrefsURL: baseURL + SubjectPaths["preferences"],
		Unsubscribe: i18n.T(lang, "mail.unsubscribe"), UnsubURL: unsubscribeURL}
	var text strings.Builder
	text.WriteString(intro + "\n\n")
	for _, it := range items {
		l := line{Sentence: it.Sentence(lang), Quote: it.Quote(), Link: it.Link(baseURL), LinkText: i18n.T(lang, "mail.open")}
		v.Lines = append(v.Lines, l)
		text.WriteString("• " + l.Sentence + "\n")
		if l.Quote != "" {
			text.WriteString("  « " + l.Quote + " »\n")
		}
		text.WriteString("  " + l.Link + "\n\n")
	}
	text.WriteString("-- \n" + v.Footer + "\n" + v.Preferences + " : " + v.PrefsURL + "\n")
	if unsubscribeURL != "" {
		text.WriteString(v.Unsubscribe + " : " + unsubscribeURL + "\n")
	}
	var html bytes.Buffer
	if err := htmlPage.Execute(&html, v); err != nil {
		html.Reset() // text only rather than nothing: the template is fixed, this does not happen
	}
	return Written{Text: text.String(), HTML: html.String()}
}
