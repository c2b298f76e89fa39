package render

import (
	"bytes"
	"html/template"
	"strings"

	"github.com/errwiki/errwiki/internal/content"
)

// sidebarMax is the most codes a collection's sidebar lists; a larger
// collection lists its categories only, so that a page does not carry a
// thousand links.
const sidebarMax = 150

// Sidebar is what the sidebar template sees: a collection's codes by
// category, the current one marked.
type Sidebar struct {
	Title, URL string
	Groups     []SidebarGroup
}

// A SidebarGroup is one category of the sidebar.
type SidebarGroup struct {
	Name, URL string
	Entries   []SidebarEntry
}

// A SidebarEntry is one code of the sidebar.
type SidebarEntry struct {
	Code, Name, URL string
	Current         bool
}

// sidebarData lists p's collection, marking current.
func sidebarData(p *ArticlePage, current string) *Sidebar {
	c := p.Article.Collection
	d := &Sidebar{Title: c.Title, URL: p.CollectionURL}
	list := len(c.Articles) <= sidebarMax
	for _, cat := range c.Categories {
		if len(cat.Articles) == 0 {
			continue
		}
		g := SidebarGroup{Name: cat.Name, URL: p.CollectionURL + "#" + cat.Key}
		if list {
			g.Entries = make([]SidebarEntry, len(cat.Articles))
			for i, a := range cat.Articles {
				url := p.URL(a.Path())
				g.Entries[i] = SidebarEntry{a.Code, a.Name, url, url == current}
			}
		}
		d.Groups = append(d.Groups, g)
	}
	return d
}

// sidebar renders p's sidebar. The sidebar of a collection is rendered and
// minified once, and the current code marked by adding aria-current to its
// link, which html/template wrote as href="URL" (the URL of a page is made
// of safe characters, which it leaves as they are), and the minifier may
// have left as href=URL; a page whose link cannot be found so is rendered
// in full.
func (r *Renderer) sidebar(p *ArticlePage) (template.HTML, error) {
	c := p.Article.Collection
	r.mu.Lock()
	if r.sidebarSite != p.Site {
		r.sidebarSite, r.sidebars = p.Site, map[*content.Collection]string{}
	}
	html, ok := r.sidebars[c]
	r.mu.Unlock()
	if !ok {
		h, err := r.renderSidebar(sidebarData(p, ""))
		if err != nil {
			return "", err
		}
		html = string(h)
		r.mu.Lock()
		if r.sidebarSite == p.Site {
			r.sidebars[c] = html
		}
		r.mu.Unlock()
	}
	if len(c.Articles) > sidebarMax {
		return template.HTML(html), nil
	}
	url := p.URL(p.Article.Path())
	for _, needle := range []string{`href="` + url + `"`, `href=` + url + `>`} {
		if i := strings.Index(html, needle); i >= 0 && strings.Count(html, needle) == 1 {
			i += len(strings.TrimSuffix(needle, ">"))
			return template.HTML(html[:i] + ` aria-current="page"` + html[i:]), nil
		}
	}
	return r.renderSidebar(sidebarData(p, url))
}

// renderSidebar runs the sidebar template, minified when the renderer
// minifies.
func (r *Renderer) renderSidebar(d *Sidebar) (template.HTML, error) {
	buf := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(buf)
	buf.Reset()
	if err := r.executeTemplate(buf, KindArticle, "sidebar", d); err != nil {
		return "", err
	}
	return r.compact(buf)
}
