package render

import (
	"html/template"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/errwiki/errwiki/internal/content"
)

// Page is what every page kind shares: the site, the head and the
// breadcrumbs. Links are worked out in Go rather than in the templates:
// a template calls a method through reflection, and a large site has a
// great many links.
type Page struct {
	Site        *Site
	Kind        string
	Path        string // site path, e.g. "/http/502/"
	Title       string // the page's own title; <title> adds the site's
	ShortTitle  string // a shorter title for <title>, when Title is too long
	Description string
	Canonical   string // the page's absolute URL
	Links       SiteLinks
	Nav         []NavItem
	Crumbs      []Crumb
	NoIndex     bool
	Head        template.HTML // the site's links in <head>, the same on every page
	Header      template.HTML // the site header and footer, the same on many pages
	Footer      template.HTML
}

// Chrome is what the head, header and footer templates see: the parts of a
// page that pages share, so that each is rendered once and reused.
type Chrome struct {
	Site  *Site
	Links SiteLinks
	Nav   []NavItem
}

// SiteLinks are the links every page has, under the base path.
type SiteLinks struct {
	Home, Style, Icon, Feed, Script, Code, SearchIndex string
}

// A NavItem is one collection in the site navigation.
type NavItem struct {
	Title, URL string
	Current    bool
}

// A Crumb is one step of the breadcrumb trail.
type Crumb struct {
	Name, Path, URL string
	Current         bool
}

func newPage(s *Site, kind, path, title, description string) Page {
	p := Page{Site: s, Kind: kind, Path: path, Title: title, Description: description, Canonical: s.AbsURL(path)}
	p.Links = SiteLinks{
		Home:        p.URL("/"),
		Style:       p.URL("/style.css"),
		Icon:        p.URL("/favicon.svg"),
		Feed:        p.URL("/feed.xml"),
		Script:      p.URL("/search.js"),
		Code:        p.URL("/code.js"),
		SearchIndex: p.URL("/_search/meta.json"),
	}
	p.Nav = make([]NavItem, len(s.Collections))
	for i, c := range s.Collections {
		p.Nav[i] = NavItem{c.Title, p.URL(c.Path), c.Path == path}
	}
	return p
}

// crumbs sets the breadcrumb trail from (name, site path) pairs.
func (p *Page) crumbs(pairs ...string) {
	p.Crumbs = make([]Crumb, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		p.Crumbs = append(p.Crumbs, Crumb{pairs[i], pairs[i+1], p.URL(pairs[i+1]), pairs[i+1] == p.Path})
	}
}

// URL returns the link to a site path, under the base URL's path: with
// base_url https://user.github.io/repo/, URL("/http/") is "/repo/http/".
func (p *Page) URL(path string) string {
	return p.Site.BasePath() + strings.TrimPrefix(path, "/")
}

// maxHeadTitle is the most characters of a <title> that search engines
// show whole.
const maxHeadTitle = 70

// HeadTitle is the content of <title>: the page's title and the site's, or
// the page's title alone (or its short title) when that is too long.
func (p *Page) HeadTitle() string {
	if p.Kind == KindHome {
		return p.Site.Title
	}
	full := p.Title + " | " + p.Site.Title
	switch {
	case utf8.RuneCountInString(full) <= maxHeadTitle:
		return full
	case utf8.RuneCountInString(p.Title) <= maxHeadTitle || p.ShortTitle == "":
		return p.Title
	}
	return p.ShortTitle
}

// HomePage is the data of the home page.
type HomePage struct {
	Page
	IntroMarkdown []byte        // the site's body
	Intro         template.HTML // rendered from IntroMarkdown
	Collections   []HomeCollection
}

// A HomeCollection is one collection on the home page: its categories and
// its most linked codes.
type HomeCollection struct {
	*Collection
	URL        string
	Categories []HomeCategory
	Top        []Tile
}

// A HomeCategory is one category of a collection, linked to its section of
// the index.
type HomeCategory struct {
	Key, Name, URL string
	Count          int
}

// A Tile is one code on the home page's grid.
type Tile struct {
	Code, Name, URL, Category string
}

// homeTop is how many codes of each collection the home page shows.
const homeTop = 8

