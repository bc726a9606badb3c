// Package web holds the pages' templates and static files; they are embedded
// in the binary so that one file is all a server needs.
package web

import (
	"embed"
	"io/fs"
)

//go:embed templates static
var files embed.FS

// Templates are the html/template sources: layouts/, partials/ and pages/.
func Templates() fs.FS { return sub("templates") }

// Static are the files served under /static/.
func Static() fs.FS { return sub("static") }

func sub(dir string) fs.FS {
	f, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // the directory is embedded above: it always exists
	}
	return f
}
