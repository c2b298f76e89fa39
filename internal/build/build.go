// Package build turns a loaded site into its output tree: every page
// rendered and minified, the static files, sitemap.xml, robots.txt and the
// GitHub Pages files, written atomically beside the previous output.
//
// It is the third step of the flow (content → render → build → serve).
package build

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/errwiki/errwiki/internal/content"
	"github.com/errwiki/errwiki/internal/render"
	"github.com/errwiki/errwiki/static"
	"github.com/errwiki/errwiki/templates"
)

// Output receives the files of a built site. Names are slash-separated and
// relative to the site root ("http/502/index.html"). WriteFile is called from
// several goroutines at once and must not keep data after it returns.
type Output interface {
	WriteFile(name string, data []byte) error
}

// Source is a site's input: its content, and its templates and static files
// with the embedded defaults beneath them.
type Source struct {
	Content   fs.FS // holds content/
	Templates fs.FS
	Static    fs.FS
}

// DirSource returns the source rooted at dir, whose templates/ and static/
// override the embedded defaults file by file.
func DirSource(dir string) Source {
	return Source{
		Content:   os.DirFS(dir),
		Templates: overlay{os.DirFS(filepath.Join(dir, "templates")), templates.FS},
		Static:    overlay{os.DirFS(filepath.Join(dir, "static")), static.FS},
	}
}

// Load reads and validates the site's content and parses its templates:
// everything a build needs before it writes a byte.
func Load(src Source, opts content.Options) (*content.Site, *render.Renderer, error) {
	// The templates are parsed while the content loads.
	var (
		r    *render.Renderer
		rErr error
		done = make(chan struct{})
	)
	go func() {
		defer close(done)
		r, rErr = render.New(src.Templates, pageMinifier{})
	}()
	site, err := content.Load(src.Content, opts)
	<-done
	if err != nil {
		return nil, nil, err
	}
	if rErr != nil {
		return nil, nil, rErr
	}
	return site, r, nil
}

// Check reports what would stop a build of site that loading its content
// does not find: a template that does not parse or fails on a page, and
// output files that collide or have names too long (as a
// content.ErrorList). It renders every file, as a dry run does, and writes
// nothing.
func Check(src Source, site *content.Site) error {
	r, err := render.New(src.Templates, pageMinifier{})
	if err != nil {
		return err
	}
	jobs, err := plan(site, r, src.Static, nil)
	if err != nil {
		return err
	}
	return generate(jobs, discard{})
}

// Memory is an Output that keeps the files in memory, for serving and tests.
type Memory struct {
	mu    sync.Mutex
	files map[string][]byte
}

// WriteFile stores a copy of data under name.
func (m *Memory) WriteFile(name string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.files == nil {
		m.files = map[string][]byte{}
	}
	m.files[name] = bytes.Clone(data)
	return nil
}

// File returns the file stored under name.
func (m *Memory) File(name string) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	data, ok := m.files[name]
	return data, ok
}

// Names returns the names of all files, sorted.
func (m *Memory) Names() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Sorted(maps.Keys(m.files))
}

// A job produces one output file from its data: how to make the file,
// shared by every file of its kind (each article's page, say), and for an
// article's file, the article. A job holds no name of its own: a large
// wiki has hundreds of thousands of them.
type job struct {
	article *content.Article // for an article's files, the article they are made from
	*maker
}

// name returns the name of the job's file in the output.
func (j job) name() string {
	if j.named != nil {
		return j.named(j.article)
	}
	return j.out
}

// A maker makes files of one kind.
type maker struct {
	out   string                          // the name of the file, for a maker of one file
	named func(a *content.Article) string // the name of an article's file

	data    func() any // makes all the file is made from besides the program and templates; nil: made every time
	gen     func(w io.Writer, data any) error
	compact bool   // output is minimal already (pages, encoding/json, encoding/xml)
	file    string // the content file that names it, for errors; an article's for an article's files

	// An article's file is made from the data of that article, made by
	// of: for its key from the article as loaded, which may be lean, and
	// for the file from the whole article that full returns.
	of   func(a *content.Article) any
	full Full
}

// source is the content file that names the job's file, for errors; ""
// for the site's own files.
func (j *job) source() string {
	if j.article != nil {
		return j.article.File
	}
	return j.file
}

// Full returns an article of a site loaded lean whole (content.Cache.Full
// or Detailed); nil stands for a site whose articles are whole already.
type Full func(a *content.Article) (*content.Article, error)

// Wholes makes whole the articles of a site loaded lean, as a
// content.Cache does; nil stands for a site whose articles are whole.
type Wholes interface {
	Full(a *content.Article) (*content.Article, error)     // with details and body
	Detailed(a *content.Article) (*content.Article, error) // with details; the body may be left out
}

