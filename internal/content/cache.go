package content

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"sync"
	"time"
	"unique"

	"github.com/errwiki/errwiki/internal/wire"
)

// A Cache keeps parsed articles between loads of the same site, so that a
// load parses only the files whose bytes changed. serve keeps one in memory;
// build saves one beside its output, so the next build of a large site
// skips the front matter it has seen. A Cache is safe for concurrent use;
// give each site its own.
type Cache struct {
	lines   bool            // keep field lines, to report link problems of unchanged files
	lined   map[string]bool // files whose field lines are kept all the same (see Lines)
	mu      sync.Mutex
	entries map[string]*cacheEntry
	seen    map[string]bool // files of the load in progress
	changed int             // files added, changed or removed by the last load

	lean  bool   // see Lean; a cache read by ReadCache is lean
	store *store // where a lean cache keeps the details of the articles it parsed
	saved *store // the details of the saved cache it was read from, if any
	fsys  fs.FS  // of the load in progress or the last one

	trusted bool            // the next load may skip the files not in dirty
	dirty   map[string]bool // see Watched
	last    *linkPlan       // how the last load linked, if it succeeded

	slab slab // the lean entries, and the articles of those parsed
}

type cacheEntry struct {
	digest  Digest
	bodyAt  int      // where the Markdown body starts in the file
	article *Article // parsed and checked on its own, never linked; no body when restored

	size int64     // file size and time when last read: a cheap "unchanged"
	mod  int64     // the file's modification time, in nanoseconds since 1970 (8 bytes where a time.Time takes 24)
	read int64     // when the file was last read, for unchanged, as mod
	body []byte    // the body, while the entry is in memory
	errs ErrorList // what parsing found

	lean bool   // article has no details and no body: see Cache.Full
	rec  record // where a store keeps its details, if one does
}

// A Digest is the SHA-256 of a file's bytes.
type Digest [sha256.Size]byte

// NewCache returns an empty cache. With lines, cached articles keep the
// lines of their fields, so a later load reports a broken link in an
// unchanged file at its line; that costs memory. A cache without lines
// suits a caller that loads again without the cache when there are errors.
func NewCache(lines bool) *Cache {
	return &Cache{lines: lines, entries: map[string]*cacheEntry{}}
}

// Changed reports how many files the last Load found added, changed or
// removed since the load before it. The first load counts every file.
func (c *Cache) Changed() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.changed
}

func (c *Cache) begin(fsys fs.FS) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen, c.changed, c.fsys = map[string]bool{}, 0, fsys
}

// Watched tells the cache that its caller watches the files, and that since
// the last load only the files named in changed (paths such as
// "content/http/502.md") may have changed: the next load reuses every other
// article it holds without looking at the disk. When the last load
// succeeded and the changed files are articles that keep their links, it
// also reuses how that load listed, sorted, linked and linted them. With
// changed nil, the next load checks every file, as it does without a call
// to Watched.
func (c *Cache) Watched(changed []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.trusted, c.dirty = changed != nil, map[string]bool{}
	for _, name := range changed {
		c.dirty[name] = true
	}
}

// Lines makes the next load parse the files named again and keep their
// field lines, as a cache with lines does, so that the problems a load
// found in them are reported at their lines: in a cache without lines,
// an unchanged file's article has none.
func (c *Cache) Lines(files []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lined == nil {
		c.lined = map[string]bool{}
	}
	for _, name := range files {
		c.lined[name] = true
		delete(c.entries, name)
	}
}

// end forgets the files the load did not see, counting them as changed.
func (c *Cache) end() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.trusted, c.dirty = false, nil
	for name := range c.entries {
		if !c.seen[name] {
			delete(c.entries, name)
			c.changed++
		}
	}
	c.seen = nil
}

