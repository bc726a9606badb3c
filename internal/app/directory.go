package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"essor/internal/config"
)

// errRefusedLines ends an import that left lines out (exit code 1).
type errRefusedLines int

func (e errRefusedLines) Error() string { return fmt.Sprintf("%d ligne(s) refusée(s)", int(e)) }

// directoryCommand is `essor directory import FILE.csv`.
func directoryCommand(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	if len(args) != 2 || args[0] != "import" {
		return usageError{"essor directory import FICHIER.csv"}
	}
	f, err := os.Open(args[1])
	if err != nil {
		return err
	}
	defer f.Close()
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	tty := isTerminal(stderr)
	start := time.Now()
	res, err := db.ImportOrganisations(ctx, f, func(lines int, read int64) {
		if !tty {
			return
		}
		pct := 100.0
		if size > 0 {
			pct = float64(read) * 100 / float64(size)
		}
		bar := strings.Repeat("█", int(pct/4)) + strings.Repeat("░", 25-int(pct/4))
		fmt.Fprintf(stderr, "\r%s %3.0f %% — %d lignes", bar, pct, lines)
	})
	if tty {
		fmt.Fprintln(stderr)
	}
	if err != nil {
		return err
	}
	for _, r := range res.Refused {
		fmt.Fprintf(stdout, "ligne %d refusée : %s\n", r.Line, r.Reason)
	}
	fmt.Fprintf(stdout, "%d lignes lues en %s : %d ajoutées, %d mises à jour, %d inchangées, %d refusées\n",
		res.Lines, time.Since(start).Round(time.Millisecond), res.Inserted, res.Updated, res.Unchanged, len(res.Refused))
	if len(res.Refused) > 0 {
		return errRefusedLines(len(res.Refused))
	}
	return nil
}

// isTerminal tells whether w is a terminal (a progress bar is drawn there).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
