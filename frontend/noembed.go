//go:build !embedui

// Package frontend holds the built React SPA. This build has none: build with -tags embedui
// (as `make run` does) to embed frontend/dist.
package frontend

import "io/fs"

// Dist returns the built SPA, or nil when the binary was built without it.
func Dist() fs.FS { return nil }
