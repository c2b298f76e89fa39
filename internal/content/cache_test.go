package content

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestCache(t *testing.T) {
	fsys := fstest.MapFS{
		"content/_index.md":      {Data: []byte(siteIndex)},
		"content/http/_index.md": {Data: []byte(httpIndex)},
		"content/http/404.md":    {Data: []byte(otherArticle), ModTime: time.Unix(1, 0)},
		"content/http/502.md":    {Data: []byte(validArticle), ModTime: time.Unix(1, 0)},
	}
	cache := NewCache(true)
	load := func(wantChanged int) *Site {
		t.Helper()
		site, err := Load(fsys, Options{Cache: cache})
		if err != nil {
			t.Fatal(err)
		}
		if got := cache.Changed(); got != wantChanged {
			t.Errorf("Changed() = %d, want %d", got, wantChanged)
		}
		return site
	}
	first := load(4)
	second := load(0)
	a1, a2 := first.Collection("http").Articles[1], second.Collection("http").Articles[1]
	if a1 == a2 || a1.Name != a2.Name || a2.Related[0].Code != "404" {
		t.Errorf("second load did not give fresh, linked copies: %p %p %v", a1, a2, a2.Related)
	}

	// A new time with the same bytes is no change; new bytes are.
	fsys["content/http/502.md"] = &fstest.MapFile{Data: []byte(validArticle), ModTime: time.Unix(2, 0)}
	load(0)
	fsys["content/http/502.md"] = &fstest.MapFile{Data: []byte(strings.Replace(validArticle, "Bad Gateway", "Bad Gateway!", 1)), ModTime: time.Unix(3, 0)}
	if got := load(1).Collection("http").Articles[1].Name; got != "Bad Gateway!" {
		t.Errorf("changed article read as %q", got)
	}

	// Errors are kept with the file, with their lines, until it is fixed.
	fsys["content/http/502.md"] = &fstest.MapFile{Data: []byte(edit("causes:\n  - Backend down\n", "causes: []\n")), ModTime: time.Unix(4, 0)}
	for range 2 {
		_, err := Load(fsys, Options{Cache: cache})
		if err == nil || err.Error() != "content/http/502.md:6: causes: at least one cause is required" {
			t.Errorf("err = %v", err)
		}
	}
	// A removed file counts as a change, and its links fail with their lines.
	delete(fsys, "content/http/404.md")
	fsys["content/http/502.md"] = &fstest.MapFile{Data: []byte(validArticle), ModTime: time.Unix(5, 0)}
	_, err := Load(fsys, Options{Cache: cache})
	if err == nil || err.Error() != `content/http/502.md:13: related[0]: no article with code "404" in collection "http"` {
		t.Errorf("err = %v", err)
	}
	if got := cache.Changed(); got != 2 {
		t.Errorf("Changed() = %d after one edit and one removal, want 2", got)
	}
}

// saveAndRead saves cache and reads it back, as a build leaves it for the next.
func saveAndRead(t *testing.T, cache *Cache) *Cache {
	t.Helper()
	var saved bytes.Buffer
	if err := cache.Save(&saved); err != nil {
		t.Fatal(err)
	}
	restored, err := ReadCache(&saved)
	if err != nil {
		t.Fatal(err)
	}
	return restored
}

