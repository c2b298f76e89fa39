// Package static embeds the default static files (style sheet, scripts,
// icons). A site overrides any of them by putting a file of the same name in
// its own static/ directory.
package static

import "embed"

// FS holds the files copied, minified, to the root of the output.
//
//go:embed *.css *.svg *.js
var FS embed.FS
