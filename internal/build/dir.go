package build

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/errwiki/errwiki/internal/content"
	"github.com/errwiki/errwiki/internal/render"
)

// Options say what to build and where.
type Options struct {
	Src     string // site source directory, holding content/
	Out     string // output directory, replaced as a whole on success
	BaseURL string // overrides the site's base_url
	Drafts  bool   // include draft articles
	DryRun  bool   // render and minify everything, write nothing
}

// Stats describe one build.
type Stats struct {
	Pages    int // HTML pages
	Files    int // files in the output
	Rendered int // files rendered; the others were unchanged since the last build
	Written  int // files whose bytes changed and were written
	Reused   int // files unchanged since the previous output, linked from it
}

// Site builds the site at opts.Src into opts.Out.
//
// A first build writes the new tree to a temporary directory beside Out and
// swaps it in only when every file is done, so a failed build leaves the
// previous output as it was. It leaves a cache beside Out; the next build
// then parses only the articles that changed, renders only the files whose
// data changed, and commits the files whose bytes changed through a
// journal (see journal.go). Content problems come back as a
// content.ErrorList.
func Site(opts Options) (Stats, error) {
	src := DirSource(opts.Src)
	out := filepath.Clean(opts.Out)
	if opts.DryRun {
		site, r, cache, err := load(src, opts, "", nil)
		if err != nil {
			return Stats{}, err
		}
		defer cache.Close()
		jobs, err := plan(site, r, src.Static, cache)
		if err != nil {
			return Stats{}, err
		}
		return Stats{Pages: pages(site), Files: len(jobs)}, generate(jobs, discard{})
	}
	if err := open(opts.Src, out); err != nil {
		return Stats{}, err
	}
	prev, prog, err := previous(out)
	if err != nil {
		return Stats{}, err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return Stats{}, fmt.Errorf("create output: %w", err)
	}
	site, r, cache, err := load(src, opts, filepath.Dir(out), prev)
	if err != nil {
		return Stats{}, err
	}
	defer cache.Close()
	jobs, err := plan(site, r, src.Static, cache)
	if err != nil {
		return Stats{}, err
	}
	bc := &buildCache{Program: prog, content: cache, jobs: jobs, keys: keys(jobs, baseKey(prog, r.Digest()))}
	stats, err := write(out, jobs, prev, bc)
	if errors.Is(err, content.ErrStale) {
		// The cache took a changed file for unchanged. It is gone now,
		// and nothing was written: build without it.
		return Site(opts)
	}
	stats.Pages = pages(site)
	return stats, err
}

// open checks that out may be replaced and carries out the journal of a
// rebuild that was killed after its commit, before anything reads the
// output or its cache.
func open(src, out string) error {
	if err := checkOut(src, out); err != nil {
		return err
	}
	if err := finish(out); err != nil {
		return fmt.Errorf("complete the last build's commit: %w", err)
	}
	return removeLeftovers(out)
}

// previous returns the cache of the last build into out, if this program
// wrote it, and this program's identity.
func previous(out string) (*buildCache, program, error) {
	prev := readBuildCache(out)
	var last program
	if prev != nil {
		last = prev.Program
	}
	prog, err := identify(last)
	if err != nil {
		if prev != nil {
			prev.content.Close()
		}
		return nil, program{}, err
	}
	if prev != nil && prev.Program.Digest != prog.Digest {
		prev.content.Close()
		return nil, prog, nil // another errwiki may parse or render differently
	}
	return prev, prog, nil
}

