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

// NewPages plans the files of site. Only a few are rendered now: one page
// of each kind but the collection index, so that a template that fails to
// execute is reported with the build rather than on some later request.
// Planning no more than that keeps a rebuild of a large site quick.
func NewPages(site *content.Site, r *render.Renderer, staticFS fs.FS) (*Pages, error) {
	view := render.NewSite(site)
	others, err := siteJobs(site, view, r, staticFS)
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
		p.others[j.name] = j
	}
	probes := []string{"index.html", "404.html"}
	for _, c := range site.Collections {
		for _, a := range c.Articles {
			p.articles[c.Key+"/"+a.Slug] = a
		}
		if len(c.Articles) > 0 && len(probes) == 2 {
			probes = append(probes, path.Join(c.Key, c.Articles[0].Slug, "index.html"))
		}
	}
	for _, name := range probes {
		if _, _, err := p.File(name); err != nil {
			return nil, err
		}
	}
	return p, nil
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
	jobs := articleJobs(p.site, p.view, p.r, a)
	if isPage {
		return jobs[0], true
	}
	return jobs[1], true
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
	if err := j.gen(raw); err != nil {
		return nil, err
	}
	mt, ok := mediaTypes[path.Ext(j.name)]
	if !ok || j.compact {
		return raw.Bytes(), nil
	}
	if err := minifier.Minify(mt, min, raw); err != nil {
		return nil, fmt.Errorf("minify %s: %w", j.name, err)
	}
	return min.Bytes(), nil
}