// keyData returns what the job's key digests: nil for a file made every
// time.
func (j *job) keyData() any {
	switch {
	case j.of != nil:
		return j.of(j.article)
	case j.data != nil:
		return j.data()
	}
	return nil
}

// input returns what the job's file is made from.
func (j *job) input() (any, error) {
	switch {
	case j.of != nil && j.full != nil:
		a, err := j.full(j.article)
		if err != nil {
			return nil, err
		}
		return j.of(a), nil
	case j.of != nil:
		return j.of(j.article), nil
	case j.data != nil:
		return j.data(), nil
	}
	return nil, nil
}

// Generate renders every file of the site, minifies it and hands it to out.
// It stops at the first error.
func Generate(site *content.Site, r *render.Renderer, staticFS fs.FS, out Output) (files int, err error) {
	jobs, err := plan(site, r, staticFS, nil)
	if err != nil {
		return 0, err
	}
	return len(jobs), generate(jobs, out)
}

// generate runs jobs on every core, handing each file to out.
func generate(jobs []job, out Output) error {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		errs   []error
		failed = make(chan struct{})
		next   = make(chan job)
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if len(errs) == 0 {
			close(failed)
		}
		errs = append(errs, err)
	}
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var raw, min bytes.Buffer
			for j := range next {
				data, err := j.run(&raw, &min)
				if err == nil {
					err = out.WriteFile(j.name(), data)
				}
				if err != nil {
					fail(err)
				}
				// A large wiki's collection index is megabytes; the
				// pages after it are kilobytes.
				dropLarge(&raw)
				dropLarge(&min)
			}
		})
	}
feed:
	for _, j := range jobs {
		select {
		case next <- j:
		case <-failed:
			break feed
		}
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}

// largeBuffer is the capacity above which a buffer is let go rather than
// kept for the next file.
const largeBuffer = 1 << 20

func dropLarge(b *bytes.Buffer) {
	if b.Cap() > largeBuffer {
		*b = bytes.Buffer{}
	}
}

// plan lists every file of the site and how to produce it. wholes makes
// whole the articles of a site loaded lean.
func plan(site *content.Site, r *render.Renderer, staticFS fs.FS, wholes Wholes) ([]job, error) {
	// A page shows its article's body; its JSON and search entry do not.
	var full, detailed Full
	if wholes != nil {
		full, detailed = wholes.Full, wholes.Detailed
	}
	// The site's files first: the search index, the sitemap and the
	// collection indexes are the largest files, and the many small article
	// files after them keep every core busy to the end.
	view := render.NewSite(site)
	jobs, err := siteJobs(site, view, r, staticFS, detailed)
	if err != nil {
		return nil, err
	}
	page, json := articleJobs(site, view, r, full, detailed)
	for _, a := range site.Articles() {
		jobs = append(jobs, page(a), json(a))
	}
	if err := checkNames(jobs); err != nil {
		return nil, err
	}
	return jobs, nil
}

// articleJobs returns how to make the files of an article: its page and
// its JSON. Their data is made when it is needed, once for the key and
// again for the file, so that the data of every page is never held at
// once.
func articleJobs(site *content.Site, view *render.Site, r *render.Renderer, full, detailed Full) (page, json func(a *content.Article) job) {
	pages := &maker{compact: true, full: full,
		of:  func(a *content.Article) any { return render.NewArticle(view, a) },
		gen: func(w io.Writer, data any) error { return r.Render(w, data.(render.Data)) }}
	jsons := &maker{compact: true, full: detailed,
		of:  func(a *content.Article) any { return articleJSON(site, a) },
		gen: func(w io.Writer, data any) error { return writeJSON(w, data.(*articleMeta).api()) }}
	pages.named = func(a *content.Article) string { return path.Join(a.Collection.Key, a.Slug, "index.html") }
	jsons.named = func(a *content.Article) string { return path.Join(a.Collection.Key, a.Slug+".json") }
	page = func(a *content.Article) job { return job{a, pages} }
	json = func(a *content.Article) job { return job{a, jsons} }
	return page, json
}

// maxName is the longest file name most file systems take, in bytes.
const maxName = 255

