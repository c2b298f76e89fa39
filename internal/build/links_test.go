package build

import (
	"errors"
	"fmt"
	stdhtml "html"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/errwiki/errwiki/internal/content"
	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/html"
)

// pageLinks lists the href and src values and the ids of one HTML page.
func pageLinks(t *testing.T, data []byte) (links []string, ids map[string]bool) {
	t.Helper()
	ids = map[string]bool{}
	l := html.NewLexer(parse.NewInputBytes(data))
	for {
		tt, _ := l.Next()
		switch tt {
		case html.ErrorToken:
			if l.Err() != io.EOF {
				t.Fatal(l.Err())
			}
			return links, ids
		case html.AttributeToken:
			val := stdhtml.UnescapeString(strings.Trim(string(l.AttrVal()), `"'`))
			switch string(l.AttrKey()) {
			case "href", "src":
				links = append(links, val)
			case "id":
				ids[val] = true
			}
		}
	}
}

// TestLinksResolve builds the shipped wiki under a sub-path and follows
// every link: each internal href and src must name a file of the output,
// and each #fragment an id on the target page.
func TestLinksResolve(t *testing.T) {
	const base = "https://example.github.io/wiki/"
	src := DirSource("../..")
	site, r, err := Load(src, content.Options{BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	var out Memory
	if _, err := Generate(site, r, src.Static, &out); err != nil {
		t.Fatal(err)
	}
	ids := map[string]map[string]bool{}
	links := map[string][]string{}
	for _, name := range out.Names() {
		if path.Ext(name) == ".html" {
			data, _ := out.File(name)
			links[name], ids[name] = pageLinks(t, data)
		}
	}
	checked := 0
	for page, hrefs := range links {
		for _, href := range hrefs {
			u, err := url.Parse(href)
			if err != nil {
				t.Errorf("%s: bad link %q: %v", page, href, err)
				continue
			}
			if u.Scheme != "" || u.Host != "" {
				if !strings.HasPrefix(href, base) {
					continue // external
				}
				u.Scheme, u.Host = "", "" // canonical and og:url: check them too
			}
			target := page
			if u.Path != "" {
				if !strings.HasPrefix(u.Path, "/wiki/") {
					t.Errorf("%s: link %q is outside the base path /wiki/", page, href)
					continue
				}
				target = strings.TrimPrefix(u.Path, "/wiki/")
				if target == "" || strings.HasSuffix(target, "/") {
					target += "index.html"
				}
			}
			if _, ok := out.File(target); !ok {
				t.Errorf("%s: link %q: no file %s", page, href, target)
				continue
			}
			if u.Fragment != "" && !ids[target][u.Fragment] {
				t.Errorf("%s: link %q: no id %q in %s", page, href, u.Fragment, target)
			}
			checked++
		}
	}
	if checked < 1000 {
		t.Errorf("only %d links checked; the shipped wiki has more", checked)
	}
}

// TestFailedBuildKeepsOutput builds into a directory, then builds again from
// broken content: the second build must fail and leave every file as it was.
// A third, unchanged build must link every file instead of writing it.
func TestFailedBuildKeepsOutput(t *testing.T) {
	dir := t.TempDir()
	srcDir, out := dir+"/site", dir+"/public"
	writeSite(t, srcDir, "causes: [Backend down]")
	if _, err := Site(Options{Src: srcDir, Out: out}); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, out)

	writeSite(t, srcDir, "causes: []")
	_, err := Site(Options{Src: srcDir, Out: out})
	if err == nil || !strings.Contains(err.Error(), "content/http/502.md:7: causes: at least one cause is required") {
		t.Fatalf("err = %v; want the causes error", err)
	}
	if after := snapshot(t, out); after != before {
		t.Errorf("output changed by a failed build:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 4 { // site, public, .public.errwiki-cache, .public.errwiki-details-*
		t.Errorf("temporary directories left beside the output: %v", entries)
	}

	writeSite(t, srcDir, "causes: [Backend down]")
	stats, err := Site(Options{Src: srcDir, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Written != 0 || stats.Reused != stats.Files {
		t.Errorf("unchanged rebuild: %+v; want every file reused", stats)
	}
	if after := snapshot(t, out); after != before {
		t.Errorf("unchanged rebuild changed the output:\nbefore:\n%s\nafter:\n%s", before, after)
	}

	writeSite(t, srcDir, "causes: [Backend down, Proxy misconfigured]")
	stats, err = Site(Options{Src: srcDir, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	// Causes are searched: the search index's term file changes, and its
	// meta file, which names the version of the index.
	if stats.Written != 4 {
		t.Errorf("one article's causes changed: %+v; want 4 files written, its page, its JSON and two of the search index", stats)
	}
}

func TestRefusesForeignOutput(t *testing.T) {
	dir := t.TempDir()
	writeSite(t, dir+"/site", "causes: [Backend down]")
	if err := os.WriteFile(dir+"/precious.txt", []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{dir, dir + "/site"} {
		if _, err := Site(Options{Src: dir + "/site", Out: out}); err == nil {
			t.Errorf("build into %s succeeded; want a refusal", out)
		}
	}
	if data, _ := os.ReadFile(dir + "/precious.txt"); string(data) != "keep me" {
		t.Errorf("foreign file changed")
	}
}

func writeSite(t *testing.T, dir, causes string) {
	t.Helper()
	files := map[string]string{
		"content/_index.md": "---\ntitle: T\ndescription: D\nbase_url: https://example.com/\n---\n",
		"content/http/_index.md": "---\ntitle: HTTP\nname: HTTP\ndescription: D\ncategories:\n" +
			"  - {key: 5xx, name: 5xx Server Error}\n---\n",
		"content/http/502.md": "---\ncode: \"502\"\nname: Bad Gateway\ncategory: 5xx\nsummary: Bad answer.\nquick_answer: {question: Why, answer: Crash}\n" +
			causes + "\nsteps: [Restart]\n---\n",
	}
	for name, data := range files {
		if err := os.MkdirAll(path.Dir(dir+"/"+name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dir+"/"+name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// snapshot describes every file under dir: name, inode, modification time
// and content, so that a rewrite with the same bytes shows too.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := fs.WalkDir(os.DirFS(dir), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s inode=%d mtime=%v %q\n", name, fi.Sys().(*syscall.Stat_t).Ino, fi.ModTime().UnixNano(), data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// article504 is an article for the site of writeSite, which 502 may relate to.
const article504 = "---\ncode: \"504\"\nname: Gateway Timeout\ncategory: 5xx\nsummary: Too slow.\n" +
	"quick_answer: {question: Why, answer: Slow}\ncauses: [Slow]\nsteps: [Wait]\n---\n"

// TestIncrementalBuild changes the site between builds into the same
// output: added and removed articles appear and disappear, and a problem
// in an unchanged, cached article is still reported at its line.
func TestIncrementalBuild(t *testing.T) {
	dir := t.TempDir()
	srcDir, out := dir+"/site", dir+"/public"
	writeSite(t, srcDir, "causes: [Backend down]\nrelated: [\"504\"]")
	write := func(name, data string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(srcDir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("content/http/504.md", article504)
	if _, err := Site(Options{Src: srcDir, Out: out}); err != nil {
		t.Fatal(err)
	}

	// 502 is cached and unchanged; removing 504 breaks its related link.
	if err := os.Remove(filepath.Join(srcDir, "content/http/504.md")); err != nil {
		t.Fatal(err)
	}
	_, err := Site(Options{Src: srcDir, Out: out})
	if err == nil || err.Error() != `content/http/502.md:8: related[0]: no article with code "504" in collection "http"` {
		t.Fatalf("err = %v", err)
	}

	writeSite(t, srcDir, "causes: [Backend down]")
	stats, err := Site(Options{Src: srcDir, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{"http/504/index.html", "http/504.json", "http/504"} {
		if _, err := os.Stat(filepath.Join(out, gone)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s still in the output (%v)", gone, err)
		}
	}
	if stats.Written == 0 || stats.Written > 10 {
		t.Errorf("removing an article: %+v; want a handful of files written", stats)
	}

	write("content/http/504.md", article504)
	if _, err := Site(Options{Src: srcDir, Out: out}); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(out, "http/504/index.html"))
	if err != nil || !strings.Contains(string(page), "Gateway Timeout") {
		t.Errorf("added article missing: %v", err)
	}
	index, _ := os.ReadFile(filepath.Join(out, "http/index.html"))
	if !strings.Contains(string(index), "/http/504/") {
		t.Errorf("collection index does not list the added article")
	}
}

// TestIncrementalIntro edits the introduction of a collection: only its
// index shows it, so no article page is rendered again.
func TestIncrementalIntro(t *testing.T) {
	dir := t.TempDir()
	srcDir, out := dir+"/site", dir+"/public"
	writeSite(t, srcDir, "causes: [Backend down]")
	if _, err := Site(Options{Src: srcDir, Out: out}); err != nil {
		t.Fatal(err)
	}
	index := filepath.Join(srcDir, "content/http/_index.md")
	data, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(index, append(data, "A new introduction.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	stats, err := Site(Options{Src: srcDir, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Written != 1 || stats.Rendered >= stats.Files-1 {
		t.Errorf("collection intro changed: %+v; want 1 file written, the collection index, and the article not rendered", stats)
	}
	page, _ := os.ReadFile(filepath.Join(out, "http/index.html"))
	if !strings.Contains(string(page), "A new introduction.") {
		t.Errorf("collection index does not show the new introduction")
	}
}

// TestIncrementalKeys checks what a rebuild makes again: after an edit of
// an article's body, its page alone (and the static files, always made);
// after an edit of its front matter, also its JSON, the pages that show it
// (a related article's, the collection index, the home page) and the
// search index, feed and sitemap.
func TestIncrementalKeys(t *testing.T) {
	dir := t.TempDir()
	srcDir, out := dir+"/site", dir+"/public"
	writeSite(t, srcDir, "causes: [Backend down]\nrelated: [\"504\"]")
	write := func(data string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(srcDir, "content/http/504.md"), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	build := func() Stats {
		t.Helper()
		stats, err := Site(Options{Src: srcDir, Out: out})
		if err != nil {
			t.Fatal(err)
		}
		return stats
	}
	write(article504)
	build()
	always := build().Rendered // nothing changed: the static files only

	write(article504 + "A body at last.\n")
	if got := build().Rendered - always; got != 1 {
		t.Errorf("after a body edit, %d files made again besides the static files; want 1, the page", got)
	}
	page, _ := os.ReadFile(filepath.Join(out, "http/504/index.html"))
	if !strings.Contains(string(page), "A body at last.") {
		t.Error("the page lacks the new body")
	}

	write(strings.Replace(article504, "Too slow.", "Far too slow.", 1) + "A body at last.\n")
	// The page and JSON of 504, the page of 502, which shows it as
	// related, the collection's index and JSON, and the search index's
	// three files (meta, terms, documents): the files whose data holds
	// the summary. (The feed lists only articles with a date; the home
	// page, the sitemap and 502's JSON show no summary.)
	if got := build().Rendered - always; got != 8 {
		t.Errorf("after a summary edit, %d files made again besides the static files; want 8", got)
	}
	for _, name := range []string{"http/502/index.html", "http/504/index.html", "http/504.json", "http/index.html", "http/index.json", "_search/d0.json"} {
		data, _ := os.ReadFile(filepath.Join(out, name))
		if !strings.Contains(string(data), "Far too slow.") {
			t.Errorf("%s lacks the new summary", name)
		}
	}

	// A template of the site's own, over the default footer: every page.
	footer := filepath.Join(srcDir, "templates/partials/footer.html")
	if err := os.MkdirAll(filepath.Dir(footer), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(footer, []byte(`{{define "footer"}}<footer>Our own footer</footer>{{end}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if stats := build(); stats.Rendered != stats.Files {
		t.Errorf("after a template edit: %+v; want every file made again", stats)
	}
	page, _ = os.ReadFile(filepath.Join(out, "http/502/index.html"))
	if !strings.Contains(string(page), "Our own footer") {
		t.Error("the page lacks the site's footer")
	}
	if got := build().Rendered; got != always {
		t.Errorf("the build after a template edit made %d files again, want %d", got, always)
	}
}

// TestStaleCache changes an article's body behind the build cache, keeping
// the file's size and time, and then its related article's summary, so
// that its page is made again: the build finds the bytes changed and builds
// again without the cache, with the new body.
func TestStaleCache(t *testing.T) {
	dir := t.TempDir()
	srcDir, out := dir+"/site", dir+"/public"
	writeSite(t, srcDir, "causes: [Backend down]\nrelated: [\"504\"]")
	file502, file504 := filepath.Join(srcDir, "content/http/502.md"), filepath.Join(srcDir, "content/http/504.md")
	if err := os.WriteFile(file504, []byte(article504), 0o644); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := Site(Options{Src: srcDir, Out: out}); err != nil {
			t.Fatal(err)
		}
	}
	data, _ := os.ReadFile(file502)
	data = append(data, "Old body.\n"...)
	if err := os.WriteFile(file502, data, 0o644); err != nil {
		t.Fatal(err)
	}
	// A time well before the build's read, so that the cache trusts it.
	hourAgo := time.Now().Add(-time.Hour)
	if err := os.Chtimes(file502, hourAgo, hourAgo); err != nil {
		t.Fatal(err)
	}
	if _, err := Site(Options{Src: srcDir, Out: out}); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(file502)
	if err != nil {
		t.Fatal(err)
	}
	same := []byte(strings.Replace(string(data), "Old body.", "New body.", 1))
	if err := os.WriteFile(file502, same, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(file502, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file504, []byte(strings.Replace(article504, "Too slow.", "Far too slow.", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	stats, err := Site(Options{Src: srcDir, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(filepath.Join(out, "http/502/index.html"))
	if !strings.Contains(string(page), "New body.") || !strings.Contains(string(page), "Far too slow.") {
		t.Errorf("page after a stale cache lacks the new body or summary")
	}
	if stats.Rendered != stats.Files {
		t.Errorf("%+v: want a full build once the cache proved stale", stats)
	}
}
