package build

import (
	"bytes"
	"io"
	"regexp"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"
)

// minifier is configured once and safe for concurrent use afterwards.
// Default attribute values are kept: html-validate asks for the type of
// every <button> and <input>, so that none is a submit button by mistake.
var minifier = func() *minify.M {
	m := minify.New()
	m.AddFunc("text/css", css.Minify)
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepDefaultAttrVals: true})
	m.AddFunc("image/svg+xml", svg.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`^(application|text)/(x-)?(java|ecma)script$`), js.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`[/+]json$`), json.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`[/+]xml$`), xml.Minify)
	return m
}()

// pageMinifier minifies pages as the renderer makes them: the template
// files, with their {{actions}} kept, and the HTML made from Markdown.
type pageMinifier struct{}

var templateMinifier = func() *minify.M {
	m := minify.New()
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepDefaultAttrVals: true, TemplateDelims: [2]string{"{{", "}}"}})
	return m
}()

func (pageMinifier) Template(w io.Writer, src []byte) error {
	return templateMinifier.Minify("text/html", w, bytes.NewReader(src))
}

func (pageMinifier) HTML(w io.Writer, src *bytes.Buffer) error {
	return minifier.Minify("text/html", w, src) // reads src.Bytes(), no copy
}

// mediaTypes maps the extensions the build minifies to their media types.
var mediaTypes = map[string]string{
	".html": "text/html",
	".css":  "text/css",
	".js":   "application/javascript",
	".svg":  "image/svg+xml",
	".json": "application/json",
	".xml":  "application/xml",
}
