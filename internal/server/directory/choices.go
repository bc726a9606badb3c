package directory

import (
	"slices"
	"strings"

	"essor/internal/domain"
)

func isFamily(s string) bool    { return slices.Contains(domain.Families, domain.Family(s)) }
func isLegalForm(s string) bool { return slices.Contains(domain.LegalForms, domain.LegalForm(s)) }

func familyList() string {
	out := make([]string, len(domain.Families))
	for i, f := range domain.Families {
		out[i] = string(f)
	}
	return strings.Join(out, ", ")
}

func legalFormList() string {
	out := make([]string, len(domain.LegalForms))
	for i, f := range domain.LegalForms {
		out[i] = string(f)
	}
	return strings.Join(out, ", ")
}