// checkNames reports output files that would overwrite each other, need a
// directory where another is a file, or have a name too long for a file
// system, by the content file that names them: all found before a byte is
// written.
func checkNames(jobs []job) error {
	var errs content.ErrorList
	blame := func(j job, msg string) {
		file := j.source()
		if file == "" {
			file = content.Dir + "/_index.md"
		}
		errs = append(errs, &content.Error{File: file, Msg: msg})
	}
	files := make(map[string]job, len(jobs))
	for _, j := range jobs {
		name := j.name()
		if other, ok := files[name]; ok {
			if j.source() == "" {
				j, other = other, j
			}
			blame(j, fmt.Sprintf("its output %s is also the output of %s; choose another slug or directory name", name, cmp.Or(other.source(), "the site")))
		}
		files[name] = j
	}
	for _, j := range jobs {
		name := j.name()
		for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
			if other, ok := files[dir]; ok {
				blame(j, fmt.Sprintf("its output %s needs a directory %s, which is a file of %s; choose another slug or directory name", name, dir, cmp.Or(other.source(), "the site")))
			}
		}
		for _, part := range strings.Split(name, "/") {
			if len(part) > maxName {
				blame(j, fmt.Sprintf("its output name %.40s… is longer than the %d bytes a file system takes; choose a shorter slug", part, maxName))
			}
		}
	}
	return errs.Err()
}

// siteJobs are the files that are not an article's: indexes, feeds, the
// GitHub Pages files and the static files.
func siteJobs(site *content.Site, view *render.Site, r *render.Renderer, staticFS fs.FS, detailed Full) ([]job, error) {
	var jobs []job
	// Pages come minified from the renderer; files from encoding/json and
	// encoding/xml have no space to remove.
	// Their data is made when it is needed, as an article's is: the data
	// of a large collection's pages lists every article.
	add := func(name string, m *maker) { m.out = name; jobs = append(jobs, job{maker: m}) }
	page := func(name, file string, data func() any) {
		add(name, &maker{data: data, compact: true, file: file,
			gen: func(w io.Writer, data any) error { return r.Render(w, data.(render.Data)) }})
	}
	encoded := func(name, file string, data func() any, write func(io.Writer, any) error) {
		add(name, &maker{data: data, compact: true, file: file, gen: write})
	}
	text := func(name, data string) {
		add(name, &maker{data: func() any { return data },
			gen: func(w io.Writer, _ any) error { _, err := io.WriteString(w, data); return err }})
	}
	for _, c := range site.Collections {
		page(path.Join(c.Key, "index.html"), c.File, func() any { return render.NewCollection(view, c) })
		encoded(path.Join(c.Key, "index.json"), c.File, func() any { return collectionJSON(site, c) }, writeJSON)
	}
	// The search index: its files depend on the number of articles alone,
	// and are all made from the same input. The meta and term files are
	// made together when the first of them is asked for; each document
	// file is made on its own from the articles it lists.
	in := searchInputOf(site, detailed)
	index := &searchFiles{in: in}
	search := func(name string, file func(*searchIndex) *[]byte) {
		add(name, &maker{data: func() any { return in }, compact: true,
			gen: func(w io.Writer, _ any) error {
				data, err := index.take(file)
				if err == nil {
					_, err = w.Write(data)
				}
				return err
			}})
	}
	search(searchMetaFile, func(x *searchIndex) *[]byte { return &x.meta })
	buckets, chunks := searchLayout(len(in.articles))
	for i := range buckets {
		search(searchTermFile(i), func(x *searchIndex) *[]byte { return &x.terms[i] })
	}
	for i := range chunks {
		add(searchDocFile(i), &maker{data: func() any { return in }, compact: true,
			gen: func(w io.Writer, _ any) error { _, err := w.Write(searchDocs(in, i)); return err }})
	}
	encoded("feed.xml", "", func() any { return feedOf(site) }, writeXML)
	page("index.html", "", func() any { return render.NewHome(view, site) })
	page("404.html", "", func() any { return render.NewNotFound(view) })
	encoded("sitemap.xml", "", func() any { return sitemapOf(site) }, writeXML)
	text("robots.txt", "User-agent: *\nAllow: /\n\nSitemap: "+site.AbsURL("/sitemap.xml")+"\n")
	text(marker, "")
	if site.CNAME != "" {
		text("CNAME", site.CNAME+"\n")
	}
	err := fs.WalkDir(staticFS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && name != "." {
			// Editor swap files and the like are not the site's.
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || path.Ext(name) == ".go" {
			return nil
		}
		// A static file is keyed by its bytes; one that cannot be read
		// has no key, and is read again to say why.
		add(name, &maker{
			data: func() any {
				data, err := fs.ReadFile(staticFS, name)
				if err != nil {
					return nil
				}
				return data
			},
			gen: func(w io.Writer, data any) error {
				b, ok := data.([]byte)
				if !ok {
					var err error
					if b, err = fs.ReadFile(staticFS, name); err != nil {
						return err
					}
				}
				_, err := w.Write(b)
				return err
			}})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read static files: %w", err)
	}
	return jobs, nil
}
