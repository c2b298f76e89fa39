package build

import (
	"bytes"
	"io"
	"testing"

	"github.com/errwiki/errwiki/internal/content"
	"github.com/errwiki/errwiki/internal/render"
)

// TestMinifiedPages checks the pages of the shipped wiki against the plain
// way to minify them, rendering with the templates as written and then
// minifying each whole page. The renderer's own minifying (templates
// minified once, Markdown as it is converted) must give the same page up
// to what one more pass of the minifier changes, and that pass may find
// little left to take.
func TestMinifiedPages(t *testing.T) {
	src := DirSource("../..")
	site, fast, err := Load(src, content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := render.New(src.Templates, nil)
	if err != nil {
		t.Fatal(err)
	}
	type page struct {
		name   string
		render func(*render.Renderer, io.Writer) error
	}
	pages := []page{
		{"index.html", func(r *render.Renderer, w io.Writer) error {
			return r.Render(w, render.NewHome(render.NewSite(site), site))
		}},
		{"404.html", func(r *render.Renderer, w io.Writer) error {
			return r.Render(w, render.NewNotFound(render.NewSite(site)))
		}},
	}
	for _, c := range site.Collections {
		pages = append(pages, page{c.Key + "/index.html", func(r *render.Renderer, w io.Writer) error {
			return r.Render(w, render.NewCollection(render.NewSite(site), c))
		}})
	}
	for _, a := range site.Articles() {
		pages = append(pages, page{a.Path(), func(r *render.Renderer, w io.Writer) error {
			return r.Render(w, render.NewArticle(render.NewSite(site), a))
		}})
	}
	minify := func(data []byte) []byte {
		var b bytes.Buffer
		if err := minifier.Minify("text/html", &b, bytes.NewReader(data)); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	var total, again int
	for _, p := range pages {
		var f, w bytes.Buffer
		if err := p.render(fast, &f); err != nil {
			t.Fatal(err)
		}
		if err := p.render(plain, &w); err != nil {
			t.Fatal(err)
		}
		want, got := minify(w.Bytes()), minify(f.Bytes())
		if !bytes.Equal(got, want) {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Errorf("%s: differs from the whole page minified at byte %d:\n got %q\nwant %q", p.name, i, got[max(0, i-80):min(len(got), i+80)], want[max(0, i-80):min(len(want), i+80)])
			continue
		}
		total += f.Len()
		again += len(got)
	}
	if saved := float64(total-again) / float64(total); saved > 0.01 {
		t.Errorf("minifying the %d pages again takes %.1f%% off; want at most 1%%", len(pages), 100*saved)
	} else {
		t.Logf("%d pages, %d bytes; minifying again takes %.2f%% off", len(pages), total, 100*saved)
	}
}
