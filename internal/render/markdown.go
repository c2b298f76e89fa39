package render

import (
	"bufio"
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// newMarkdown returns the one Markdown converter of the site: GitHub
// Flavored Markdown with heading IDs, each heading a link to itself. Raw
// HTML stays off (goldmark's default): writers' HTML is shown escaped,
// never passed through.
func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithASTTransformers(util.Prioritized(headings{}, 100), util.Prioritized(boxTables{}, 200)),
		),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(tableBoxHTML{}, 500), util.Prioritized(codeHTML{}, 500))),
	)
}

// langClass is the language of a fenced block as a class name: the
// characters of a language's name, nothing else.
func langClass(lang []byte) string {
	for _, c := range lang {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '+' || c == '#') {
			return ""
		}
	}
	return string(lang)
}

// headings links every heading to itself, so that a reader can copy the
// link of a section, and lists those of an article's body for its table of
// contents. It moves an article body's headings one level down, so that a
// writer's "## Diagnose" becomes an <h3> inside the page's own <h2> section
// and the page's outline stays in order; an introduction, which follows the
// page's <h1>, keeps its levels.
type headings struct{}

// demoteKey marks a parser context whose headings go one level down.
var demoteKey = parser.NewContextKey()

// tocKey holds the *[]TOCEntry where an article's body lists its top
// headings.
var tocKey = parser.NewContextKey()

// A TOCEntry is one line of an article's table of contents.
type TOCEntry struct {
	ID, Title string
	Sub       []TOCEntry
}

func (headings) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	demote := pc.Get(demoteKey) != nil
	toc, _ := pc.Get(tocKey).(*[]TOCEntry)
	src := reader.Source()
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		top := h.Level == 2
		if demote {
			h.Level = min(h.Level+1, 6)
		}
		id, _ := h.AttributeString("id")
		idBytes, _ := id.([]byte)
		if len(idBytes) == 0 {
			return ast.WalkSkipChildren, nil
		}
		if toc != nil && top {
			*toc = append(*toc, TOCEntry{ID: string(idBytes), Title: plainText(h, src)})
		}
		if !hasLink(h) {
			link := ast.NewLink()
			link.Destination = append([]byte{'#'}, idBytes...)
			for c := h.FirstChild(); c != nil; {
				next := c.NextSibling()
				link.AppendChild(link, c)
				c = next
			}
			h.AppendChild(h, link)
		}
		return ast.WalkSkipChildren, nil
	})
}

