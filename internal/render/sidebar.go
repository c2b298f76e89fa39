package render

import (
	"bytes"
	"html/template"
	"slices"
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

// newSidebar lists c's codes by category, under the site's base path.
func newSidebar(s *Site, c *content.Collection) *Sidebar {
	url := func(path string) string { return s.basePath + strings.TrimPrefix(path, "/") }
	d := &Sidebar{Title: c.Title, URL: url(c.Path())}
	list := len(c.Articles) <= sidebarMax
	for _, cat := range c.Categories {
		if len(cat.Articles) == 0 {
			continue
		}
		g := SidebarGroup{Name: cat.Name, URL: d.URL + "#" + cat.Key}
		if list {
			g.Entries = make([]SidebarEntry, len(cat.Articles))
			for i, a := range cat.Articles {
				g.Entries[i] = SidebarEntry{Code: a.Code, Name: a.Name, URL: url(a.Path())}
			}
		}
		d.Groups = append(d.Groups, g)
	}
	return d
}

// marked returns a copy of d with the entry of url marked current.
func (d *Sidebar) marked(url string) *Sidebar {
	m := *d
	m.Groups = slices.Clone(d.Groups)
	for i, g := range m.Groups {
		for j, e := range g.Entries {
			if e.URL == url {
				m.Groups[i].Entries = slices.Clone(g.Entries)
				m.Groups[i].Entries[j].Current = true
			}
		}
	}
	return &m
}

// sidebar renders p's sidebar. The sidebar of a collection is rendered and
// minified once, and the current code marked by adding aria-current to its
// link, which html/template wrote as href="URL" (the URL of a page is made
// of safe characters, which it leaves as they are), and the minifier may
// have left as href=URL; a page whose link cannot be found so is rendered
// in full.
func (r *Renderer) sidebar(p *ArticlePage) (template.HTML, error) {
	d := p.SidebarData
	if d == nil {
		return "", nil
	}
	r.mu.Lock()
	if r.sidebarSite != p.Site {
		r.sidebarSite, r.sidebars = p.Site, map[*Sidebar]string{}
	}
	html, ok := r.sidebars[d]
	r.mu.Unlock()
	if !ok {
		h, err := r.renderSidebar(d)
		if err != nil {
			return "", err
		}
		html = string(h)
		r.mu.Lock()
		if r.sidebarSite == p.Site {
			r.sidebars[d] = html
		}
		r.mu.Unlock()
	}
	url := p.URL(p.Article.Path)
	listed := false
	for _, g := range d.Groups {
		listed = listed || len(g.Entries) > 0
	}
	if !listed {
		return template.HTML(html), nil
	}
	for _, needle := range []string{`href="` + url + `"`, `href=` + url + `>`} {
		if i := strings.Index(html, needle); i >= 0 && strings.Count(html, needle) == 1 {
			i += len(strings.TrimSuffix(needle, ">"))
			return template.HTML(html[:i] + ` aria-current="page"` + html[i:]), nil
		}
	}
	return r.renderSidebar(d.marked(url))
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
