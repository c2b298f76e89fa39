package content

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sync"
	"time"
)

// A Cache keeps parsed articles between loads of the same site, so that a
// load parses only the files whose bytes changed. serve keeps one in memory;
// build saves one beside its output, so the next build of a large site
// skips the front matter it has seen. A Cache is safe for concurrent use;
// give each site its own.
type Cache struct {
	lines   bool // keep field lines, to report link problems of unchanged files
	mu      sync.Mutex
	entries map[string]*cacheEntry
	seen    map[string]bool // files of the load in progress
	changed int             // files added, changed or removed by the last load

	trusted bool            // the next load may skip the files not in dirty
	dirty   map[string]bool // see Watched
	last    *linkPlan       // how the last load linked, if it succeeded
}

type cacheEntry struct {
	Digest  Digest
	BodyAt  int      // where the Markdown body starts in the file
	Article *Article // parsed and checked on its own, never linked; no body when restored

	Size int64 // file size and time when last read: a cheap "unchanged"
	Mod  time.Time
	body []byte    // the body, while the entry is in memory
	errs ErrorList // what parsing found
}

// A Digest is the SHA-256 of a file's bytes.
type Digest [sha256.Size]byte

// NewCache returns an empty cache. With lines, cached articles keep the
// lines of their fields, so a later load reports a broken link in an
// unchanged file at its line; that costs memory. A cache without lines
// suits a caller that loads again without the cache when there are errors.
func NewCache(lines bool) *Cache { return &Cache{lines: lines, entries: map[string]*cacheEntry{}} }

// Changed reports how many files the last Load found added, changed or
// removed since the load before it. The first load counts every file.
func (c *Cache) Changed() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.changed
}

func (c *Cache) begin() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen, c.changed = map[string]bool{}, 0
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
	if e != nil && e.body == nil && e.Size > 0 {
		// Restored from a saved cache: when the file keeps its size and
		// time, as make and rsync judge it, its body is read only if its
		// page is made again (Article.ReadBody).
		if fi, err := fs.Stat(fsys, name); err == nil && fi.Size() == e.Size && fi.ModTime().Equal(e.Mod) {
			a := e.copy()
			a.unread, a.bodyAt = fsys, e.BodyAt
			return a, e.errs, nil
		}
	}
	// One open for the size, the time and the bytes.
	f, err := fsys.Open(name)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, statErr := f.Stat()
	if e != nil && e.body != nil && statErr == nil && fi.Size() == e.Size && fi.ModTime().Equal(e.Mod) {
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
	if sum := sha256.Sum256(data); e == nil || sum != e.Digest {
		var errs ErrorList
		a := parseArticle(name, data, sum, &errs)
		if !c.lines {
			a.pos = positions{}
		}
		e = &cacheEntry{Digest: sum, BodyAt: len(data) - len(a.Body), Article: a, errs: errs}
		a.Body = nil // copies get e.body; a saved cache has no bodies
		c.mu.Lock()
		c.changed++
		c.mu.Unlock()
	} else {
		e = &cacheEntry{Digest: e.Digest, BodyAt: e.BodyAt, Article: e.Article, errs: e.errs}
	}
	// A copy of the body alone: the front matter, decoded, is not kept.
	e.body = bytes.Clone(data[e.BodyAt:])
	if statErr == nil {
		e.Size, e.Mod = fi.Size(), fi.ModTime()
	}
	c.mu.Lock()
	c.entries[name] = e
	c.mu.Unlock()
	return e.copy(), e.errs, nil
}

// note records the bytes of a file that is parsed on every load (the site's
// and collections' _index.md), counting it as changed when they differ.
func (c *Cache) note(name string, data []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen[name] = true
	if sum := sha256.Sum256(data); c.entries[name] == nil || c.entries[name].Digest != sum {
		c.entries[name] = &cacheEntry{Digest: sum}
		c.changed++
	}
}

// ErrStale reports a file whose bytes changed though its size and time did
// not, so that a saved cache took it for unchanged.
var ErrStale = errors.New("changed without a change of size or time")

// ReadBody reads the body of an article that a load took from a saved
// cache without reading its file, and checks that the file's bytes are
// the ones the cache saw; if not, the error is ErrStale. It does nothing
// for an article that has its body.
func (a *Article) ReadBody() error {
	if a.unread == nil {
		return nil
	}
	data, err := fs.ReadFile(a.unread, a.File)
	if err != nil {
		return err
	}
	if sha256.Sum256(data) != a.Digest {
		return fmt.Errorf("%s: %w", a.File, ErrStale)
	}
	a.Body, a.unread = data[a.bodyAt:], nil
	return nil
}

func (e *cacheEntry) copy() *Article {
	a := *e.Article
	a.Body = e.body
	a.Digest = e.Digest
	return &a
}

// cacheVersion changes whenever the saved form of a Cache does.
const cacheVersion = 4

// savedEntry is one file of a saved cache. Entries are encoded one at a
// time, so that saving a large site never holds the whole encoding.
type savedEntry struct {
	Name  string
	Entry *cacheEntry
}

// Save writes the articles that parsed without problems, for ReadCache.
func (c *Cache) Save(w io.Writer) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var saved []savedEntry
	for name, e := range c.entries {
		if e.Article != nil && len(e.errs) == 0 {
			saved = append(saved, savedEntry{name, e})
		}
	}
	enc := gob.NewEncoder(w)
	if err := enc.Encode([2]int{cacheVersion, len(saved)}); err != nil {
		return err
	}
	for _, e := range saved {
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	return nil
}

// ReadCache reads a cache written by Save. Its articles come without their
// bodies and lines, so a load reads every file again, and parses only the
// changed ones. Several caches, or other data, may share r when it is an
// io.ByteReader, such as a *bufio.Reader: ReadCache reads no further than its
// own.
func ReadCache(r io.Reader) (*Cache, error) {
	dec := gob.NewDecoder(r)
	var head [2]int // version, entries
	if err := dec.Decode(&head); err != nil {
		return nil, err
	}
	if head[0] != cacheVersion {
		return nil, fmt.Errorf("cache version %d, want %d", head[0], cacheVersion)
	}
	c := NewCache(false)
	for range head[1] {
		var e savedEntry
		if err := dec.Decode(&e); err != nil {
			return nil, err
		}
		if e.Entry == nil || e.Entry.Article == nil {
			return nil, fmt.Errorf("cache entry %q is empty", e.Name)
		}
		c.entries[e.Name] = e.Entry
	}
	return c, nil
}