// load loads the site lean, keeping the details of its articles in a file
// in dir, with the parsed articles of prev, if any, and returns the cache
// of this build's articles, to be closed.
func load(src Source, opts Options, dir string, prev *buildCache) (*content.Site, *render.Renderer, *content.Cache, error) {
	cache := content.NewCache(false) // on errors, Lines finds the lines
	if prev != nil {
		cache = prev.content
	}
	if err := cache.Lean(dir); err != nil {
		return nil, nil, nil, err
	}
	copts := content.Options{BaseURL: opts.BaseURL, Drafts: opts.Drafts, Cache: cache}
	site, r, err := Load(src, copts)
	var list content.ErrorList
	if errors.As(err, &list) {
		// The cache keeps no field lines: load again, parsing with
		// their lines the files that have problems, and those alone, so
		// that a failed build of a large site holds no more than a good one.
		files := make([]string, len(list))
		for i, e := range list {
			files[i] = e.File
		}
		cache.Lines(files)
		if _, _, err2 := Load(src, copts); err2 != nil {
			err = err2
		}
	}
	if err != nil {
		cache.Close()
		return nil, nil, nil, err
	}
	return site, r, cache, nil
}

// write makes the files of jobs in out, from scratch or, with the cache
// of a previous output, only those whose keys changed; the new cache bc is
// written meanwhile and committed with them.
func write(out string, jobs []job, prev *buildCache, bc *buildCache) (Stats, error) {
	// Until this build is complete, the output no longer matches any cache.
	if err := os.Remove(cachePath(out)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return Stats{}, err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return Stats{}, fmt.Errorf("create output: %w", err)
	}
	saved := make(chan error, 1)
	keys := bc.keys // encode lets them go once written
	go func() { saved <- bc.encode(out, prev) }()
	var (
		stats  Stats
		staged *stage
		err    error
	)
	if _, markerErr := os.Stat(filepath.Join(out, marker)); prev != nil && markerErr == nil {
		stats, staged, err = update(out, jobs, keys, prev)
	} else {
		stats, err = rebuild(out, jobs)
	}
	if err := errors.Join(err, <-saved); err != nil {
		bc.discard(out)
		os.RemoveAll(stagePath(out))
		return Stats{}, err
	}
	if staged != nil {
		staged.j.Details = filepath.Base(bc.details)
		return stats, staged.commit()
	}
	return stats, bc.commit(out)
}

// rebuild writes every file to a new tree beside out and swaps it in.
// Files whose bytes did not change are hard-linked from the old tree. One
// goroutine writes while the others render.
func rebuild(out string, jobs []job) (Stats, error) {
	tmp, err := os.MkdirTemp(filepath.Dir(out), "."+filepath.Base(out)+".new-")
	if err != nil {
		return Stats{}, fmt.Errorf("create output: %w", err)
	}
	defer os.RemoveAll(tmp) // a no-op once tmp has become out
	if err := os.Chmod(tmp, 0o755); err != nil {
		return Stats{}, err
	}
	d := &dirOutput{root: tmp}
	if _, err := os.Stat(out); err == nil {
		d.prev = out
	}
	q := newWriteQueue(d, 64, 16<<20)
	if err := errors.Join(generate(jobs, q), q.close()); err != nil {
		return Stats{}, err
	}
	if err := swap(tmp, out); err != nil {
		return Stats{}, err
	}
	return Stats{Files: len(jobs), Rendered: len(jobs), Written: int(d.written.Load()), Reused: int(d.reused.Load())}, nil
}

// pages counts the HTML pages of a site: articles, collection indexes, the
// home page and the 404 page.
func pages(site *content.Site) int { return len(site.Articles()) + len(site.Collections) + 2 }

// discard is an Output that drops every file.
type discard struct{}

func (discard) WriteFile(string, []byte) error { return nil }

// marker is a file every output has; an existing directory without it is
// not ours to replace.
const marker = ".nojekyll"

