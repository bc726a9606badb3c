package kit

import "essor/internal/domain"

// The site header's navigation, read by layouts/base.html: the main
// navigation (top-level links and a few menus, by programme and role) and
// the account menu. A page joins it with one line here; a menu of which
// the viewer may see only one entry shows that entry as a plain link, so a
// role's menu can start with a single page.
var (
	mainNav = []navItem{
		navLink("needs", "needs", "web.nav.needs", anyone),
		navLink("submit", "needs.new", "web.nav.submit", anonymousOr(domain.RoleActor)),
		navMenu("programmes", "web.nav.programmes",
			navLink("seeking", "seeking", "web.nav.seeking", anyone),
			navLink("studyactions", "studyactions", "web.nav.fund", anyone),
			navLink("calls", "calls", "web.nav.calls", anyone),
			navLink("rally", "rally", "web.nav.rally", anyone),
		),
		navMenu("observatory", "web.nav.observatory",
			navLink("indicators", "indicators", "web.nav.indicators", anyone),
			navLink("directory", "directory", "web.nav.directory", anyone),
		),
		navMenu("followup", "web.nav.followup",
			navLink("files", "my.files", "web.nav.files", holds(domain.RoleOfficer)),
			navLink("board", "board", "web.nav.board", holds(domain.RoleOfficer)),
			navLink("studyactions.followup", "studyactions.followup", "web.nav.fund_followup", holds(domain.RoleOfficer)),
			navLink("sessions", "sessions", "web.nav.sessions", holds(domain.RoleOfficer)),
		),
		navMenu("committee", "web.nav.committee_menu",
			navLink("committee", "committee", "web.nav.committee", holds(domain.RoleCommittee)),
		),
		navMenu("admin", "web.nav.administration",
			navLink("admin", "accounts", "web.nav.admin", holds(domain.RoleAdmin)),
			navLink("reference", "reference", "web.nav.reference", holds(domain.RoleAdmin)),
			navLink("institutions", "institutions", "web.nav.institutions", holds(domain.RoleAdmin)),
			navLink("outbox", "outbox", "web.nav.outbox", holds(domain.RoleAdmin)),
		),
	}
	// accountNav comes before the account menu's sign-out buttons.
	accountNav = []navItem{
		navLink("mine", "my.needs", "web.nav.mine", holds(domain.RoleActor)),
		navLink("notifications", "my.notifications", "web.nav.notifications", signedInOnly),
	}
)

// navItem is a link (page set) or a menu of links (links set).
type navItem struct {
	nav   string // the link: the layout's Nav of the page it leads to (aria-current), or the menu's key
	page  string // the link's pagePath name
	label string // a catalogue key
	sees  func(Layout) bool
	links []navItem
}

func navLink(nav, page, label string, sees func(Layout) bool) navItem {
	return navItem{nav: nav, page: page, label: label, sees: sees}
}

func navMenu(key, label string, links ...navItem) navItem {
	return navItem{nav: key, label: label, links: links}
}

func anyone(Layout) bool         { return true }
func signedInOnly(l Layout) bool { return l.User != nil }

func holds(role domain.Role) func(Layout) bool {
	return func(l Layout) bool { return l.Can(string(role)) }
}

func anonymousOr(role domain.Role) func(Layout) bool {
	return func(l Layout) bool { return l.User == nil || l.Can(string(role)) }
}

// NavEntry is what the header template shows of a navItem for one viewer:
// a link (Href) or a menu (Links), Current when it is, or holds, the
// page shown.
type NavEntry struct {
	Key     string
	Label   string
	Href    string
	Current bool
	Links   []NavEntry
}

// MainNav is the main navigation as this page's viewer sees it.
func (l Layout) MainNav() []NavEntry { return l.nav(mainNav) }

// AccountNav is the account menu's links for this page's viewer.
func (l Layout) AccountNav() []NavEntry { return l.nav(accountNav) }

func (l Layout) nav(items []navItem) []NavEntry {
	var out []NavEntry
	for _, it := range items {
		if it.links == nil {
			if it.sees(l) {
				out = append(out, NavEntry{Key: it.nav, Label: it.label, Href: PageURL(it.page), Current: it.nav == l.Nav})
			}
			continue
		}
		switch links := l.nav(it.links); len(links) {
		case 0:
		case 1:
			out = append(out, links[0])
		default:
			m := NavEntry{Key: it.nav, Label: it.label, Links: links}
			for _, e := range links {
				m.Current = m.Current || e.Current
			}
			out = append(out, m)
		}
	}
	return out
}