// hasLink reports whether n holds a link, which a link around it would
// nest.
func hasLink(n ast.Node) bool {
	found := false
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if k := c.Kind(); entering && (k == ast.KindLink || k == ast.KindAutoLink) {
			found = true
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return found
}

// plainText is the text of n's inline content, without its markup.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// markdown converts a Markdown introduction to HTML, its headings as written.
func (r *Renderer) markdown(src []byte) (template.HTML, error) {
	return r.convertHTML(src, parser.NewContext())
}

// articleBody converts an article's Markdown body (or a collection's
// introduction) to HTML, its headings one level down, and lists its top
// headings. Heading IDs never take one of
// reserved, the IDs of the sections the template puts around the body.
func (r *Renderer) articleBody(src []byte, reserved ...string) (template.HTML, []TOCEntry, error) {
	ctx := parser.NewContext()
	ctx.Set(demoteKey, true)
	var toc []TOCEntry
	ctx.Set(tocKey, &toc)
	for _, id := range reserved {
		ctx.IDs().Put([]byte(id))
	}
	h, err := r.convertHTML(src, ctx)
	return h, toc, err
}

// convertHTML converts src to HTML, compacted.
//
// This and inline are the only places where HTML is trusted: goldmark with
// raw HTML off escapes everything it does not produce itself.
func (r *Renderer) convertHTML(src []byte, ctx parser.Context) (template.HTML, error) {
	buf, err := r.convert(src, ctx)
	defer bufPool.Put(buf)
	if err != nil {
		return "", err
	}
	return r.compact(buf)
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// writerPool holds the buffered writers goldmark writes through; given
// none, it makes its own for every conversion.
var writerPool = sync.Pool{New: func() any { return bufio.NewWriter(nil) }}

// convert converts src into a buffer from bufPool, for the caller to put
// back.
func (r *Renderer) convert(src []byte, ctx parser.Context) (*bytes.Buffer, error) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	w := writerPool.Get().(*bufio.Writer)
	defer writerPool.Put(w)
	w.Reset(buf)
	err := r.md.Convert(src, w, parser.WithContext(ctx))
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	w.Reset(nil)
	return buf, err
}

// compact returns the HTML in buf, minified when the renderer minifies.
func (r *Renderer) compact(buf *bytes.Buffer) (template.HTML, error) {
	if r.min == nil {
		return template.HTML(buf.String()), nil
	}
	out := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(out)
	out.Reset()
	if err := r.min.HTML(out, buf); err != nil {
		return "", fmt.Errorf("minify: %w", err)
	}
	return template.HTML(out.String()), nil
}

// markdownSyntax holds the bytes that can start inline Markdown, an HTML
// entity or an autolink, anywhere in a line.
const markdownSyntax = "`*_[]<>&\\!~:@"

// plain reports whether a line has no Markdown in it, so that it converts to
// itself, escaped, alone or as a list item: none of markdownSyntax, no
// "www." autolink, no space around it, and nothing at its start that could
// open a block (a heading, a list, a thematic break, a table row).
func plain(line string) bool {
	if line == "" || strings.ContainsAny(line, markdownSyntax) || strings.Contains(line, "www.") {
		return false
	}
	first, last := line[0], line[len(line)-1]
	if strings.IndexByte("#-+=|0123456789", first) >= 0 || isSpace(first) || isSpace(last) {
		return false
	}
	return !strings.ContainsAny(line, "\n\r")
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\f' || b == '\v' }

// plainHTML is the HTML of a plain line: the line itself, as it has no
// '<', '>' or '&' to escape, with NUL replaced as goldmark replaces it.
func plainHTML(line string) template.HTML {
	return template.HTML(strings.ReplaceAll(line, "\x00", "\uFFFD"))
}

// list converts items, each a line of inline Markdown, to one HTML list:
// <ol> when ordered, else <ul>.
func (r *Renderer) list(items []string, ordered bool) (template.HTML, error) {
	h, err := r.inlineAll(items)
	if err != nil {
		return "", err
	}
	if ordered {
		return r.htmlList("ol", h), nil
	}
	return r.htmlList("ul", h), nil
}

// inline converts one line of inline Markdown (a cause, a step, an answer)
// to HTML without the paragraph around it.
func (r *Renderer) inline(s string) (template.HTML, error) {
	if plain(s) {
		return plainHTML(s), nil
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

// inlineAll converts lines of inline Markdown, as inline converts each: a
// line without Markdown is only escaped, and the others go through goldmark
// in one pass, as the items of one list, each item's HTML cut back out.
// Without raw HTML, a "<" in the output can only open a tag, so the tags
// show whether every line stayed one item of its own. If one did not (it
// held a line break, opened a list or a heading, or defined a link
// reference the others could use), each line is converted alone: as a
// list of one item, or by inline when even that fails.
func (r *Renderer) inlineAll(lines []string) ([]template.HTML, error) {
	out := make([]template.HTML, len(lines))
	var md []string // the lines with Markdown
	var at []int    // where each is in lines
	for i, line := range lines {
		if plain(line) {
			out[i] = plainHTML(line)
		} else {
			md, at = append(md, line), append(at, i)
		}
	}
	h, ok, err := r.inlineList(md)
	if err != nil {
		return nil, err
	}
	for k, i := range at {
		if ok {
			out[i] = h[k]
			continue
		}
		one, ok, err := r.inlineList(md[k : k+1])
		if err != nil {
			return nil, err
		}
		if ok {
			out[i] = one[0]
		} else if out[i], err = r.inline(md[k]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// inlineList converts lines as the items of one list and reports whether
// each stayed an item of its own.
func (r *Renderer) inlineList(lines []string) ([]template.HTML, bool, error) {
	if len(lines) == 0 {
		return nil, true, nil
	}
	src := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(src)
	src.Reset()
	for _, line := range lines {
		if strings.ContainsAny(line, "\n\r") {
			return nil, false, nil
		}
		src.WriteString("- ")
		src.WriteString(line)
		src.WriteByte('\n')
	}
	ctx := parser.NewContext()
	buf, err := r.convert(src.Bytes(), ctx)
	defer bufPool.Put(buf)
	if err != nil {
		return nil, false, err
	}
	body, ok := bytes.CutPrefix(buf.Bytes(), []byte("<ul>\n<li>"))
	body, ok2 := bytes.CutSuffix(body, []byte("</li>\n</ul>\n"))
	if !ok || !ok2 || bytes.Count(body, []byte("</li>\n<li>")) != len(lines)-1 || bytes.Count(body, []byte("<li>")) != len(lines)-1 ||
		bytes.Contains(body, []byte("<h")) || len(ctx.References()) > 0 {
		return nil, false, nil
	}
	h, err := r.compact(buf)
	if err != nil {
		return nil, false, err
	}
	prefix, sep, suffix := "<ul>\n<li>", "</li>\n<li>", "</li>\n</ul>\n"
	if r.min != nil {
		// Minifying keeps the tags the items are cut at, not the newlines.
		prefix, sep, suffix = "<ul><li>", "</li><li>", "</li></ul>"
	}
	items := strings.Split(strings.TrimSuffix(strings.TrimPrefix(string(h), prefix), suffix), sep)
	if len(items) != len(lines) {
		return nil, false, nil
	}
	out := make([]template.HTML, len(items))
	for i, item := range items {
		out[i] = template.HTML(item)
	}
	return out, true, nil
}

// htmlList wraps converted items in one <ul> or <ol>, as goldmark writes
// a tight list, or as the minifier leaves it when the renderer minifies.
func (r *Renderer) htmlList(tag string, items []template.HTML) template.HTML {
	nl := "\n"
	if r.min != nil {
		nl = ""
	}
	var b strings.Builder
	n := 2*len(tag) + 5 + 2*len(nl)
	for _, item := range items {
		n += len(item) + 9 + len(nl)
	}
	b.Grow(n)
	b.WriteString("<" + tag + ">" + nl)
	for _, item := range items {
		b.WriteString("<li>")
		b.WriteString(string(item))
		b.WriteString("</li>" + nl)
	}
	b.WriteString("</" + tag + ">" + nl)
	return template.HTML(b.String())
}

// A codeBlock is code to show in its language.
type codeBlock struct{ lang, code string }

// codeBlocks converts blocks of code, each as a fenced block of Markdown,
// in one pass: the HTML of code is goldmark's, and highlighted as the
// bodies' code blocks are.
func (r *Renderer) codeBlocks(blocks []codeBlock) ([]template.HTML, error) {
	if len(blocks) == 0 {
		return nil, nil
	}
	src := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(src)
	src.Reset()
	for _, b := range blocks {
		fence := strings.Repeat("`", max(3, longestRun(b.code, '`')+1))
		src.WriteString(fence)
		src.WriteString(b.lang)
		src.WriteByte('\n')
		src.WriteString(b.code)
		if !strings.HasSuffix(b.code, "\n") {
			src.WriteByte('\n')
		}
		src.WriteString(fence)
		src.WriteString("\n\n")
	}
	h, err := r.convertHTML(src.Bytes(), parser.NewContext())
	if err != nil {
		return nil, err
	}
	// Code is escaped: "</pre>" closes a block and nothing else.
	parts := strings.SplitAfter(string(h), "</pre>")
	if len(parts) != len(blocks)+1 {
		return nil, fmt.Errorf("code blocks: %d blocks came out as %d", len(blocks), len(parts)-1)
	}
	out := make([]template.HTML, len(blocks))
	for i, part := range parts[:len(blocks)] {
		out[i] = template.HTML(strings.TrimSpace(part))
	}
	return out, nil
}

// longestRun is the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}
