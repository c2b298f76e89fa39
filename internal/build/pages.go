package build

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"sync"

	"github.com/errwiki/errwiki/internal/content"
	"github.com/errwiki/errwiki/internal/render"
)

// Pages holds the files of a site, each rendered and minified the first
// time it is asked for and kept after. A preview serves from it: after an
// edit, only the pages a reader opens are rendered again, whatever the size
// of the site. It is safe for concurrent use.
type Pages struct {
	jobs map[string]job
	mu   sync.Mutex
	done map[string][]byte
}

// NewPages plans the files of site without rendering any.
func NewPages(site *content.Site, r *render.Renderer, staticFS fs.FS) (*Pages, error) {
	jobs, err := plan(site, r, staticFS)
	if err != nil {
		return nil, err
	}
	p := &Pages{jobs: make(map[string]job, len(jobs)), done: map[string][]byte{}}
	for _, j := range jobs {
		p.jobs[j.name] = j
	}
	// Render one page of each kind now, so that a template that fails to
	// execute is reported with the build rather than on some later request:
	// the home and 404 pages, the smallest collection and its first article.
	probes := []string{"index.html", "404.html"}
	var small *content.Collection
	for _, c := range site.Collections {
		if small == nil || len(c.Articles) < len(small.Articles) {
			small = c
		}
	}
	if small != nil {
		probes = append(probes, path.Join(small.Key, "index.html"))
		if len(small.Articles) > 0 {
			probes = append(probes, path.Join(small.Key, small.Articles[0].Slug, "index.html"))
		}
	}
	for _, name := range probes {
		if _, _, err := p.File(name); err != nil {
			return nil, err
		}
	}
	return p, nil
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
	j, ok := p.jobs[name]
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
