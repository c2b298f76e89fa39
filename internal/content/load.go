package content

import (
	"cmp"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Dir is the directory of a site source that holds its content.
const Dir = "content"

// Options change how a site is loaded.
type Options struct {
	BaseURL string // overrides the site's base_url when set
	Drafts  bool   // keep articles marked draft
	Cache   *Cache // parsed articles of earlier loads, to reuse; may be nil
	// Changed, when set, gives the day each file last changed (GitDates),
	// and Load warns about articles whose `updated` date lags behind it.
	// A load that a Cache answers whole does not look at it.
	Changed map[string]time.Time
}

// Load reads every file under content/ in fsys, decodes and validates it, and
// returns the site. Problems in the content are returned together as an
// ErrorList, sorted by file and line; any other error is an I/O failure.
func Load(fsys fs.FS, opts Options) (*Site, error) {
	if opts.Cache != nil {
		if site, ok := opts.Cache.reload(fsys, opts); ok {
			return site, nil
		}
	}
	var (
		errs        ErrorList
		siteFile    bool
		collections []string                // directories holding an _index.md
		files       = map[string][]string{} // collection → article files
	)
	err := fs.WalkDir(fsys, Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if strings.HasPrefix(name, ".") && p != Dir {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			errs = append(errs, &Error{File: p, Msg: "symbolic links are not followed; move the file into content/"})
			return nil
		}
		if !d.IsDir() && !d.Type().IsRegular() {
			// Reading a named pipe or a device could block or never end.
			errs = append(errs, &Error{File: p, Msg: "not a regular file; content/ holds only Markdown files and directories"})
			return nil
		}
		depth := strings.Count(p, "/")
		switch {
		case d.IsDir() && depth > 1:
			errs = append(errs, &Error{File: p, Msg: "nested directories are not supported; put articles in content/<collection>/"})
			return fs.SkipDir
		case d.IsDir():
			return nil
		case path.Ext(name) != ".md":
			errs = append(errs, &Error{File: p, Msg: "not a Markdown file; content/ holds only .md files"})
		case depth == 1 && name == "_index.md":
			siteFile = true
		case depth == 1:
			errs = append(errs, &Error{File: p, Msg: "articles belong in a collection directory, e.g. content/http/"})
		case name == "_index.md":
			collections = append(collections, path.Dir(p))
		default:
			dir := path.Dir(p)
			files[dir] = append(files[dir], p)
		}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrorList{{File: Dir, Msg: "no content directory"}}
	}
	if err != nil {
		return nil, fmt.Errorf("read content: %w", err)
	}
	if !siteFile {
		errs = append(errs, &Error{File: Dir + "/_index.md", Msg: "missing: the site's title, description and base_url live here"})
	}
	for dir := range files {
		if !slices.Contains(collections, dir) {
			errs = append(errs, &Error{File: dir + "/_index.md", Msg: "missing: every collection directory needs an _index.md with its title, name and categories"})
		}
	}

	if opts.Cache != nil {
		opts.Cache.begin(fsys)
		defer opts.Cache.end()
	}
	site := &Site{File: Dir + "/_index.md"}
	if siteFile {
		if err := readSite(fsys, site, opts, opts.Cache, &errs); err != nil {
			return nil, err
		}
	}
	for _, dir := range collections {
		c, err := readCollection(fsys, dir, files[dir], opts.Cache, &errs)
		if err != nil {
			return nil, err
		}
		site.Collections = append(site.Collections, c)
	}
	slices.SortFunc(site.Collections, func(a, b *Collection) int {
		return cmp.Or(cmp.Compare(a.Order, b.Order), cmp.Compare(a.Title, b.Title), cmp.Compare(a.Key, b.Key))
	})
	link(site, opts.Drafts, &errs)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if opts.Cache == nil || !opts.Cache.isLean() {
		// Lean articles have no details to lint.
		site.Warnings = lint(site)
	}
	if opts.Changed != nil {
		site.Warnings = append(site.Warnings, checkDates(site, opts.Changed)...).sorted()
	}
	if opts.Cache != nil && !opts.Cache.isLean() {
		opts.Cache.plan(site, files, opts)
		return site, nil // the cached articles keep their lines for later loads
	}
	// Field lines are only needed to report problems, and all are found:
	// let them go, they are a good part of a loaded site's memory.
	for _, c := range site.Collections {
		c.pos = positions{}
		for _, a := range c.Articles {
			a.pos = positions{}
		}
	}
	return site, nil
}

func readSite(fsys fs.FS, s *Site, opts Options, cache *Cache, errs *ErrorList) error {
	data, err := fs.ReadFile(fsys, s.File)
	if err != nil {
		return fmt.Errorf("read %s: %w", s.File, err)
	}
	if cache != nil {
		cache.note(s.File, data)
	}
	body, pos, ok := decodeFile(s.File, data, s, errs)
	s.Body = body
	s.Digest = sha256.Sum256(data[:len(data)-len(body)])
	if opts.BaseURL != "" {
		s.BaseURL = opts.BaseURL
	}
	if ok {
		validateSite(s, pos, errs)
	}
	return nil
}

func readCollection(fsys fs.FS, dir string, articleFiles []string, cache *Cache, errs *ErrorList) (*Collection, error) {
	c := &Collection{Key: path.Base(dir), File: dir + "/_index.md"}
	data, err := fs.ReadFile(fsys, c.File)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", c.File, err)
	}
	if cache != nil {
		cache.note(c.File, data)
	}
	var ok bool
	c.Body, c.pos, ok = decodeFile(c.File, data, c, errs)
	c.Digest = sha256.Sum256(data[:len(data)-len(c.Body)])
	if ok {
		validateCollection(c, errs)
	}

	// Articles are independent of each other until linking: read and
	// decode them on every core.
	c.Articles = make([]*Article, len(articleFiles))
	fileErrs := make([]ErrorList, len(articleFiles))
	ioErrs := make([]error, len(articleFiles))
	var (
		wg   sync.WaitGroup
		next atomic.Int64 // the next file to read
	)
	for range min(runtime.GOMAXPROCS(0), len(articleFiles)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(articleFiles) {
					return
				}
				if cache != nil {
					a, errs, err := cache.article(fsys, articleFiles[i])
					if err != nil {
						ioErrs[i] = fmt.Errorf("read %s: %w", articleFiles[i], err)
					}
					c.Articles[i], fileErrs[i] = a, errs
					continue
				}
				data, err := fs.ReadFile(fsys, articleFiles[i])
				if err != nil {
					ioErrs[i] = fmt.Errorf("read %s: %w", articleFiles[i], err)
					continue
				}
				c.Articles[i] = ParseArticle(articleFiles[i], data, &fileErrs[i])
			}
		})
	}
	wg.Wait()
	if err := errors.Join(ioErrs...); err != nil {
		return nil, err
	}
	for _, l := range fileErrs {
		*errs = append(*errs, l...)
	}
	for _, a := range c.Articles {
		a.Collection = c
	}
	sortArticles(c.Articles)
	return c, nil
}

