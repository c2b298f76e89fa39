// Package render turns the content model into HTML pages: Markdown through
// goldmark, page data through the html/template files of templates/.
//
// It is the second step of the flow (content → render → build → serve) and
// never touches the file system: templates come in as an fs.FS and pages go
// out to an io.Writer.
package render

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/errwiki/errwiki/internal/content"
	"github.com/yuin/goldmark"
)

// Page kinds, each rendered by the template file of the same name.
const (
	KindHome       = "home"
	KindCollection = "collection"
	KindArticle    = "article"
	KindNotFound   = "404"
)

// kinds are the page kinds, each with its template file, "<kind>.html".
var kinds = []string{KindHome, KindCollection, KindArticle, KindNotFound}

// A Renderer holds the parsed templates and the Markdown converter. It is
// safe for concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	min    Minifier
	pages  map[string]*template.Template // by page kind, minified with min
	plain  map[string]*template.Template // as written
	files  map[string]string             // template file name → path under templates/
	digest [32]byte                      // of the template files parsed

	mu         sync.Mutex
	chromeSite *Site                       // the site of the chrome below
	chrome     map[string][3]template.HTML // head, header and footer by current nav item

	sidebarSite *Site               // the site of the sidebars below
	sidebars    map[*Sidebar]string // rendered, no code marked
}

// A Minifier compacts HTML. Template compacts the text of a template file,
// leaving its {{actions}} alone; HTML compacts a piece of HTML, which it may
// take from src without copying it.
type Minifier interface {
	Template(w io.Writer, src []byte) error
	HTML(w io.Writer, src *bytes.Buffer) error
}

// New parses the templates in fsys: base.html, partials/*.html and one file
// per page kind. With a Minifier, pages come out minified: the template
// files are minified before they are parsed and the HTML made from Markdown
// as it is made, so the rest of a page, the values the templates insert,
// is text escaped by html/template, with no space to remove. The templates
// as written are parsed too, for errors that name their true lines.
func New(fsys fs.FS, min Minifier) (*Renderer, error) {
	r := &Renderer{md: newMarkdown(), min: min}
	funcs := template.FuncMap{
		"inline": r.inline,
		"list":   func(items []string) (template.HTML, error) { return r.list(items, false) },
		"steps":  func(items []string) (template.HTML, error) { return r.list(items, true) },
	}
	r.files = map[string]string{"base.html": "base.html"}
	partials, _ := fs.Glob(fsys, "partials/*.html")
	for _, p := range partials {
		r.files[path.Base(p)] = p
	}
	for _, kind := range kinds {
		r.files[kind+".html"] = kind + ".html"
	}
	src := &onceFS{FS: fsys, files: map[string][]byte{}}
	var err error
	if r.plain, err = parse(src, funcs); err != nil {
		return nil, r.locate(err)
	}
	r.pages = r.plain
	if min != nil {
		if r.pages, err = parse(minifiedFS{src, min}, funcs); err != nil {
			return nil, r.locate(err)
		}
	}
	r.digest = src.digest()
	return r, nil
}

// Digest is the SHA-256 of the template files the Renderer parsed, the
// only files of its fs.FS that the pages depend on.
func (r *Renderer) Digest() [32]byte { return r.digest }

// onceFS reads each file of an fs.FS once and keeps its bytes for later
// reads: the templates are parsed as written and minified, and digested.
// It lists directories with fsys's own ReadDir, if it has one, as a stack
// of template directories does.
type onceFS struct {
	fs.FS
	files map[string][]byte
}

func (o *onceFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(o.FS, name) }

func (o *onceFS) ReadFile(name string) ([]byte, error) {
	if data, ok := o.files[name]; ok {
		return data, nil
	}
	data, err := fs.ReadFile(o.FS, name)
	if err == nil {
		o.files[name] = data
	}
	return data, err
}

// digest hashes the files read, by name.
func (o *onceFS) digest() [32]byte {
	h := sha256.New()
	for _, name := range slices.Sorted(maps.Keys(o.files)) {
		fmt.Fprintf(h, "%s %d\n", name, len(o.files[name]))
		h.Write(o.files[name])
	}
	return [32]byte(h.Sum(nil))
}

