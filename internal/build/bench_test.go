package build

import (
	"bytes"
	"io"
	"testing"

	"github.com/errwiki/errwiki/internal/benchcorpus"
	"github.com/errwiki/errwiki/internal/content"
	"github.com/errwiki/errwiki/internal/render"
)

// The benchmarks of the build's steps, each on the same generated wiki of
// benchArticles articles. cmd/errwiki-bench times whole processes against
// Hugo and a floor program; these say where the time of one build goes.

const benchArticles = 1000

// benchSource generates the wiki into a temporary directory. Callers do it
// before b.Loop, so it is not timed.
func benchSource(b *testing.B) Source {
	b.Helper()
	dir := b.TempDir()
	if err := benchcorpus.WriteDir(dir, benchcorpus.Options{Articles: benchArticles}); err != nil {
		b.Fatal(err)
	}
	return DirSource(dir)
}

func benchSite(b *testing.B) (*content.Site, *render.Renderer, Source) {
	b.Helper()
	src := benchSource(b)
	site, r, err := Load(src, content.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return site, r, src
}

// perArticle reports the time per article, comparable across corpus sizes.
func perArticle(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchArticles), "ns/article")
}

// BenchmarkLoad reads, decodes and validates every file (content.Load).
func BenchmarkLoad(b *testing.B) {
	src := benchSource(b)
	b.ReportAllocs()
	for b.Loop() {
		site, err := content.Load(src.Content, content.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if n := len(site.Articles()); n != benchArticles {
			b.Fatalf("%d articles", n)
		}
	}
	perArticle(b)
}

// BenchmarkRender renders every article page, on one core, unminified.
func BenchmarkRender(b *testing.B) {
	site, r, _ := benchSite(b)
	b.ReportAllocs()
	for b.Loop() {
		view := render.NewSite(site) // once per build, as a build does
		for _, a := range site.Articles() {
			if err := r.Render(io.Discard, render.NewArticle(view, a)); err != nil {
				b.Fatal(err)
			}
		}
	}
	perArticle(b)
}

// BenchmarkMinify minifies whole article pages, rendered from templates
// as written, on one core: what a build would spend minifying if the
// renderer did not minify the templates once and the HTML made from
// Markdown as it goes (which BenchmarkRender includes).
func BenchmarkMinify(b *testing.B) {
	site, _, src := benchSite(b)
	r, err := render.New(src.Templates, nil)
	if err != nil {
		b.Fatal(err)
	}
	var pages [][]byte
	size := 0
	for _, a := range site.Articles() {
		var buf bytes.Buffer
		if err := r.Render(&buf, render.NewArticle(render.NewSite(site), a)); err != nil {
			b.Fatal(err)
		}
		pages = append(pages, buf.Bytes())
		size += buf.Len()
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pages {
			if err := minifier.Minify("text/html", io.Discard, bytes.NewReader(p)); err != nil {
				b.Fatal(err)
			}
		}
	}
	perArticle(b)
}

// benchDiscard is an Output that drops every file.
type benchDiscard struct{}

func (benchDiscard) WriteFile(string, []byte) error { return nil }

// BenchmarkGenerate renders and minifies every file of the site on every
// core, into memory and into nothing: the build without the file system.
func BenchmarkGenerate(b *testing.B) {
	site, r, src := benchSite(b)
	for _, tc := range []struct {
		name string
		out  func() Output
	}{
		{"memory", func() Output { return &Memory{} }},
		{"discard", func() Output { return benchDiscard{} }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Generate(site, r, src.Static, tc.out()); err != nil {
					b.Fatal(err)
				}
			}
			perArticle(b)
		})
	}
}

// BenchmarkKeys digests the key of every output file, on every core: the
// part of a build that decides what a rebuild makes again.
func BenchmarkKeys(b *testing.B) {
	site, r, src := benchSite(b)
	jobs, err := plan(site, r, src.Static, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if k := keys(jobs, content.Digest{1}); len(k) != len(jobs) {
			b.Fatalf("%d keys for %d files", len(k), len(jobs))
		}
	}
	perArticle(b)
}
