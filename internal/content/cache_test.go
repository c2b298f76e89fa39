package content

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/errwiki/errwiki/internal/wire"
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

// Save appending to the details file a cache was read from keeps the
// records there and writes only the new ones after them.
func TestCacheSaveAppends(t *testing.T) {
	fsys := twoArticles(time.Unix(1, 0))
	cache := NewCache(false)
	if _, err := Load(fsys, Options{Cache: cache}); err != nil {
		t.Fatal(err)
	}
	data, details := save(t, cache)
	read := func(data []byte) *Cache {
		t.Helper()
		c := readSaved(t, data, details.Name())
		if err := c.Lean(t.TempDir()); err != nil {
			t.Fatal(err)
		}
		return c
	}
	restored := read(data)
	edited := strings.Replace(validArticle, "Backend down", "Backend gone", 1)
	if edited == validArticle {
		t.Fatal("the edit changed nothing")
	}
	fsys["content/http/502.md"] = &fstest.MapFile{Data: []byte(edited), ModTime: time.Unix(2, 0)}
	if _, err := Load(fsys, Options{Cache: restored}); err != nil {
		t.Fatal(err)
	}
	kept := restored.entries["content/http/404.md"].rec
	fi, err := os.Stat(details.Name())
	if err != nil {
		t.Fatal(err)
	}
	if live := restored.SavedBytes(); live != int64(kept.n) {
		t.Errorf("SavedBytes = %d, want %d: 404's record alone", live, kept.n)
	}
	f, err := os.OpenFile(details.Name(), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	var saved bytes.Buffer
	w := wire.NewWriter(&saved)
	if err := errors.Join(restored.Save(w, f, fi.Size()), w.Flush(), f.Close()); err != nil {
		t.Fatal(err)
	}
	again := read(saved.Bytes())
	if got := again.entries["content/http/404.md"].rec; got != kept {
		t.Errorf("404's record moved: %+v, was %+v", got, kept)
	}
	if got := again.entries["content/http/502.md"].rec; got.off != fi.Size() {
		t.Errorf("502's record at %d, want it after the old records, at %d", got.off, fi.Size())
	}
	// Without the articles' files, the details come from the records alone.
	site, err := Load(fsys, Options{Cache: again})
	if err != nil {
		t.Fatal(err)
	}
	whole, err := Load(fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	clear(fsys)
	for i, a := range site.Collection("http").Articles {
		got, err := again.Detailed(a)
		if want := whole.Collection("http").Articles[i].Detail; err != nil || !reflect.DeepEqual(got.Detail, want) {
			t.Errorf("%s: details %+v, %v; want %+v", a.File, got, err, want)
		}
	}
}

// Lines parses again, with their lines, the files named, and no other.
func TestCacheLines(t *testing.T) {
	fsys := twoArticles(time.Unix(1, 0))
	fsys["content/http/410.md"] = &fstest.MapFile{Data: []byte(strings.Replace(otherArticle, `"404"`, `"410"`, 1)), ModTime: time.Unix(1, 0)}
	cache := NewCache(false)
	if err := cache.Lean(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	defer cache.Close()
	if _, err := Load(fsys, Options{Cache: cache}); err != nil {
		t.Fatal(err)
	}
	delete(fsys, "content/http/404.md")
	_, err := Load(fsys, Options{Cache: cache})
	want := `content/http/502.md:13: related[0]: no article with code "404" in collection "http"`
	if err == nil || err.Error() == want || !strings.Contains(err.Error(), "related[0]") {
		t.Fatalf("err = %v; want the problem without its line, from a cache without lines", err)
	}
	other := cache.entries["content/http/410.md"]
	cache.Lines([]string{"content/http/502.md"})
	if _, err := Load(fsys, Options{Cache: cache}); err == nil || err.Error() != want {
		t.Errorf("err = %v; want %s", err, want)
	}
	if cache.entries["content/http/410.md"] != other {
		t.Error("a file not named was parsed again")
	}
}

// twoArticles is a site of two articles, 502 related to 404, whose files
// all have the time mod.
func twoArticles(mod time.Time) fstest.MapFS {
	return fstest.MapFS{
		"content/_index.md":      {Data: []byte(siteIndex), ModTime: mod},
		"content/http/_index.md": {Data: []byte(httpIndex), ModTime: mod},
		"content/http/404.md":    {Data: []byte(otherArticle), ModTime: mod},
		"content/http/502.md":    {Data: []byte(validArticle), ModTime: mod},
	}
}

// save returns the saved form of cache, with the file of its details.
func save(tb testing.TB, cache *Cache) ([]byte, *os.File) {
	tb.Helper()
	details, err := os.CreateTemp(tb.TempDir(), "details")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { details.Close() })
	var saved bytes.Buffer
	w := wire.NewWriter(&saved)
	dw := bufio.NewWriter(details)
	if err := cache.Save(w, dw, -1); err != nil {
		tb.Fatal(err)
	}
	if err := errors.Join(w.Flush(), dw.Flush()); err != nil {
		tb.Fatal(err)
	}
	return saved.Bytes(), details
}

// saveAndRead saves cache and reads it back, as a build leaves it for the next.
func saveAndRead(t *testing.T, cache *Cache) *Cache {
	t.Helper()
	data, details := save(t, cache)
	r := wire.NewReader(data)
	restored, err := ReadCache(r, details)
	if err == nil {
		err = r.End()
	}
	if err != nil {
		t.Fatal(err)
	}
	return restored
}

func TestCacheSaveRead(t *testing.T) {
	fsys := twoArticles(time.Time{})
	cache := NewCache(true)
	first, err := Load(fsys, Options{Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	restored := saveAndRead(t, cache)
	for name, e := range restored.entries {
		if e.article.Body != nil {
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
	// The file kept its size and time: it is read again only when asked for.
	if b.Body != nil || b.Detail != nil {
		t.Errorf("restored article read its file before Full: %q %v", b.Body, b.Detail)
	}
	if b, err = restored.Full(b); err != nil {
		t.Fatal(err)
	}
	if a.Name != b.Name || a.Digest != b.Digest || string(a.Body) != string(b.Body) || len(b.Causes) != 1 || b.Related[0].Code != "404" {
		t.Errorf("restored article differs:\n%+v\n%+v", a, b)
	}
	if _, err := ReadCache(wire.NewReader([]byte("not a cache")), nil); err == nil {
		t.Error("ReadCache accepted garbage")
	}
}

// readSaved reads back a cache saved as data, its details in the file
// named details, and closes it when the test ends.
func readSaved(t *testing.T, data []byte, details string) *Cache {
	t.Helper()
	f, err := os.Open(details)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ReadCache(wire.NewReader(data), f)
	if err != nil {
		f.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// A restored article's details come from the details saved with the
// cache, without its file; a damaged record is parsed again from the file.
func TestCacheSavedDetails(t *testing.T) {
	fsys := twoArticles(time.Time{})
	cache := NewCache(false)
	first, err := Load(fsys, Options{Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	data, details := save(t, cache)
	read := func() (*Cache, *Article) {
		t.Helper()
		restored := readSaved(t, data, details.Name())
		site, err := Load(fsys, Options{Cache: restored})
		if err != nil {
			t.Fatal(err)
		}
		return restored, site.Collection("http").Articles[1]
	}
	want := first.Collection("http").Articles[1].Detail
	restored, a := read()
	file := fsys[a.File]
	delete(fsys, a.File)
	got, err := restored.Detailed(a)
	if err != nil || !reflect.DeepEqual(got.Detail, want) {
		t.Errorf("Detailed without the file = %+v, %v; want %+v", got, err, want)
	}
	if _, err := restored.Full(a); err == nil {
		t.Error("Full read a body without the file")
	}

	// Every byte of the details flipped in turn: the article's details
	// are those of its file, or an error when the file is gone.
	saved, err := os.ReadFile(details.Name())
	if err != nil {
		t.Fatal(err)
	}
	for i := range saved {
		damaged := bytes.Clone(saved)
		damaged[i] ^= 0x20
		if err := os.WriteFile(details.Name(), damaged, 0o644); err != nil {
			t.Fatal(err)
		}
		fsys[a.File] = file
		restored, a := read()
		delete(fsys, a.File)
		if got, err := restored.Detailed(a); err == nil && !reflect.DeepEqual(got.Detail, want) {
			t.Fatalf("byte %d flipped, no file: details %+v", i, got.Detail)
		}
		fsys[a.File] = file
		if got, err := restored.Detailed(a); err != nil || !reflect.DeepEqual(got.Detail, want) {
			t.Fatalf("byte %d flipped: Detailed = %+v, %v; want %+v", i, got, err, want)
		}
	}
}

// TestCacheEntryFields saves an entry whose article has every field set,
// so that a field added to Article but not to the saved form fails here.
func TestCacheEntryFields(t *testing.T) {
	// Set when a load links the article; never saved.
	linked := map[string]bool{"Body": true, "Collection": true, "Category": true, "Related": true, "Prev": true, "Next": true}
	a := &Article{}
	n := 0
	var fill func(v reflect.Value, name string)
	fill = func(v reflect.Value, name string) {
		n++
		switch {
		case v.Type() == reflect.TypeFor[Date]():
			v.Set(reflect.ValueOf(Date{time.Date(2000+n, 1, 2, 0, 0, 0, 0, time.UTC)}))
		case v.Kind() == reflect.String:
			v.SetString(fmt.Sprint(name, n))
		case v.Kind() == reflect.Bool:
			v.SetBool(true)
		case v.Kind() == reflect.Array && v.Type().Elem().Kind() == reflect.Uint8:
			for i := range v.Len() {
				v.Index(i).SetUint(uint64(n + i))
			}
		case v.Kind() == reflect.Slice:
			v.Set(reflect.MakeSlice(v.Type(), 2, 2))
			fill(v.Index(0), name)
			fill(v.Index(1), name)
		case v.Kind() == reflect.Pointer:
			v.Set(reflect.New(v.Type().Elem()))
			fill(v.Elem(), name)
		case v.Kind() == reflect.Struct:
			for i := range v.NumField() {
				if f := v.Type().Field(i); f.IsExported() && !linked[f.Name] {
					fill(v.Field(i), name+"."+f.Name)
				}
			}
		default:
			t.Fatalf("%s: no value for a %s; teach this test and the saved form the type", name, v.Type())
		}
	}
	fill(reflect.ValueOf(a).Elem(), "Article")
	want := &cacheEntry{digest: Digest{1, 2}, bodyAt: 42, article: a, size: 1234, mod: time.Unix(1700000000, 5).UnixNano()}
	c := NewCache(false)
	c.entries["content/http/502.md"] = want
	got := saveAndRead(t, c).entries["content/http/502.md"]
	if got == nil {
		t.Fatal("entry not read back")
	}
	// The saved form has what other pages show; a store keeps the rest.
	lean := *a
	lean.Detail = nil
	if !reflect.DeepEqual(got.article, &lean) {
		t.Errorf("article read back as\n%+v\nwant\n%+v", got.article, &lean)
	}
	if got.digest != want.digest || got.bodyAt != want.bodyAt || got.size != want.size || got.mod != want.mod || !got.lean {
		t.Errorf("entry read back as %+v, want %+v", got, want)
	}
	whole := storeAndRead(t, got.article, a)
	if !reflect.DeepEqual(whole, a) {
		t.Errorf("article with its details read back as\n%+v\nwant\n%+v", whole, a)
	}
	// An entry with an empty list keeps it apart from none.
	a.Details, a.Aliases, a.RelatedRefs = []string{}, nil, []string{}
	got = saveAndRead(t, c).entries["content/http/502.md"]
	whole = storeAndRead(t, got.article, a)
	if whole.Details == nil || whole.Aliases != nil || whole.RelatedRefs == nil {
		t.Errorf("empty and nil lists read back as %#v, %#v and %#v", whole.Details, whole.Aliases, whole.RelatedRefs)
	}
}

// storeAndRead keeps the details of a in a store, and returns lean with
// the details read back.
func storeAndRead(t *testing.T, lean, a *Article) *Article {
	t.Helper()
	s, err := newStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	rec, err := s.put(a, []byte("Body.\n"))
	if err != nil {
		t.Fatal(err)
	}
	whole := *lean
	var body []byte
	if whole.Detail, body, err = s.get(rec, true); err != nil || string(body) != "Body.\n" {
		t.Fatalf("get = %q, %v; want the body kept", body, err)
	}
	return &whole
}

// FuzzReadCache reads arbitrary bytes as a saved cache: they must give a
// cache or an error, never a panic.
func FuzzReadCache(f *testing.F) {
	fsys := twoArticles(time.Time{})
	cache := NewCache(false)
	if _, err := Load(fsys, Options{Cache: cache}); err != nil {
		f.Fatal(err)
	}
	data, _ := save(f, cache)
	f.Add(data)
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ReadCache(wire.NewReader(data), nil)
		if err == nil && c == nil {
			t.Fatal("no cache and no error")
		}
	})
}

func TestCacheWatched(t *testing.T) {
	fsys := twoArticles(time.Time{})
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
// a saved cache saw it: the load trusts the cache, and Full finds out.
func TestCacheStale(t *testing.T) {
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	fsys := twoArticles(when)
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
	if _, err := restored.Full(site.Collection("http").Articles[1]); !errors.Is(err, ErrStale) {
		t.Errorf("Full of a file changed behind the cache: %v, want ErrStale", err)
	}
	fsys["content/http/502.md"].ModTime = when.Add(time.Second)
	site, err = Load(fsys, Options{Cache: restored})
	if err != nil {
		t.Fatal(err)
	}
	if a, err := restored.Full(site.Collection("http").Articles[1]); err != nil || string(a.Body) != "Bod!.\n" {
		t.Errorf("after a new time, body %q, %v", a.Body, err)
	}
}

// TestCacheRacy checks that a file changed within the racy window of its
// last read is read again though it keeps its size and time, as git does
// with racily clean entries: two saves within one tick of the file
// system's clock keep the time.
func TestCacheRacy(t *testing.T) {
	now := time.Now()
	for _, restore := range []bool{false, true} {
		fsys := twoArticles(now)
		cache := NewCache(false)
		if _, err := Load(fsys, Options{Cache: cache}); err != nil {
			t.Fatal(err)
		}
		if restore {
			cache = saveAndRead(t, cache)
		}
		fsys["content/http/502.md"].Data = []byte(strings.Replace(validArticle, "Backend down", "Backend d0wn", 1))
		site, err := Load(fsys, Options{Cache: cache})
		if err != nil {
			t.Fatal(err)
		}
		if got := site.Collection("http").Articles[1].Causes[0]; got != "Backend d0wn" {
			t.Errorf("restored %v: a change within the racy window was missed: cause %q", restore, got)
		}
	}
}

// TestPackText checks that packing a lean article's strings keeps every
// one of them, the empty ones too.
func TestPackText(t *testing.T) {
	for _, a := range []Article{
		{},
		{Code: "502", Slug: "502", Name: "Bad Gateway", Tagline: "", Summary: "The proxy got a bad answer.", RelatedRefs: []string{"500", "", "smtp/550"}},
		{Name: "é", Summary: "ß"},
	} {
		want := a
		want.RelatedRefs = slices.Clone(a.RelatedRefs)
		a.packText()
		if !reflect.DeepEqual(a, want) {
			t.Errorf("packed %+v, want %+v", a, want)
		}
	}
}

// TestSlab checks that a slab hands out a copy in a new place each time,
// across the end of one array and into the next.
func TestSlab(t *testing.T) {
	var s slab
	seen := map[*cacheEntry]bool{}
	for i := range 2*slabSize + 1 {
		a := s.article(&Article{Code: strconv.Itoa(i)})
		e := s.entry(&cacheEntry{bodyAt: i, article: a})
		if seen[e] || e.bodyAt != i || e.article.Code != strconv.Itoa(i) {
			t.Fatalf("entry %d: %p %+v", i, e, e)
		}
		seen[e] = true
	}
	for e := range seen {
		if e.article.Code != strconv.Itoa(e.bodyAt) {
			t.Errorf("entry %d now holds article %s", e.bodyAt, e.article.Code)
		}
	}
}
