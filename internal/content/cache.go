package content

import (
	"bytes"
	"io/fs"
	"sync"
	"time"
)

// A Cache keeps parsed articles between loads of the same site, so that a
// reload parses only the files whose bytes changed: what lets serve show an
// edit to one article of thousands at once. A Cache is safe for concurrent
// use; give each site its own.
type Cache struct {
	mu      sync.Mutex
	entries map[string]*cacheEntry
	seen    map[string]bool // files of the load in progress
	changed int             // files added, changed or removed by the last load
}

type cacheEntry struct {
	size    int64
	mod     time.Time
	data    []byte
	article *Article  // parsed and checked on its own, not linked
	errs    ErrorList // what parsing found
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{entries: map[string]*cacheEntry{}} }

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

// end forgets the files the load did not see, counting them as changed.
func (c *Cache) end() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for name := range c.entries {
		if !c.seen[name] {
			delete(c.entries, name)
			c.changed++
		}
	}
	c.seen = nil
}

// article returns the parsed article in file name, from the cache when the
// file's size and time, or else its bytes, are those of the cached copy.
// The article returned is a copy that linking may change freely.
func (c *Cache) article(fsys fs.FS, name string) (*Article, ErrorList, error) {
	c.mu.Lock()
	c.seen[name] = true
	e := c.entries[name]
	c.mu.Unlock()

	fi, statErr := fs.Stat(fsys, name)
	if e != nil && statErr == nil && fi.Size() == e.size && fi.ModTime().Equal(e.mod) {
		return e.copy(), e.errs, nil
	}
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, nil, err
	}
	if e == nil || !bytes.Equal(data, e.data) {
		var errs ErrorList
		e = &cacheEntry{data: data, article: ParseArticle(name, data, &errs), errs: errs}
		c.mu.Lock()
		c.changed++
		c.mu.Unlock()
	}
	if statErr == nil {
		e.size, e.mod = fi.Size(), fi.ModTime()
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
	if e := c.entries[name]; e == nil || !bytes.Equal(e.data, data) {
		c.entries[name] = &cacheEntry{data: data}
		c.changed++
	}
}

func (e *cacheEntry) copy() *Article {
	a := *e.article
	return &a
}
