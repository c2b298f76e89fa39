package render

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/errwiki/errwiki/internal/content"
	"github.com/errwiki/errwiki/templates"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

func loadTestSite(t *testing.T) (*content.Site, *Renderer) {
	t.Helper()
	site, err := content.Load(os.DirFS("testdata/site"), content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(templates.FS, nil)
	if err != nil {
		t.Fatal(err)
	}
	return site, r
}

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test ./internal/render -update and review the diff\n--- got ---\n%s", name, got)
	}
}

func TestGolden(t *testing.T) {
	site, r := loadTestSite(t)
	http := site.Collection("http")
	a418, a499, a502 := http.Articles[0], http.Articles[1], http.Articles[2]
	if a418.Code != "418" || a499.Code != "499" || a502.Code != "502" {
		t.Fatalf("articles out of order: %s, %s, %s", a418.Code, a499.Code, a502.Code)
	}
	for _, tc := range []struct {
		name   string
		render func(*bytes.Buffer) error
	}{
		{"home.html", func(b *bytes.Buffer) error { return r.Render(b, NewHome(NewSite(site), site)) }},
		{"collection.html", func(b *bytes.Buffer) error { return r.Render(b, NewCollection(NewSite(site), http)) }},
		{"article-502.html", func(b *bytes.Buffer) error { return r.Render(b, NewArticle(NewSite(site), a502)) }},
		{"article-499.html", func(b *bytes.Buffer) error { return r.Render(b, NewArticle(NewSite(site), a499)) }},
		{"article-418.html", func(b *bytes.Buffer) error { return r.Render(b, NewArticle(NewSite(site), a418)) }},
		{"404.html", func(b *bytes.Buffer) error { return r.Render(b, NewNotFound(NewSite(site))) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.render(&b); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, b.Bytes())
		})
	}
}

// TestChromePerSite renders pages of two sites in turn with one Renderer:
// each page's header and footer must be its own site's.
func TestChromePerSite(t *testing.T) {
	site, r := loadTestSite(t)
	other, err := content.Load(os.DirFS("testdata/site"), content.Options{BaseURL: "https://example.org/other/"})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		for _, s := range []*content.Site{site, other, site} {
			var b bytes.Buffer
			if err := r.Render(&b, NewArticle(NewSite(s), s.Collection("http").Articles[1])); err != nil {
				t.Fatal(err)
			}
			home := `<a class="site-title" href="` + s.BasePath() + `">`
			if !bytes.Contains(b.Bytes(), []byte(home)) {
				t.Errorf("base path %s: header does not link %s:\n%s", s.BasePath(), home, b.String())
			}
		}
	}
}
