package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/errwiki/errwiki/internal/content"
)

// TestBuildRefuses is a table of inputs a build must refuse with a clear
// error before it changes anything: the output it would replace is not
// ours, or two of its files would land on the same path.
func TestBuildRefuses(t *testing.T) {
	article := func(code, slug string) string {
		return "---\ncode: \"" + code + "\"\nslug: \"" + slug + "\"\nname: N\ncategory: 5xx\nsummary: S.\ncauses: [C]\nsteps: [S]\nquick_answer: {question: Q, answer: A}\n---\n"
	}
	for _, tc := range []struct {
		name  string
		files map[string]string // added to the site of writeSite
		out   string            // relative to the test's directory
		want  string
	}{
		{"output is a content file", nil, "site/content/http/502.md",
			"is inside the site's content/ directory"},
		{"output is a file", map[string]string{"../notes.txt": "mine\n"}, "notes.txt",
			"exists and is not a directory"},
		{"output inside templates", nil, "site/templates/out",
			"is inside the site's templates/ directory"},
		{"collection named like a site file", map[string]string{
			"content/feed.xml/_index.md": "---\ntitle: F\nname: F\ndescription: D\ncategories: [{key: 5xx, name: S}]\n---\n",
			"content/feed.xml/1.md":      article("1", "1")}, "public",
			"content/feed.xml/_index.md: its output feed.xml/index.html needs a directory feed.xml, which is a file of the site"},
		{"slug on another article's JSON", map[string]string{"content/http/x.md": article("503", "502.json")}, "public",
			"content/http/x.md: its output http/502.json/index.html needs a directory http/502.json, which is a file of content/http/502.md"},
		{"template that fails on a page", map[string]string{"templates/article.html": `{{define "main"}}{{.Article.Nope}}{{end}}`}, "public",
			"templates/article.html:1:27: executing \"main\" at <.Article.Nope>: can't evaluate field Nope"},
		{"slug too long", map[string]string{"content/http/x.md": article("503", strings.Repeat("a", 300))}, "public",
			"content/http/x.md: its output name aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa… is longer than the 255 bytes a file system takes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			srcDir := filepath.Join(dir, "site")
			writeSite(t, srcDir, "causes: [Backend down]")
			for name, data := range tc.files {
				p := filepath.Join(srcDir, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			out := filepath.Join(dir, tc.out)
			// A previous output, when the case builds into one.
			if tc.out == "public" {
				writeSite(t, filepath.Join(dir, "prev"), "causes: [Backend down]")
				if _, err := Site(Options{Src: filepath.Join(dir, "prev"), Out: out}); err != nil {
					t.Fatal(err)
				}
			}
			srcBefore, outBefore := snapshot(t, srcDir), ""
			if fi, err := os.Stat(out); err == nil && fi.IsDir() {
				outBefore = snapshot(t, out)
			}
			_, err := Site(Options{Src: srcDir, Out: out})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if snapshot(t, srcDir) != srcBefore {
				t.Error("the source changed")
			}
			if outBefore != "" && snapshot(t, out) != outBefore {
				t.Error("the previous output changed")
			}
			if tc.out == "public" {
				// errwiki check finds what the build refused, without building.
				src := DirSource(srcDir)
				site, err := content.Load(src.Content, content.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if err := Check(src, site); err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("Check: %v, want an error containing %q", err, tc.want)
				}
			}
		})
	}
}

// TestCacheIsNotTrustedBlindly checks that a build cache with a flipped
// byte, or written by another program, is not used: the build is cold.
func TestCacheIsNotTrustedBlindly(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spoil func(t *testing.T, cache string)
	}{
		{"flipped byte", func(t *testing.T, cache string) {
			data, err := os.ReadFile(cache)
			if err != nil {
				t.Fatal(err)
			}
			data[len(data)/2] ^= 1
			if err := os.WriteFile(cache, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"another program", func(t *testing.T, cache string) {
			out := strings.TrimSuffix(filepath.Join(filepath.Dir(cache), strings.TrimPrefix(filepath.Base(cache), ".")), ".errwiki-cache")
			bc := readBuildCache(out)
			if bc == nil {
				t.Fatal("no cache")
			}
			bc.Program.Digest[0] ^= 1
			if err := bc.encode(out, nil); err != nil {
				t.Fatal(err)
			}
			if err := bc.commit(out); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			srcDir, out := filepath.Join(dir, "site"), filepath.Join(dir, "public")
			writeSite(t, srcDir, "causes: [Backend down]")
			if _, err := Site(Options{Src: srcDir, Out: out}); err != nil {
				t.Fatal(err)
			}
			if readBuildCache(out) == nil {
				t.Fatal("the build left no cache it can read")
			}
			tc.spoil(t, cachePath(out))
			stats, err := Site(Options{Src: srcDir, Out: out})
			if err != nil {
				t.Fatal(err)
			}
			if stats.Rendered != stats.Files {
				t.Errorf("%+v: want a cold build", stats)
			}
		})
	}
}
