package content

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"sync"

	"github.com/errwiki/errwiki/internal/wire"
)

// An article's Detail is the part of its front matter that only its own
// page, its JSON and the search index show. A lean cache keeps it out of
// memory, so that a load of a large site holds only what other pages show
// of each article: its code, names, summary, category and links.

func putDetails(w *wire.Writer, d *Detail) {
	w.Strings(d.Details)
	w.Strings(d.Causes)
	w.Strings(d.Steps)
	w.String(d.QuickAnswer.Question)
	w.String(d.QuickAnswer.Answer)
	wire.PutSlice(w, d.FAQ, func(qa QA) { w.String(qa.Question); w.String(qa.Answer) })
	wire.PutSlice(w, d.References, func(l Link) { w.String(l.Title); w.String(l.URL) })
	w.Strings(d.Aliases)
	w.Strings(d.Messages)
	w.Bool(d.Example != nil)
	if d.Example != nil {
		w.String(d.Example.Request)
		w.String(d.Example.Response)
	}
	wire.PutSlice(w, d.Send, func(s Snippet) { w.String(s.Lang); w.String(s.Code) })
}

func getDetails(r *wire.Reader) *Detail {
	d := &Detail{}
	d.Details = r.Strings()
	d.Causes = r.Strings()
	d.Steps = r.Strings()
	d.QuickAnswer = QA{r.String(), r.String()}
	d.FAQ = wire.GetSlice(r, func() QA { return QA{r.String(), r.String()} })
	d.References = wire.GetSlice(r, func() Link { return Link{r.String(), r.String()} })
	d.Aliases = r.Strings()
	d.Messages = r.Strings()
	if r.Bool() {
		d.Example = &Example{r.String(), r.String()}
	}
	d.Send = wire.GetSlice(r, func() Snippet { return Snippet{r.String(), r.String()} })
	return d
}

// A store keeps the details of articles, encoded, in a file: the kernel's
// page cache holds them, not the process. The store of a load is a file
// with no name, so nothing is left behind however the process ends; a
// saved cache keeps its details in a named file beside it (see Save).
type store struct {
	f    *os.File
	temp bool // no name: close removes it where it could not be removed while open
	mu   sync.Mutex
	end  int64
}

