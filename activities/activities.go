// Package activities holds the side effects of Essor's workflows; workflows
// call them through a nil *Activities.
package activities

import (
	"log/slog"

	"essor/internal/storage"
)

// Activities holds what the side effects need.
type Activities struct {
	DB  *storage.DB
	Log *slog.Logger
}