// article returns the parsed article in file name, from the cache when the
// file's size and time, or else its digest, are those of the cached copy.
// The article returned is a copy that linking may change freely.
func (c *Cache) article(fsys fs.FS, name string) (*Article, ErrorList, error) {
	c.mu.Lock()
	c.seen[name] = true
	e := c.entries[name]
	trusted := c.trusted && !c.dirty[name]
	c.mu.Unlock()

	if trusted && e != nil && e.body != nil {
		return e.copy(), e.errs, nil
	}
	if e != nil && e.lean && e.size > 0 {
		// Lean: when the file keeps its size and time, as make and rsync
		// judge it, it is read again only if a file made from it is made
		// again (Cache.Full).
		if fi, err := fs.Stat(fsys, name); err == nil && e.unchanged(fi) {
			return c.give(e), e.errs, nil
		}
	}
	// One open for the size, the time and the bytes.
	read := time.Now()
	f, err := fsys.Open(name)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, statErr := f.Stat()
	if e != nil && e.body != nil && statErr == nil && e.unchanged(fi) {
		return e.copy(), e.errs, nil
	}
	var buf bytes.Buffer
	if statErr == nil {
		buf.Grow(int(fi.Size()) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(f); err != nil {
		return nil, nil, err
	}
	data := buf.Bytes()
	if sum := sha256.Sum256(data); e == nil || sum != e.digest {
		var errs ErrorList
		a := parseArticle(name, data, sum, &errs)
		c.mu.Lock()
		c.changed++
		s, keep := c.store, c.lines || c.lined[name]
		c.mu.Unlock()
		if !keep {
			a.pos = positions{}
		}
		e = &cacheEntry{digest: sum, bodyAt: len(data) - len(a.Body), article: a, errs: errs}
		a.Body = nil // copies get e.body; a saved cache has no bodies
		if s != nil && len(errs) == 0 {
			if e.rec, err = s.put(a, data[e.bodyAt:]); err != nil {
				return nil, nil, err
			}
			a.Detail = nil
			// Fields with a few values each are held once for all articles.
			a.CategoryKey, a.Source = unique.Make(a.CategoryKey).Value(), unique.Make(a.Source).Value()
			a.Status, a.Fault = unique.Make(a.Status).Value(), unique.Make(a.Fault).Value()
			a.packText()
			e.lean = true
			c.mu.Lock()
			e.article = c.slab.article(a)
			c.mu.Unlock()
		}
	} else {
		e = &cacheEntry{digest: e.digest, bodyAt: e.bodyAt, article: e.article, errs: e.errs, lean: e.lean, rec: e.rec}
	}
	if !e.lean {
		// A copy of the body alone: the front matter, decoded, is not kept.
		e.body = bytes.Clone(data[e.bodyAt:])
	}
	if statErr == nil {
		e.size, e.mod, e.read = fi.Size(), fi.ModTime().UnixNano(), read.UnixNano()
	}
	c.mu.Lock()
	if e.lean {
		e = c.slab.entry(e)
	}
	c.entries[name] = e
	c.mu.Unlock()
	return c.give(e), e.errs, nil
}

// A slab hands out the entries and articles of a lean cache from arrays
// of slabSize. A large site keeps hundreds of thousands of them while its
// pages are made: allocated one by one while the files are parsed, each
// would hold on to a span of the heap otherwise full of the parser's
// garbage, which no other object of its size may come to fill.
type slab struct {
	entries  []cacheEntry
	articles []Article
}

const slabSize = 256

func (s *slab) entry(e *cacheEntry) *cacheEntry { return keep(&s.entries, e) }
func (s *slab) article(a *Article) *Article     { return keep(&s.articles, a) }

// keep returns a copy of v in the next free element of *free, which it
// makes slabSize long when none is left.
func keep[T any](free *[]T, v *T) *T {
	if len(*free) == 0 {
		*free = make([]T, slabSize)
	}
	p := &(*free)[0]
	*free = (*free)[1:]
	*p = *v
	return p
}

// give returns the article of e for a load to link: a copy with its body,
// so that the entry serves later loads unlinked, except for a lean entry,
// which has no body, is in a lean cache that serves one load, and keeps
// only fields that linking leaves alone.
func (c *Cache) give(e *cacheEntry) *Article {
	if e.lean {
		return e.article
	}
	return e.copy()
}

// racyWindow is how long after a file's modification time a read of it
// must start for its size and time to tell later changes: a second write
// within the same tick of the file system's clock (up to 2 s on FAT) keeps
// the time, and often the size. git calls such entries racily clean.
const racyWindow = 2 * time.Second

// unchanged reports whether a file with info fi still has the bytes the
// entry read: it keeps the size and time, and that time was not racy when
// the entry read the file.
func (e *cacheEntry) unchanged(fi fs.FileInfo) bool {
	return fi.Size() == e.size && fi.ModTime().UnixNano() == e.mod && time.Duration(e.read-e.mod) > racyWindow
}

// note records the bytes of a file that is parsed on every load (the site's
// and collections' _index.md), counting it as changed when they differ.
func (c *Cache) note(name string, data []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen[name] = true
	if sum := sha256.Sum256(data); c.entries[name] == nil || c.entries[name].digest != sum {
		c.entries[name] = &cacheEntry{digest: sum}
		c.changed++
	}
}

// ErrStale reports a file whose bytes changed though its size and time did
// not, so that a saved cache took it for unchanged.
var ErrStale = errors.New("changed without a change of size or time")

func (e *cacheEntry) copy() *Article {
	a := *e.article
	a.Body = e.body
	a.Digest = e.digest
	return &a
}

// cacheVersion changes whenever the saved form of a Cache does.
const cacheVersion = 10

// Save writes the articles that parsed without problems, for ReadCache:
// what other pages show of them to w, and their details to details, which
// ReadCache reads a record at a time when an article's page, JSON or
// search entry is made. With appendAt at 0 or more, details appends to the
// file the cache was read from, which is appendAt bytes long: the records
// already there are kept where they are, and only the others are written.
// Entries are written one at a time, so that saving a large site never
// holds the whole encoding, and outside the cache's lock, so that a
// build's render goes on meanwhile.
func (c *Cache) Save(w *wire.Writer, details io.Writer, appendAt int64) error {
	type saving struct {
		name string
		e    *cacheEntry
	}
	c.mu.Lock()
	var list []saving
	for name, e := range c.entries {
		if e.saved() {
			list = append(list, saving{name, e})
		}
	}
	loaded, saved := c.store, c.saved
	c.mu.Unlock()

	w.Uint(cacheVersion)
	w.Uint(uint64(len(list)))
	off := max(appendAt, 0)
	var buf []byte
	for _, x := range list {
		var (
			data []byte
			err  error
		)
		s := loaded
		if x.e.rec.saved {
			s = saved
		}
		if appendAt >= 0 && x.e.rec.saved && x.e.rec.n > 0 && saved != nil {
			w.String(x.name)
			x.e.put(w, x.e.rec)
			continue
		}
		// A record read from a store was checked against its sum.
		sum := x.e.rec.sum
		switch {
		case !x.e.lean && x.e.article.Detail != nil:
			data = appendDetails(buf[:0], x.e.article.Detail)
			buf = data
			sum = crc32.Checksum(data, castagnoli)
		case x.e.rec.n > 0 && s != nil:
			data, err = s.read(x.e.rec, buf, false)
			buf = data
		}
		if err != nil && !errors.Is(err, errDamaged) {
			return fmt.Errorf("save the details of %s: %w", x.name, err)
		}
		// A damaged record is left out: its article is parsed again.
		var rec record
		if err == nil && data != nil {
			if _, err := details.Write(data); err != nil {
				return fmt.Errorf("save the details of %s: %w", x.name, err)
			}
			rec = record{off: off, n: len(data), sum: sum, saved: true}
			off += int64(len(data))
		}
		w.String(x.name)
		x.e.put(w, rec)
	}
	return nil
}

// SavedBytes returns how many bytes of the details file the cache was read
// from its entries still use: the rest of the file is records no entry
// points to any more.
func (c *Cache) SavedBytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var n int64
	for _, e := range c.entries {
		if e.saved() && e.rec.saved && e.rec.n > 0 {
			n += int64(e.rec.n)
		}
	}
	return n
}

// ReadCache reads a cache written by Save, and nothing after it, with the
// file its details went to, which the cache closes (see Close); with
// details nil, the articles' files are parsed again for their details. Its
// articles are lean, without details, bodies and lines: a load parses only
// the changed files, and Cache.Full reads an article whole from its file.
func ReadCache(r *wire.Reader, details *os.File) (*Cache, error) {
	if v := r.Uint(); r.Err() == nil && v != cacheVersion {
		return nil, fmt.Errorf("cache version %d, want %d", v, cacheVersion)
	}
	n := r.Uint()
	c := NewCache(false)
	c.lean = true
	for i := uint64(0); i < n && r.Err() == nil; i++ {
		name := r.String()
		e := getEntry(r)
		if details == nil {
			e.rec = record{}
		}
		c.entries[name] = e
	}
	if r.Err() != nil {
		return nil, fmt.Errorf("read cache: %w", r.Err())
	}
	if details != nil {
		c.saved = &store{f: details}
	}
	return c, nil
}

func (e *cacheEntry) saved() bool { return e.article != nil && len(e.errs) == 0 }

// put writes what ReadCache needs of an entry: its digest, size, time,
// what other pages show of its article, and where its details were saved,
// without lines or body, which Cache.Full reads again from the file when
// its page is made.
func (e *cacheEntry) put(w *wire.Writer, rec record) {
	w.Fixed(e.digest[:])
	w.Uint(uint64(e.bodyAt))
	w.Int(e.size)
	mod := time.Unix(0, e.mod)
	w.Int(mod.Unix())
	w.Uint(uint64(mod.Nanosecond()))
	w.Int(time.Unix(0, e.read).Unix())
	a := e.article
	for _, s := range []string{a.Code, a.Slug, a.Name, a.Tagline, a.CategoryKey, a.Source, a.Status, a.Fault, a.Summary} {
		w.String(s)
	}
	w.Strings(a.RelatedRefs)
	w.Bool(!a.Updated.IsZero())
	if !a.Updated.IsZero() {
		w.Int(a.Updated.Unix())
	}
	w.Bool(a.Draft)
	w.String(a.File)
	w.Fixed(a.Digest[:])
	w.Fixed(a.Meta[:])
	w.Int(rec.off)
	w.Uint(uint64(rec.n))
	w.Uint(uint64(rec.sum))
}

// getEntry reads what put wrote.
func getEntry(r *wire.Reader) *cacheEntry {
	e := &cacheEntry{article: &Article{}, lean: true}
	r.Fixed(e.digest[:])
	e.bodyAt = int(r.Uint())
	e.size = r.Int()
	e.mod = time.Unix(r.Int(), int64(r.Uint())).UnixNano()
	e.read = time.Unix(r.Int(), 0).UnixNano() // a second's precision errs on the racy side
	a := e.article
	for _, s := range []*string{&a.Code, &a.Slug, &a.Name, &a.Tagline, &a.CategoryKey, &a.Source, &a.Status, &a.Fault, &a.Summary} {
		*s = r.String()
	}
	a.RelatedRefs = r.Strings()
	if r.Bool() {
		a.Updated = Date{time.Unix(r.Int(), 0).UTC()}
	}
	a.Draft = r.Bool()
	a.File = r.String()
	r.Fixed(a.Digest[:])
	r.Fixed(a.Meta[:])
	e.rec = record{off: r.Int(), n: int(r.Uint()), sum: uint32(r.Uint()), saved: true}
	if e.rec.off < 0 || e.rec.n < 0 || e.rec.n > maxRecord {
		e.rec = record{} // corrupt: parse the file again
	}
	return e
}

// maxRecord bounds the size of one article's saved details, so that a
// corrupt cache cannot ask for a huge buffer.
const maxRecord = 64 << 20