// collections lists the collections with their most linked codes: those
// that the most articles of the wiki name among their related codes, the
// codes readers are sent to most, ties in the collection's order.
func (p *HomePage) collections(src *content.Site) {
	links := map[*content.Article]int{}
	for _, a := range src.Articles() {
		for _, r := range a.Related {
			links[r]++
		}
	}
	for _, c := range src.Collections {
		h := HomeCollection{Collection: p.Site.byKey[c.Key], URL: p.URL(c.Path())}
		for _, cat := range c.Categories {
			if len(cat.Articles) > 0 {
				h.Categories = append(h.Categories, HomeCategory{cat.Key, cat.Name, h.URL + "#" + cat.Key, len(cat.Articles)})
			}
		}
		top := slices.Clone(c.Articles)
		slices.SortStableFunc(top, func(a, b *content.Article) int { return links[b] - links[a] })
		top = top[:min(homeTop, len(top))]
		// Shown in the collection's order, as on its index.
		order := map[*content.Article]int{}
		for i, a := range c.Articles {
			order[a] = i
		}
		slices.SortFunc(top, func(a, b *content.Article) int { return order[a] - order[b] })
		for _, a := range top {
			key := ""
			if a.Category != nil {
				key = a.Category.Key
			}
			h.Top = append(h.Top, Tile{a.Code, a.Name, p.URL(a.Path()), key})
		}
		p.Collections = append(p.Collections, h)
	}
}

// CollectionPage is the data of a collection index.
type CollectionPage struct {
	Page
	Collection    *Collection
	IntroMarkdown []byte        // the collection's body
	Intro         template.HTML // rendered from IntroMarkdown
	Groups        []Group       // the categories with articles, in declared order
	Faults        []FaultFilter // the fault values the articles use; empty when none does
}

// A Group is one category of a collection index and its codes.
type Group struct {
	*Category
	Entries []Entry
}

// An Entry is one code on a collection index. Status is set only for a
// code its standard marks unused or deprecated; Source marks the others.
type Entry struct {
	Code, Name, URL, Source, Fault, Summary string
	Status, StatusLabel                     string
}

func (p *CollectionPage) group(c *content.Collection) {
	for i, cat := range c.Categories {
		if len(cat.Articles) == 0 {
			continue
		}
		g := Group{Category: p.Collection.Categories[i], Entries: make([]Entry, len(cat.Articles))}
		for i, a := range cat.Articles {
			g.Entries[i] = Entry{Code: a.Code, Name: a.Name, URL: p.URL(a.Path()), Source: a.Source, Fault: a.Fault, Summary: a.Summary}
			if a.Status == "unused" || a.Status == "deprecated" {
				g.Entries[i].Status, g.Entries[i].StatusLabel = a.Status, a.StatusLabel()
			}
		}
		p.Groups = append(p.Groups, g)
	}
	counts := map[string]int{}
	for _, a := range c.Articles {
		counts[a.Fault]++
	}
	for _, key := range faultOrder {
		if counts[key] > 0 {
			p.Faults = append(p.Faults, FaultFilter{key, content.Faults[key], counts[key]})
		}
	}
}

// A FaultFilter is one choice of the collection index's "who must act" filter.
type FaultFilter struct {
	Key, Label string
	Count      int
}

// faultOrder is the order of the filter's choices.
var faultOrder = []string{"client", "server", "proxy", "network", "none"}

// keyDetails are the Key Details bullets as inline Markdown: the article's
// own details, or when it has none, its status and category, derived and
// escaped (the page shows them elsewhere otherwise: the status in the
// title, the category in the Overview).
func keyDetails(a *Article) []string {
	if len(a.Details) > 0 {
		return a.Details
	}
	items := []string{"Status: " + escapeMarkdown(a.Code+" "+a.Name)}
	if a.Category != nil {
		items = append(items, "Category: "+escapeMarkdown(a.Category.Name))
	}
	return items
}

