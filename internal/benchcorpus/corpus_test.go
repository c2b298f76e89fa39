package benchcorpus

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/errwiki/errwiki/internal/content"
	"go.yaml.in/yaml/v3"
)

type file struct {
	name string
	data []byte
}

func generate(t testing.TB, opts Options) []file {
	t.Helper()
	var files []file
	err := Generate(opts, func(name string, data []byte) error {
		files = append(files, file{name, bytes.Clone(data)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestGenerateIsDeterministic(t *testing.T) {
	opts := Options{Articles: 300}
	a, b := generate(t, opts), generate(t, opts)
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for i := range a {
		if a[i].name != b[i].name || !bytes.Equal(a[i].data, b[i].data) {
			t.Fatalf("file %d differs between two runs: %s and %s", i, a[i].name, b[i].name)
		}
	}
	// The seed matters, so the comparison above could have failed.
	other := generate(t, Options{Articles: 300, Seed: 2})
	if bytes.Equal(a[len(a)-1].data, other[len(other)-1].data) {
		t.Errorf("seeds 1 and 2 gave the same %s", a[len(a)-1].name)
	}
}

func TestGenerateCounts(t *testing.T) {
	for _, tc := range []struct {
		name                    string
		opts                    Options
		articles, indexes, dirs int
	}{
		{"default ten collections", Options{Articles: 1003}, 1003, 11, 10},
		{"fewer articles than collections", Options{Articles: 3}, 3, 4, 3},
		{"one collection", Options{Articles: 7, Collections: 1}, 7, 2, 1},
		{"more collections than named", Options{Articles: 24, Collections: 12}, 24, 13, 12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			articles, indexes := 0, 0
			dirs := map[string]bool{}
			for _, f := range generate(t, tc.opts) {
				if strings.HasSuffix(f.name, "/_index.md") {
					indexes++
					continue
				}
				articles++
				dirs[f.name[:strings.LastIndex(f.name, "/")]] = true
			}
			if articles != tc.articles || indexes != tc.indexes || len(dirs) != tc.dirs {
				t.Errorf("%d articles, %d _index.md, %d collections; want %d, %d, %d",
					articles, indexes, len(dirs), tc.articles, tc.indexes, tc.dirs)
			}
		})
	}
	if err := Generate(Options{}, func(string, []byte) error { return nil }); err == nil || !strings.Contains(err.Error(), "at least one") {
		t.Errorf("no articles: got %v, want an error asking for at least one", err)
	}
}

// TestCorpusIsAFullValidSite loads a corpus as errwiki does and checks that
// every article fills every field the writer's guide describes, passes the
// lint and has a body of the promised length and shape.
func TestCorpusIsAFullValidSite(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, f := range generate(t, Options{Articles: 50}) {
		fsys[f.name] = &fstest.MapFile{Data: f.data}
	}
	site, err := content.Load(fsys, content.Options{})
	if err != nil {
		t.Fatalf("corpus does not load:\n%v", err)
	}
	if warns := content.Lint(site); len(warns) > 0 {
		t.Errorf("%d lint warning(s):\n%v", len(warns), warns)
	}
	if n := len(site.Collections); n != 10 {
		t.Errorf("%d collections, want 10", n)
	}
	if n := len(site.Articles()); n != 50 {
		t.Fatalf("%d articles, want 50", n)
	}
	if site.BaseURL != BaseURL {
		t.Errorf("base_url %q, want %q", site.BaseURL, BaseURL)
	}
	for _, c := range site.Collections {
		if len(c.Categories) < 3 || len(c.Body) == 0 {
			t.Errorf("%s: %d categories, %d bytes of introduction", c.File, len(c.Categories), len(c.Body))
		}
	}
	sources := 0
	for _, a := range site.Articles() {
		problems := []struct {
			bad  bool
			what string
		}{
			{a.Tagline == "", "no tagline"},
			{a.Fault == "", "no fault"},
			{a.Category == nil, "no category"},
			{utf8.RuneCountInString(a.Summary) > content.MaxSummary, "summary too long"},
			{len(a.Details) < 3, "fewer than 3 details"},
			{len(a.Causes) < 3, "fewer than 3 causes"},
			{len(a.Steps) < 3, "fewer than 3 steps"},
			{a.QuickAnswer.Question == "" || a.QuickAnswer.Answer == "", "no quick answer"},
			{len(a.FAQ) < 2, "fewer than 2 FAQ entries"},
			{len(a.RelatedRefs) < 2 || len(a.Related) != len(a.RelatedRefs), "related codes missing or unresolved"},
			{len(a.References) == 0, "no references"},
			{len(a.Aliases) < 2, "fewer than 2 aliases"},
			{a.Updated.IsZero(), "no updated date"},
			{a.Example == nil || a.Example.Request == "" || a.Example.Response == "", "no example"},
			{len(a.Send) < 2, "fewer than 2 send snippets"},
		}
		for _, p := range problems {
			if p.bad {
				t.Errorf("%s: %s", a.File, p.what)
			}
		}
		for _, r := range a.Related {
			if r.Collection != a.Collection {
				t.Errorf("%s: related %s is in another collection", a.File, r.File)
			}
		}
		if a.Source != "" {
			sources++
		}
		body := string(a.Body)
		if n := CountWords(body); n < MinWords || n > MaxWords {
			t.Errorf("%s: body of %d words, want %d to %d", a.File, n, MinWords, MaxWords)
		}
		for _, want := range []string{"\n## ", "\n- ", "\n1. ", "\n|---|---|---|\n", "\n```console\n"} {
			if !strings.Contains("\n"+body, want) {
				t.Errorf("%s: body has no %q", a.File, want)
			}
		}
	}
	if sources == 0 || sources == 50 {
		t.Errorf("%d of 50 articles have a source; want some unofficial codes, not all", sources)
	}
}

func TestWriteDir(t *testing.T) {
	dir := t.TempDir()
	if err := WriteDir(dir, Options{Articles: 12}); err != nil {
		t.Fatal(err)
	}
	site, err := content.Load(os.DirFS(dir), content.Options{})
	if err != nil {
		t.Fatalf("written corpus does not load:\n%v", err)
	}
	if n := len(site.Articles()); n != 12 {
		t.Errorf("%d articles, want 12", n)
	}
}

func TestYAMLScalar(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Stale Lease", "Stale Lease"},
		{"The scheduler drops the lease; it retries.", "The scheduler drops the lease; it retries."},
		{"Name: a sentence.", `"Name: a sentence."`},
		{"Run `curl` now", "\"Run `curl` now\""},
		{"*the request*", `"*the request*"`},
		{"yes", `"yes"`},
		{"502", `"502"`},
		{"a, b", `"a, b"`},
		{`say "hi"`, `"say \"hi\""`},
		{"", `""`},
	} {
		got := yamlScalar(tc.in)
		if got != tc.want {
			t.Errorf("yamlScalar(%q) = %s, want %s", tc.in, got, tc.want)
		}
		var back string
		if err := yaml.Unmarshal([]byte("v: "+got), &struct{ V *string }{&back}); err != nil || back != tc.in {
			t.Errorf("yamlScalar(%q) = %s reads back as %q (%v)", tc.in, got, back, err)
		}
	}
}