// A record is where a store keeps one article's details and, in the store
// of a load, its body after them.
type record struct {
	off   int64
	n     int    // bytes of the details
	body  int    // bytes of the body
	sum   uint32 // CRC-32C of the details, to tell a damaged saved record
	saved bool   // in the details of a saved cache, which keep no body
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func newStore(dir string) (*store, error) {
	f, err := os.CreateTemp(dir, ".errwiki-details-")
	if err != nil {
		return nil, err
	}
	// Where a file cannot be removed while open, close removes it.
	os.Remove(f.Name())
	return &store{f: f, temp: true}, nil
}

// appendDetails appends the encoded details d to buf.
func appendDetails(buf []byte, d *Detail) []byte {
	return wire.Append(buf, func(w *wire.Writer) { putDetails(w, d) })
}

// recordBufs are buffers for the records put makes, one an article.
var recordBufs = sync.Pool{New: func() any { return new([]byte) }}

// put keeps the details of a and its body, so that the pages made from it
// show the bytes the load parsed, without reading its file again.
func (s *store) put(a *Article, body []byte) (record, error) {
	buf := recordBufs.Get().(*[]byte)
	data := appendDetails((*buf)[:0], a.Detail)
	rec := record{n: len(data), body: len(body), sum: crc32.Checksum(data, castagnoli)}
	data = append(data, body...)
	if cap(data) <= 1<<20 {
		*buf = data
		defer recordBufs.Put(buf)
	}
	s.mu.Lock()
	rec.off = s.end
	s.end += int64(len(data))
	s.mu.Unlock()
	if _, err := s.f.WriteAt(data, rec.off); err != nil {
		return record{}, fmt.Errorf("keep the details of %s: %w", a.File, err)
	}
	return rec, nil
}

// errDamaged reports a record whose bytes are not those written.
var errDamaged = errors.New("damaged record")

// read returns the bytes of rec's details, and of its body after them
// with body, in buf when it is large enough.
func (s *store) read(rec record, buf []byte, body bool) ([]byte, error) {
	n := rec.n
	if body {
		n += rec.body
	}
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if _, err := s.f.ReadAt(buf, rec.off); err != nil {
		return nil, err
	}
	if crc32.Checksum(buf[:rec.n], castagnoli) != rec.sum {
		return nil, errDamaged
	}
	return buf, nil
}

// get returns the details of rec and, with body, its body.
func (s *store) get(rec record, body bool) (*Detail, []byte, error) {
	buf, err := s.read(rec, nil, body)
	if err != nil {
		return nil, nil, err
	}
	r := wire.NewReader(buf[:rec.n])
	d := getDetails(r)
	if err := r.End(); err != nil {
		return nil, nil, err
	}
	return d, buf[rec.n:], nil
}

func (s *store) close() error {
	err := s.f.Close()
	if s.temp {
		os.Remove(s.f.Name())
	}
	return err
}

// Lean makes c keep in memory only what other pages show of each article
// it parses, and the rest in an unnamed file in dir (the system's
// temporary directory when dir is ""), so that memory grows with a site
// by the size of its link data alone. The articles of a load are then
// lean: Full returns one whole. Close releases the file. Lean is called
// before the one load that a lean cache serves.
func (c *Cache) Lean(dir string) error {
	s, err := newStore(dir)
	if err != nil {
		return fmt.Errorf("create the article store: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.store, c.lean = s, true
	return nil
}

func (c *Cache) isLean() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lean
}

// Close releases the files of a lean cache and of a saved one; a cache
// that is neither has nothing to release.
func (c *Cache) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for _, s := range []**store{&c.store, &c.saved} {
		if *s != nil {
			errs = append(errs, (*s).close())
			*s = nil
		}
	}
	return errors.Join(errs...)
}

// Full returns an article of a load with c whole, with its details and
// its body: a copy, when the load left it lean, or else a itself. An
// article the load parsed comes from the store, with the bytes the load
// read; one restored from a saved cache reads its file again, and when its
// bytes are no longer those the cache saw, the error is ErrStale. It is
// safe for concurrent use.
func (c *Cache) Full(a *Article) (*Article, error) { return c.whole(a, true) }

// Detailed is Full for a caller that needs the details and not the body:
// the details of an article the load parsed come from the store alone,
// without reading its file again.
func (c *Cache) Detailed(a *Article) (*Article, error) { return c.whole(a, false) }

func (c *Cache) whole(a *Article, body bool) (*Article, error) {
	c.mu.Lock()
	e, fsys, s := c.entries[a.File], c.fsys, c.store
	if e != nil && e.rec.saved {
		s = c.saved
	}
	c.mu.Unlock()
	if e == nil || !e.lean {
		return a, nil
	}
	full := *a
	var detailErr error = errDamaged
	if e.rec.n > 0 && s != nil {
		// The store of this load keeps the body too; a saved cache's
		// details do not.
		withBody := body && !e.rec.saved
		var b []byte
		full.Detail, b, detailErr = s.get(e.rec, withBody)
		if detailErr != nil && !e.rec.saved {
			return nil, fmt.Errorf("read the details of %s: %w", a.File, detailErr)
		}
		if withBody {
			full.Body = b
		}
		if detailErr == nil && (!body || withBody) {
			return &full, nil
		}
	}
	data, err := fs.ReadFile(fsys, a.File)
	if err != nil {
		return nil, err
	}
	if sha256.Sum256(data) != a.Digest || e.digest != a.Digest || e.bodyAt > len(data) {
		return nil, fmt.Errorf("%s: %w", a.File, ErrStale)
	}
	if body {
		full.Body = data[e.bodyAt:]
	}
	if detailErr == nil {
		return &full, nil
	}
	// Restored from a saved cache that kept no details for it, or a
	// damaged record: parse them again from the file, which has the bytes
	// that cache saw.
	var errs ErrorList
	parsed := parseArticle(a.File, data, e.digest, &errs)
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	full.Detail = parsed.Detail
	return &full, nil
}
