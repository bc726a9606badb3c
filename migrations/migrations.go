// Package migrations embeds the forward-only SQL migrations, applied in file
// name order (a timestamp prefix) and recorded in schema_migrations.
package migrations

import "embed"

//go:embed *.sql
var FS embed.FS