// templateAt is where html/template's errors name a template file and line:
// "template: article.html:5:15: executing …", "html/template:base.html:3:9: …".
var templateAt = regexp.MustCompile(`(?:html/)?template: ?([^\s:]+):(\d)`)

// locate rewrites an error from html/template to start with the path of
// the template file in a site and the line, "templates/article.html:5:15:
// executing …", the file:line form of every other error. The error still
// unwraps to the original.
func (r *Renderer) locate(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	m := templateAt.FindStringSubmatchIndex(msg)
	if m == nil {
		return err
	}
	file, ok := r.files[msg[m[2]:m[3]]]
	if !ok {
		return err
	}
	return &templateError{"templates/" + file + ":" + msg[m[4]:], err}
}

// A templateError is an error of html/template, with the file's path.
type templateError struct {
	msg string
	err error
}

func (e *templateError) Error() string { return e.msg }
func (e *templateError) Unwrap() error { return e.err }

// parse parses the templates of every page kind.
func parse(fsys fs.FS, funcs template.FuncMap) (map[string]*template.Template, error) {
	base, err := template.New("base.html").Funcs(funcs).ParseFS(fsys, "base.html")
	if err != nil {
		return nil, fmt.Errorf("parse templates: %w", err)
	}
	if partials, _ := fs.Glob(fsys, "partials/*.html"); len(partials) > 0 {
		if base, err = base.ParseFS(fsys, partials...); err != nil {
			return nil, fmt.Errorf("parse templates: %w", err)
		}
	}
	pages := map[string]*template.Template{}
	for _, kind := range kinds {
		t, err := template.Must(base.Clone()).ParseFS(fsys, kind+".html")
		if err != nil {
			return nil, fmt.Errorf("parse templates: %w", err)
		}
		pages[kind] = t
	}
	return pages, nil
}

// minifiedFS reads the files of an fs.FS minified as templates.
type minifiedFS struct {
	*onceFS
	min Minifier
}

func (m minifiedFS) ReadFile(name string) ([]byte, error) {
	src, err := m.onceFS.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := m.min.Template(&b, src); err != nil {
		return nil, fmt.Errorf("minify %s: %w", name, err)
	}
	return b.Bytes(), nil
}

// executeTemplate runs the named template of a page kind. When the
// minified templates fail, the templates as written run again for the
// error, which then names the line of the file the writer sees.
func (r *Renderer) executeTemplate(w io.Writer, kind, name string, data any) error {
	err := r.pages[kind].ExecuteTemplate(w, name, data)
	if err != nil && r.min != nil {
		if plainErr := r.plain[kind].ExecuteTemplate(io.Discard, name, data); plainErr != nil {
			err = plainErr
		}
	}
	return r.locate(err)
}

// setChrome renders the head, header and footer of p, or takes them from
// the last page that had the same site and the same current nav item.
func (r *Renderer) setChrome(p *Page) error {
	key := ""
	for _, n := range p.Nav {
		if n.Current {
			key = n.URL
		}
	}
	r.mu.Lock()
	if r.chromeSite != p.Site {
		r.chromeSite, r.chrome = p.Site, map[string][3]template.HTML{}
	}
	c, ok := r.chrome[key]
	r.mu.Unlock()
	if !ok {
		data := &Chrome{Site: p.Site, Links: p.Links, Nav: p.Nav}
		for i, name := range []string{"head", "header", "footer"} {
			var b strings.Builder
			if err := r.executeTemplate(&b, KindNotFound, name, data); err != nil {
				return err
			}
			c[i] = template.HTML(b.String())
		}
		r.mu.Lock()
		if r.chromeSite == p.Site {
			r.chrome[key] = c
		}
		r.mu.Unlock()
	}
	p.Head, p.Header, p.Footer = c[0], c[1], c[2]
	return nil
}

func (r *Renderer) execute(w io.Writer, kind string, p *Page, data any) error {
	err := r.setChrome(p)
	if err == nil {
		err = r.executeTemplate(w, kind, "base.html", data)
	}
	if err != nil {
		return fmt.Errorf("%w (rendering %s)", err, p.Path)
	}
	return nil
}

