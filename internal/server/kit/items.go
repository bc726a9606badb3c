package kit

import (
	"time"

	"essor/internal/storage"
)

// needItem is a need as lists and cards show it.
type NeedItem struct {
	storage.NeedRow
	ThemeLabel    string
	TerritoryName string
	Late          bool
	Summary       string // the description's excerpt
}

// Territory names a territory code.
func (r RefLabels) Territory(code string) string {
	if n, ok := r.TerritoryNames[code]; ok {
		return n
	}
	return code
}

func (r RefLabels) Items(rows []storage.NeedRow) []NeedItem {
	now := time.Now()
	out := make([]NeedItem, 0, len(rows))
	for _, n := range rows {
		theme := r.ThemeNames[n.Theme]
		if theme == "" {
			theme = n.Theme
		}
		summary, _ := n.Excerpt()
		out = append(out, NeedItem{NeedRow: n, ThemeLabel: theme, TerritoryName: r.Territory(n.TerritoryCode), Late: n.Overdue(now),
			Summary: summary})
	}
	return out
}
