//go:build embedui

// Package frontend holds the built React SPA. Release builds (`make build`, `make run`, Docker)
// use the embedui tag so the binary carries frontend/dist; plain `go build` and `go test` work
// on a fresh clone without Node.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built SPA, or nil when the binary was built without it.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embed pattern guarantees dist exists
	}
	return sub
}
