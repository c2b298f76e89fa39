package render

import (
	"html/template"
	"strings"

	"github.com/errwiki/errwiki/internal/content"
)

// Page is what every page kind shares: the site, the head and the breadcrumbs.
type Page struct {
	Site        *content.Site
	Kind        string
	Path        string // site path, e.g. "/http/502/"
	Title       string // the page's own title; <title> adds the site's
	Description string
	Crumbs      []Crumb
	NoIndex     bool
}

func newPage(s *content.Site, kind, path, title, description string) Page {
	return Page{Site: s, Kind: kind, Path: path, Title: title, Description: description}
}

// URL returns the link to a site path, under the base URL's path: with
// base_url https://user.github.io/repo/, URL("/http/") is "/repo/http/".
func (p *Page) URL(path string) string {
	return p.Site.BasePath() + strings.TrimPrefix(path, "/")
}

// Canonical is the page's absolute URL.
func (p *Page) Canonical() string { return p.Site.AbsURL(p.Path) }

// HeadTitle is the content of <title>.
func (p *Page) HeadTitle() string {
	if p.Kind == KindHome {
		return p.Site.Title
	}
	return p.Title + " | " + p.Site.Title
}

// A Crumb is one step of the breadcrumb trail.
type Crumb struct {
	Name string
	Path string
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

// KeyDetails are the Key Details bullets as inline Markdown: the status and
// category, derived and escaped, then the article's own details.
func (p *ArticlePage) KeyDetails() []string {
	a := p.Article
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
	Article *content.Article
	Body    template.HTML
	EditURL string
}
