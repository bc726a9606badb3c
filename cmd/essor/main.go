// Command essor runs Essor: see `essor help`.
package main

import (
	"context"
	"os"

	"essor/internal/app"
)

func main() {
	os.Exit(app.Main(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