// ParseArticle decodes and checks one article file on its own; the checks
// that need the rest of the site (category, related, duplicates) happen when
// the site is linked.
func ParseArticle(file string, data []byte, errs *ErrorList) *Article {
	return parseArticle(file, data, sha256.Sum256(data), errs)
}

// parseArticle is ParseArticle for a caller that has the digest already.
func parseArticle(file string, data []byte, digest Digest, errs *ErrorList) *Article {
	a := &Article{File: file, Digest: digest, Detail: &Detail{}}
	var ok bool
	a.Body, a.pos, ok = decodeFile(file, data, a, errs)
	a.Meta = sha256.Sum256(data[:len(data)-len(a.Body)])
	if ok {
		validateArticle(a, errs)
	}
	return a
}

// sortArticles sorts articles by CompareCodes of their codes, parsing each
// code once rather than at every comparison.
func sortArticles(articles []*Article) {
	type keyed struct {
		key codeKey
		a   *Article
	}
	keys := make([]keyed, len(articles))
	for i, a := range articles {
		keys[i] = keyed{keyOf(a.Code), a}
	}
	slices.SortFunc(keys, func(x, y keyed) int { return x.key.compare(y.key) })
	for i, k := range keys {
		articles[i] = k.a
	}
}

// CompareCodes orders codes naturally: numbers by value before any other
// code, and other codes alphabetically, ignoring case.
func CompareCodes(a, b string) int { return keyOf(a).compare(keyOf(b)) }

// A codeKey is a code parsed for CompareCodes.
type codeKey struct {
	code, lower string
	num         uint64
	isNum       bool
}

func keyOf(code string) codeKey {
	n, err := strconv.ParseUint(code, 10, 64)
	return codeKey{code, strings.ToLower(code), n, err == nil}
}

func (x codeKey) compare(y codeKey) int {
	switch {
	case x.isNum && y.isNum:
		return cmp.Or(cmp.Compare(x.num, y.num), cmp.Compare(x.code, y.code))
	case x.isNum:
		return -1
	case y.isNum:
		return 1
	}
	return cmp.Or(cmp.Compare(x.lower, y.lower), cmp.Compare(x.code, y.code))
}