// checkOut refuses output paths that would destroy something else: the
// source itself, a directory holding it or inside its content, templates
// or static files, an existing file, or a non-empty directory that is not
// a previous output.
func checkOut(src, out string) error {
	absSrc, err1 := filepath.Abs(src)
	absOut, err2 := filepath.Abs(out)
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	within := func(dir, p string) bool {
		return p == dir || strings.HasPrefix(p, dir+string(filepath.Separator))
	}
	if within(absOut, absSrc) {
		return fmt.Errorf("output %s would replace the source directory; choose another -out", out)
	}
	for _, d := range []string{content.Dir, "templates", "static"} {
		if within(filepath.Join(absSrc, d), absOut) {
			return fmt.Errorf("output %s is inside the site's %s/ directory; choose an -out outside it, such as public", out, d)
		}
	}
	fi, err := os.Lstat(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output %s: %w", out, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("output %s exists and is not a directory; choose another -out, such as public", out)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return fmt.Errorf("output %s: %w", out, err)
	}
	if len(entries) == 0 {
		return nil
	}
	if fi, err := os.Lstat(filepath.Join(out, marker)); err != nil || !fi.Mode().IsRegular() {
		return fmt.Errorf("output %s is not empty and holds no %s, so it is not a previous build; remove it or choose another -out", out, marker)
	}
	return nil
}

// swap replaces out with the finished tree tmp. Where the kernel can, the
// two are exchanged in one step and the old tree, now at tmp, deleted.
// Otherwise the previous output is moved aside first and deleted last; if
// the second rename fails, it is put back.
func swap(tmp, out string) error {
	step("swap")
	if err := exchange(tmp, out); err == nil {
		step("exchanged")
		return os.RemoveAll(tmp)
	}
	old := strings.Replace(tmp, ".new-", ".old-", 1)
	hadOld := true
	if err := os.Rename(out, old); errors.Is(err, os.ErrNotExist) {
		hadOld = false
	} else if err != nil {
		return fmt.Errorf("replace output: %w", err)
	}
	if err := os.Rename(tmp, out); err != nil {
		if hadOld {
			os.Rename(old, out)
		}
		return fmt.Errorf("replace output: %w", err)
	}
	if hadOld {
		return os.RemoveAll(old)
	}
	return nil
}

// step marks a step of a build's commit; a test that kills a build at
// each step sets it.
var step = func(name string) {}

// removeLeftovers deletes what a build into out that was killed may have
// left beside it: new trees not swapped in, old trees not yet deleted, and
// a cache not put in place. Their names are errwiki's own.
func removeLeftovers(out string) error {
	prefix := filepath.Join(filepath.Dir(out), "."+filepath.Base(out))
	leftovers, err := filepath.Glob(prefix + ".new-*")
	if err != nil {
		return err
	}
	old, _ := filepath.Glob(prefix + ".old-*")
	leftovers = append(append(leftovers, old...), cachePath(out)+".tmp", stagePath(out), journalPath(out)+".tmp")
	var errs []error
	for _, p := range leftovers {
		errs = append(errs, os.RemoveAll(p))
	}
	return errors.Join(errs...)
}

// dirOutput writes files under root, linking those whose bytes equal the
// file of the same name under prev, if there is a prev.
type dirOutput struct {
	root, prev      string
	dirs            sync.Map // directories already created at the top of the tree
	written, reused atomic.Int64
}

var readPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (d *dirOutput) WriteFile(name string, data []byte) error {
	rel := filepath.FromSlash(name)
	dst := filepath.Join(d.root, rel)
	if dir := filepath.Dir(dst); dir != d.root {
		// The directories at the top (collections) hold many files: they
		// are remembered. One below holds an article's page alone, so
		// remembering it would only grow with the site.
		top := filepath.Dir(dir) == d.root
		if _, done := d.dirs.Load(dir); !done {
			// Mostly the parent exists already: one mkdir, not MkdirAll's stats.
			if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					return err
				}
			}
			if top {
				d.dirs.Store(dir, true)
			}
		}
	}
	if d.prev != "" {
		old := filepath.Join(d.prev, rel)
		if sameContent(old, data) && os.Link(old, dst) == nil {
			d.reused.Add(1)
			return nil
		}
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		return err
	}
	d.written.Add(1)
	return nil
}

// sameContent reports whether the regular file at name holds exactly data.
func sameContent(name string, data []byte) bool {
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) {
		return false
	}
	buf := readPool.Get().(*bytes.Buffer)
	defer readPool.Put(buf)
	buf.Reset()
	if _, err := io.Copy(buf, f); err != nil {
		return false
	}
	return bytes.Equal(buf.Bytes(), data)
}
