// Package templates embeds the default page templates. A site overrides any
// of them by putting a file of the same name in its own templates/ directory.
package templates

import "embed"

// FS holds base.html, partials/*.html and one template per page kind.
//
//go:embed *.html partials/*.html
var FS embed.FS