func TestCacheSaveRead(t *testing.T) {
	fsys := fstest.MapFS{
		"content/_index.md":      {Data: []byte(siteIndex)},
		"content/http/_index.md": {Data: []byte(httpIndex)},
		"content/http/404.md":    {Data: []byte(otherArticle)},
		"content/http/502.md":    {Data: []byte(validArticle)},
	}
	cache := NewCache(true)
	first, err := Load(fsys, Options{Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	restored := saveAndRead(t, cache)
	for name, e := range restored.entries {
		if e.Article.Body != nil {
			t.Errorf("%s: the saved cache holds the body; loads read bodies from the files", name)
		}
	}
	second, err := Load(fsys, Options{Cache: restored})
	if err != nil {
		t.Fatal(err)
	}
	if n := restored.Changed(); n != 2 { // the _index.md files are not saved, only articles
		t.Errorf("Changed() = %d after a restored load, want 2", n)
	}
	a, b := first.Collection("http").Articles[1], second.Collection("http").Articles[1]
	// The file kept its size and time: its body is read only when asked for.
	if b.Body != nil {
		t.Errorf("restored article read its body before ReadBody: %q", b.Body)
	}
	if err := b.ReadBody(); err != nil {
		t.Fatal(err)
	}
	if a.Name != b.Name || a.Digest != b.Digest || string(a.Body) != string(b.Body) || len(b.Causes) != 1 || b.Related[0].Code != "404" {
		t.Errorf("restored article differs:\n%+v\n%+v", a, b)
	}
	if _, err := ReadCache(strings.NewReader("not a cache")); err == nil {
		t.Error("ReadCache accepted garbage")
	}
}

func TestCacheWatched(t *testing.T) {
	fsys := fstest.MapFS{
		"content/_index.md":      {Data: []byte(siteIndex)},
		"content/http/_index.md": {Data: []byte(httpIndex)},
		"content/http/404.md":    {Data: []byte(otherArticle)},
		"content/http/502.md":    {Data: []byte(validArticle)},
	}
	cache := NewCache(true)
	if _, err := Load(fsys, Options{Cache: cache}); err != nil {
		t.Fatal(err)
	}
	name := func(s *Site) string { return s.Collection("http").Articles[1].Name }
	fsys["content/http/502.md"] = &fstest.MapFile{Data: []byte(strings.Replace(validArticle, "Bad Gateway", "Changed", 1))}

	// Not named as changed: the watched cache does not look.
	cache.Watched([]string{"content/http/404.md"})
	site, err := Load(fsys, Options{Cache: cache})
	if err != nil || name(site) != "Bad Gateway" {
		t.Errorf("unnamed file reread: %v %q", err, name(site))
	}
	// Named: read again. And Watched holds for one load only.
	cache.Watched([]string{"content/http/502.md"})
	if site, err = Load(fsys, Options{Cache: cache}); err != nil || name(site) != "Changed" {
		t.Errorf("named file not reread: %v %q", err, name(site))
	}
	fsys["content/http/502.md"] = &fstest.MapFile{Data: []byte(validArticle)}
	if site, err = Load(fsys, Options{Cache: cache}); err != nil || name(site) != "Bad Gateway" {
		t.Errorf("load after a watched one did not check the file: %v %q", err, name(site))
	}
}

// TestCacheStale changes an article's bytes but not its size or time after
// a saved cache saw it: the load trusts the cache, and ReadBody finds out.
func TestCacheStale(t *testing.T) {
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	fsys := fstest.MapFS{
		"content/_index.md":      {Data: []byte(siteIndex), ModTime: when},
		"content/http/_index.md": {Data: []byte(httpIndex), ModTime: when},
		"content/http/404.md":    {Data: []byte(otherArticle), ModTime: when},
		"content/http/502.md":    {Data: []byte(validArticle), ModTime: when},
	}
	cache := NewCache(false)
	if _, err := Load(fsys, Options{Cache: cache}); err != nil {
		t.Fatal(err)
	}
	restored := saveAndRead(t, cache)
	fsys["content/http/502.md"].Data = []byte(strings.Replace(validArticle, "Body.", "Bod!.", 1))
	site, err := Load(fsys, Options{Cache: restored})
	if err != nil {
		t.Fatal(err)
	}
	if err := site.Collection("http").Articles[1].ReadBody(); !errors.Is(err, ErrStale) {
		t.Errorf("ReadBody of a file changed behind the cache: %v, want ErrStale", err)
	}
	fsys["content/http/502.md"].ModTime = when.Add(time.Second)
	site, err = Load(fsys, Options{Cache: restored})
	if err != nil {
		t.Fatal(err)
	}
	if a := site.Collection("http").Articles[1]; a.ReadBody() != nil || string(a.Body) != "Bod!.\n" {
		t.Errorf("after a new time, body %q", a.Body)
	}
}