// escapeMarkdown backslash-escapes the ASCII punctuation of s, which
// CommonMark then shows as the characters themselves.
func escapeMarkdown(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c < 0x80 && strings.ContainsRune("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// ArticlePage is the data of an article page.
type ArticlePage struct {
	Page
	Article       *Article
	Body          template.HTML
	Summary       template.HTML // the summary's inline Markdown, rendered
	Answer        template.HTML // the quick answer's, rendered
	KeyDetails    template.HTML // lists, rendered
	Causes        template.HTML
	Steps         template.HTML
	FAQ           []QA
	EditURL       string
	CollectionURL string
	CategoryURL   string
	FaultLabel    string
	Example       *Exchange // the example, highlighted
	Send          []Snippet
	TOC           []TOCEntry
	SidebarData   *Sidebar      // the collection's codes, shared by its articles
	Sidebar       template.HTML // rendered from SidebarData, this code marked
	Related       []RelatedLink
	Prev, Next    *RelatedLink
}

// A QA is one question of the FAQ and its rendered answer.
type QA struct {
	Question string
	Answer   template.HTML
}

// An Exchange is an article's example, each side a highlighted code block.
type Exchange struct{ Request, Response template.HTML }

// A Snippet is one way to send the code, with its language's label, as a
// highlighted code block.
type Snippet struct {
	Label string
	Code  template.HTML
}

// A RelatedLink points to another article.
type RelatedLink struct {
	Code, Name, Title, URL, Summary string
}

func (p *ArticlePage) links(a *content.Article) {
	p.CollectionURL = p.URL(a.Collection.Path())
	if a.Category != nil {
		p.CategoryURL = p.CollectionURL + "#" + a.Category.Key
	}
	p.FaultLabel = content.Faults[a.Fault]
	p.Related = make([]RelatedLink, len(a.Related))
	for i, r := range a.Related {
		p.Related[i] = *p.link(r)
	}
	p.Prev, p.Next = p.link(a.Prev), p.link(a.Next)
}

// prose renders the article's inline Markdown, every field in one pass,
// and its code blocks, all in another.
func (p *ArticlePage) prose(r *Renderer) error {
	a := p.Article
	details := keyDetails(a)
	lines := []string{a.Summary, a.QuickAnswer.Answer}
	for _, q := range a.FAQ {
		lines = append(lines, q.Answer)
	}
	lines = append(append(append(lines, details...), a.Causes...), a.Steps...)
	html, err := r.inlineAll(lines)
	if err != nil {
		return err
	}
	p.Summary, p.Answer = html[0], html[1]
	rest := html[2:]
	p.FAQ = make([]QA, len(a.FAQ))
	for i, q := range a.FAQ {
		p.FAQ[i] = QA{q.Question, rest[i]}
	}
	rest = rest[len(a.FAQ):]
	p.KeyDetails = r.htmlList("ul", rest[:len(details)])
	rest = rest[len(details):]
	p.Causes = r.htmlList("ul", rest[:len(a.Causes)])
	p.Steps = r.htmlList("ol", rest[len(a.Causes):])

	var blocks []codeBlock
	if e := a.Example; e != nil {
		blocks = append(blocks, codeBlock{exchangeLang(e.Request), e.Request}, codeBlock{exchangeLang(e.Response), e.Response})
	}
	for _, s := range a.Send {
		blocks = append(blocks, codeBlock{snippetLang[s.Lang], s.Code})
	}
	code, err := r.codeBlocks(blocks)
	if err != nil {
		return err
	}
	if a.Example != nil {
		p.Example = &Exchange{code[0], code[1]}
		if a.Example.Request == "" {
			p.Example.Request = ""
		}
		if a.Example.Response == "" {
			p.Example.Response = ""
		}
		code = code[2:]
	}
	p.Send = make([]Snippet, len(a.Send))
	for i, s := range a.Send {
		p.Send[i] = Snippet{content.Languages[s.Lang], code[i]}
	}
	return nil
}

// snippetLang is the language of each kind of snippet's code, as the
// highlighter names it.
var snippetLang = map[string]string{
	"go":         "go",
	"express":    "javascript",
	"flask":      "python",
	"django":     "python",
	"fastapi":    "python",
	"spring":     "java",
	"dotnet":     "csharp",
	"nginx":      "nginx",
	"apache":     "apacheconf",
	"php":        "php",
	"rails":      "ruby",
	"python":     "python",
	"java":       "java",
	"csharp":     "csharp",
	"node":       "javascript",
	"javascript": "javascript",
}

// exchangeLang is the language of one side of an example: "http" for an
// HTTP message (a request line or a status line first), else plain text
// (an SMTP dialogue, HTTP/2 frames).
func exchangeLang(msg string) string {
	first, _, _ := strings.Cut(msg, "\n")
	first = strings.TrimSpace(first)
	if strings.HasPrefix(first, "HTTP/") {
		return "http"
	}
	if f := strings.Fields(first); len(f) == 3 && strings.HasPrefix(f[2], "HTTP/") && strings.ToUpper(f[0]) == f[0] {
		return "http"
	}
	return "text"
}

// toc lists the article page's sections, in the template's order, with the
// top headings of the body under "In depth".
func (p *ArticlePage) toc(body []TOCEntry) {
	a := p.Article
	add := func(id, title string) { p.TOC = append(p.TOC, TOCEntry{ID: id, Title: title}) }
	add("about", "About "+a.ShortTitle)
	add("quick-answer", "Quick Answer")
	add("overview", "Overview")
	add("key-details", "Key Details")
	add("causes", "Common Causes")
	add("steps", "Steps")
	if p.Body != "" {
		p.TOC = append(p.TOC, TOCEntry{ID: "more", Title: "In depth", Sub: body})
	}
	if a.Example != nil {
		add("example", "Example")
	}
	if len(a.Send) > 0 {
		add("send", "How to send "+a.Code)
	}
	if len(a.FAQ) > 0 {
		add("faq", "FAQ")
	}
	if len(p.Related) > 0 {
		add("related", "Related codes")
	}
	if len(a.References) > 0 {
		add("references", "References")
	}
}
