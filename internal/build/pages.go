package build

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/errwiki/errwiki/internal/content"
	"github.com/errwiki/errwiki/internal/render"
)

// Pages holds the files of a site, each rendered and minified the first
// time it is asked for and kept after. A preview serves from it: after an
// edit, only the pages a reader opens are rendered again, whatever the size
// of the site. It is safe for concurrent use.
type Pages struct {
	site     *content.Site
	view     *render.Site
	r        *render.Renderer
	articles map[string]*content.Article // by "collection/slug"
	others   map[string]job              // every file that is not an article's
	mu       sync.Mutex
	done     map[string][]byte
}

// NewPages plans the files of site; it renders none of them.
func NewPages(site *content.Site, r *render.Renderer, staticFS fs.FS) (*Pages, error) {
	view := render.NewSite(site)
	others, err := siteJobs(site, view, r, staticFS, nil)
	if err != nil {
		return nil, err
	}
	p := &Pages{
		site:     site,
		view:     view,
		r:        r,
		articles: map[string]*content.Article{},
		others:   make(map[string]job, len(others)),
		done:     map[string][]byte{},
	}
	for _, j := range others {
		p.others[j.name()] = j
	}
	for _, c := range site.Collections {
		for _, a := range c.Articles {
			p.articles[c.Key+"/"+a.Slug] = a
		}
	}
	return p, nil
}

// Probes names one page of each kind but the collection index. Rendering
// them before the pages are served reports a template that fails to execute
// with the build rather than on some later request; rendering no more than
// that keeps a rebuild of a large site quick.
func (p *Pages) Probes() []string {
	names := []string{"index.html", "404.html"}
	for _, c := range p.site.Collections {
		if len(c.Articles) > 0 {
			return append(names, path.Join(c.Key, c.Articles[0].Slug, "index.html"))
		}
	}
	return names
}

// Origin returns the site path of the file called name and the template
// file that renders it: "/http/502/" and "templates/article.html" for
// "http/502/index.html". template is "" for a file no template makes.
func (p *Pages) Origin(name string) (sitePath, template string) {
	j, _ := p.job(name)
	var pg *render.Page
	var data any
	if j.data != nil {
		data = j.data()
	}
	switch d := data.(type) {
	case *render.HomePage:
		pg = &d.Page
	case *render.CollectionPage:
		pg = &d.Page
	case *render.ArticlePage:
		pg = &d.Page
	case *render.Page:
		pg = d
	default:
		return "/" + name, ""
	}
	return pg.Path, "templates/" + pg.Kind + ".html"
}

// job returns how to make the file called name.
func (p *Pages) job(name string) (job, bool) {
	if j, ok := p.others[name]; ok {
		return j, true
	}
	key, isPage := strings.CutSuffix(name, "/index.html")
	if !isPage {
		var isJSON bool
		if key, isJSON = strings.CutSuffix(name, ".json"); !isJSON {
			return job{}, false
		}
	}
	a := p.articles[key]
	if a == nil {
		return job{}, false
	}
	page, json := articleJobs(p.site, p.view, p.r, nil, nil)
	if isPage {
		return page(a), true
	}
	return json(a), true
}

// File returns the file called name, rendering it on first use. ok is false
// when the site has no such file.
func (p *Pages) File(name string) (data []byte, ok bool, err error) {
	p.mu.Lock()
	data, ok = p.done[name]
	p.mu.Unlock()
	if ok {
		return data, true, nil
	}
	j, ok := p.job(name)
	if !ok {
		return nil, false, nil
	}
	var raw, min bytes.Buffer
	if data, err = j.run(&raw, &min); err != nil {
		return nil, true, err
	}
	data = bytes.Clone(data)
	p.mu.Lock()
	p.done[name] = data
	p.mu.Unlock()
	return data, true, nil
}

// run produces the job's file, minified, using raw and min as scratch; the
// result aliases one of them.
func (j job) run(raw, min *bytes.Buffer) ([]byte, error) {
	raw.Reset()
	min.Reset()
	data, err := j.input()
	if err != nil {
		return nil, err
	}
	if err := j.gen(raw, data); err != nil {
		return nil, err
	}
	mt, ok := mediaTypes[path.Ext(j.name())]
	if !ok || j.compact {
		return raw.Bytes(), nil
	}
	if err := minifier.Minify(mt, min, raw); err != nil {
		return nil, fmt.Errorf("minify %s: %w", j.name(), err)
	}
	return min.Bytes(), nil
}
