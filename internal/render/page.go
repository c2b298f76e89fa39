package render

import (
	"html/template"
	"strings"
	"unicode/utf8"

	"github.com/errwiki/errwiki/internal/content"
)

// Page is what every page kind shares: the site, the head and the
// breadcrumbs. Links are worked out in Go rather than in the templates:
// a template calls a method through reflection, and a large site has a
// great many links.
type Page struct {
	Site        *content.Site
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
	Site  *content.Site
	Links SiteLinks
	Nav   []NavItem
}

// SiteLinks are the links every page has, under the base path.
type SiteLinks struct {
	Home, Style, Icon, Feed, Script, SearchIndex string
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

func newPage(s *content.Site, kind, path, title, description string) Page {
	p := Page{Site: s, Kind: kind, Path: path, Title: title, Description: description, Canonical: s.AbsURL(path)}
	p.Links = SiteLinks{
		Home:        p.URL("/"),
		Style:       p.URL("/style.css"),
		Icon:        p.URL("/favicon.svg"),
		Feed:        p.URL("/feed.xml"),
		Script:      p.URL("/search.js"),
		SearchIndex: p.URL("/search.json"),
	}
	p.Nav = make([]NavItem, len(s.Collections))
	for i, c := range s.Collections {
		p.Nav[i] = NavItem{c.Title, p.URL(c.Path()), c.Path() == path}
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
	Intro template.HTML
}

// CollectionPage is the data of a collection index.
type CollectionPage struct {
	Page
	Collection *content.Collection
	Intro      template.HTML
	Groups     []Group // the categories with articles, in declared order
}

// A Group is one category of a collection index and its codes.
type Group struct {
	*content.Category
	Entries []Entry
}

// An Entry is one code on a collection index.
type Entry struct {
	Code, Name, URL, Source, Fault, Summary string
}

func (p *CollectionPage) group() {
	for _, cat := range p.Collection.Categories {
		if len(cat.Articles) == 0 {
			continue
		}
		g := Group{Category: cat, Entries: make([]Entry, len(cat.Articles))}
		for i, a := range cat.Articles {
			g.Entries[i] = Entry{a.Code, a.Name, p.URL(a.Path()), a.Source, a.Fault, a.Summary}
		}
		p.Groups = append(p.Groups, g)
	}
}

// A FaultFilter is one choice of the collection index's "who must act" filter.
type FaultFilter struct {
	Key, Label string
	Count      int
}

// faultOrder is the order of the filter's choices.
var faultOrder = []string{"client", "server", "proxy", "network", "none"}

// Faults lists the fault values the collection's articles use, with counts;
// empty when no article sets one.
func (p *CollectionPage) Faults() []FaultFilter {
	counts := map[string]int{}
	for _, a := range p.Collection.Articles {
		counts[a.Fault]++
	}
	var filters []FaultFilter
	for _, key := range faultOrder {
		if counts[key] > 0 {
			filters = append(filters, FaultFilter{key, content.Faults[key], counts[key]})
		}
	}
	return filters
}

// keyDetails are the Key Details bullets as inline Markdown: the status and
// category, derived and escaped, then the article's own details.
func keyDetails(a *content.Article) []string {
	items := []string{"Status: " + escapeMarkdown(a.Code+" "+a.Name)}
	if a.Category != nil {
		items = append(items, "Category: "+escapeMarkdown(a.Category.Name))
	}
	return append(items, a.Details...)
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
	Article       *content.Article
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
	Send          []Snippet
	Related       []RelatedLink
	Prev, Next    *RelatedLink
}

// A QA is one question of the FAQ and its rendered answer.
type QA struct {
	Question string
	Answer   template.HTML
}

// A Snippet is one way to send the code, with its language's label.
type Snippet struct{ Label, Code string }

// A RelatedLink points to another article.
type RelatedLink struct {
	Code, Name, Title, URL, Summary string
}

func (p *ArticlePage) links() {
	a := p.Article
	p.CollectionURL = p.URL(a.Collection.Path())
	if a.Category != nil {
		p.CategoryURL = p.CollectionURL + "#" + a.Category.Key
	}
	p.FaultLabel = content.Faults[a.Fault]
	p.Send = make([]Snippet, len(a.Send))
	for i, s := range a.Send {
		p.Send[i] = Snippet{content.Languages[s.Lang], s.Code}
	}
	link := func(r *content.Article) *RelatedLink {
		if r == nil {
			return nil
		}
		return &RelatedLink{r.Code, r.Name, r.ShortTitle(), p.URL(r.Path()), r.Summary}
	}
	p.Related = make([]RelatedLink, len(a.Related))
	for i, r := range a.Related {
		p.Related[i] = *link(r)
	}
	p.Prev, p.Next = link(a.Prev), link(a.Next)
}

// prose renders the article's inline Markdown, every field in one pass.
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
	return nil
}
