package render

import (
	"bytes"
	"html/template"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// newMarkdown returns the one Markdown converter of the site: GitHub
// Flavored Markdown with heading IDs. Raw HTML stays off (goldmark's
// default): writers' HTML is shown escaped, never passed through.
func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithASTTransformers(util.Prioritized(demoteHeadings{}, 100)),
		),
	)
}

// demoteHeadings moves every heading of a body one level down, so that a
// writer's "## Diagnose" becomes an <h3> inside the page's own <h2> section
// and the page's outline stays in order.
type demoteHeadings struct{}

func (demoteHeadings) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			h.Level = min(h.Level+1, 6)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// markdown converts a Markdown body to HTML. Heading IDs never take one of
// reserved, the IDs of the sections the template puts around the body.
//
// This and inline are the only places where HTML is trusted: goldmark with
// raw HTML off escapes everything it does not produce itself.
func (r *Renderer) markdown(src []byte, reserved ...string) (template.HTML, error) {
	ctx := parser.NewContext()
	for _, id := range reserved {
		ctx.IDs().Put([]byte(id))
	}
	buf := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(buf)
	buf.Reset()
	if err := r.md.Convert(src, buf, parser.WithContext(ctx)); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}

// markdownSyntax holds the bytes that can start inline Markdown or an
// HTML entity; text without them converts to itself, escaped.
const markdownSyntax = "`*_[]<>&\\!~:"

// list converts items, each a line of inline Markdown, to one HTML list:
// <ol> when ordered, else <ul>. One conversion for the whole list costs far
// less than one per item. An item that would not stay a single list item
// (a line break, say) falls back to being converted on its own.
func (r *Renderer) list(items []string, ordered bool) (template.HTML, error) {
	tag, marker := "ul", "- "
	if ordered {
		tag, marker = "ol", "1. "
	}
	var src strings.Builder
	for _, item := range items {
		if strings.ContainsAny(item, "\n\r") {
			return r.listEach(tag, items)
		}
		src.WriteString(marker)
		src.WriteString(item)
		src.WriteString("\n")
	}
	h, err := r.markdown([]byte(src.String()))
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(string(h), "<"+tag+">\n") || strings.Count(string(h), "<li>") != len(items) {
		return r.listEach(tag, items)
	}
	return h, nil
}

func (r *Renderer) listEach(tag string, items []string) (template.HTML, error) {
	var b strings.Builder
	b.WriteString("<" + tag + ">\n")
	for _, item := range items {
		h, err := r.inline(item)
		if err != nil {
			return "", err
		}
		b.WriteString("<li>" + string(h) + "</li>\n")
	}
	b.WriteString("</" + tag + ">\n")
	return template.HTML(b.String()), nil
}

// inline converts one line of inline Markdown (a cause, a step, an answer)
// to HTML without the paragraph around it.
func (r *Renderer) inline(s string) (template.HTML, error) {
	if !strings.ContainsAny(s, markdownSyntax) {
		return template.HTML(template.HTMLEscapeString(s)), nil
	}
	h, err := r.markdown([]byte(s))
	if err != nil {
		return "", err
	}
	out := strings.TrimSpace(string(h))
	if p, ok := strings.CutPrefix(out, "<p>"); ok && strings.Count(out, "<p>") == 1 {
		out = strings.TrimSuffix(p, "</p>")
	}
	return template.HTML(out), nil
}