// Data is the data of one page, made by NewHome, NewCollection,
// NewArticle or NewNotFound, for Render.
type Data interface{ page() *Page }

func (p *Page) page() *Page { return p }

// NewHome returns the data of the home page.
func NewHome(s *Site, src *content.Site) *HomePage {
	p := &HomePage{Page: newPage(s, KindHome, "/", s.Title, s.Description), IntroMarkdown: src.Body}
	p.collections(src)
	return p
}

// NewCollection returns the data of a collection's index, its articles
// grouped by category.
func NewCollection(s *Site, c *content.Collection) *CollectionPage {
	p := &CollectionPage{Page: newPage(s, KindCollection, c.Path(), c.Title, c.Description), Collection: s.byKey[c.Key], IntroMarkdown: c.Body}
	p.crumbs(s.Title, "/", c.Title, c.Path())
	p.group(c)
	return p
}

// NewArticle returns the data of an article's page. Its body is read when
// the page is rendered.
func NewArticle(s *Site, a *content.Article) *ArticlePage {
	p := &ArticlePage{Page: newPage(s, KindArticle, a.Path(), a.Title(), a.Summary), Article: s.article(a)}
	p.ShortTitle = a.ShortTitle()
	p.SidebarData = s.sidebar(a.Collection)
	p.crumbs(s.Title, "/", a.Collection.Title, a.Collection.Path(), a.Code+" "+a.Name, a.Path())
	p.links(a)
	if s.Repository != "" {
		p.EditURL = strings.TrimSuffix(s.Repository, "/") + "/edit/main/" + a.File
	}
	return p
}

// NewNotFound returns the data of the 404 page.
func NewNotFound(s *Site) *Page {
	p := newPage(s, KindNotFound, "/404.html", "Page not found", s.Description)
	p.NoIndex = true
	return &p
}

// sectionIDs are the IDs of the article template's own sections; headings
// in the body get other IDs.
var sectionIDs = []string{"about", "quick-answer", "toc", "overview", "key-details", "causes", "steps", "more", "example", "example-request", "example-response", "send", "faq", "related", "references", "codes"}

// Render renders a page from its data, which it does not change: the
// HTML made from the data's Markdown goes into a copy.
func (r *Renderer) Render(w io.Writer, d Data) error {
	switch d := d.(type) {
	case *HomePage:
		p := *d
		intro, err := r.markdown(p.IntroMarkdown)
		if err != nil {
			return err
		}
		p.Intro = intro
		return r.execute(w, KindHome, &p.Page, &p)
	case *CollectionPage:
		p := *d
		// The introduction follows the codes, under a heading of its own.
		reserved := []string{"about-codes", "main", "q", "q-results", "f-all"}
		for _, cat := range p.Collection.Categories {
			reserved = append(reserved, cat.Key, "f-"+cat.Key)
		}
		for _, f := range faultOrder {
			reserved = append(reserved, "f-"+f)
		}
		intro, _, err := r.articleBody(p.IntroMarkdown, reserved...)
		if err != nil {
			return fmt.Errorf("render %s: %w", p.Collection.Key, err)
		}
		p.Intro = intro
		return r.execute(w, KindCollection, &p.Page, &p)
	case *ArticlePage:
		p := *d
		a := p.Article
		body, bodyTOC, err := r.articleBody(a.src.Body, sectionIDs...)
		if err != nil {
			return fmt.Errorf("render %s: %w", a.File, err)
		}
		p.Body = body
		p.toc(bodyTOC)
		if err := p.prose(r); err != nil {
			return fmt.Errorf("render %s: %w", a.File, err)
		}
		if p.Sidebar, err = r.sidebar(&p); err != nil {
			return fmt.Errorf("render %s: %w", a.File, err)
		}
		return r.execute(w, KindArticle, &p.Page, &p)
	case *Page:
		p := *d
		return r.execute(w, p.Kind, &p, &p)
	}
	return fmt.Errorf("render: unknown page data %T", d)
}
