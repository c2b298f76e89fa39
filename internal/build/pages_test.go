package build

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/errwiki/errwiki/internal/content"
)

// TestPagesMatchGenerate renders every file of the shipped wiki on demand
// and compares it with the full build; names the site lacks are not found.
func TestPagesMatchGenerate(t *testing.T) {
	src := DirSource("../..")
	site, r, err := Load(src, content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out Memory
	if _, err := Generate(site, r, src.Static, &out); err != nil {
		t.Fatal(err)
	}
	pages, err := NewPages(site, r, src.Static)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range out.Names() {
		want, _ := out.File(name)
		got, ok, err := pages.File(name)
		if err != nil || !ok || !bytes.Equal(got, want) {
			t.Errorf("%s: on demand (ok %v, err %v) differs from the build", name, ok, err)
		}
	}
	for _, name := range []string{"http/999/index.html", "http/999.json", "http/502/other.html", "nope.json", "http/index.htm", "/http/502/index.html", "http/502"} {
		if _, ok, err := pages.File(name); ok || err != nil {
			t.Errorf("%s: found (err %v); want not found", name, err)
		}
	}
}

// TestLeanBuildMatchesWhole builds the shipped wiki into a directory, its
// articles loaded lean (their details and bodies read again from the
// store and the files when their files are made), and compares every
// file with a build of the site loaded whole; then again from the
// build's saved cache.
func TestLeanBuildMatchesWhole(t *testing.T) {
	_, whole := buildShipped(t)
	work := t.TempDir()
	src := filepath.Join(work, "src")
	if err := os.CopyFS(filepath.Join(src, "content"), os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	opts := Options{Src: src, Out: filepath.Join(work, "public"), BaseURL: "https://example.github.io/wiki/"}
	out := opts.Out
	same := func(when string) {
		t.Helper()
		var names []string
		err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			name, _ := filepath.Rel(out, p)
			names = append(names, filepath.ToSlash(name))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(names)
		if want := whole.Names(); !slices.Equal(names, want) {
			t.Fatalf("%s: %d files, want %d", when, len(names), len(want))
		}
		for _, name := range names {
			got, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name)))
			if want, _ := whole.File(name); err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s: %s differs from the whole build (%v)", when, name, err)
			}
		}
	}
	if _, err := Site(opts); err != nil {
		t.Fatal(err)
	}
	same("first build")
	// With the output gone and its cache left, the next build makes every
	// file, its articles restored lean from the saved cache and read whole
	// from their files.
	if err := os.Rename(out, out+".old"); err != nil {
		t.Fatal(err)
	}
	stats, err := Site(opts)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Rendered != stats.Files {
		t.Errorf("rebuild rendered %d of %d files; want all", stats.Rendered, stats.Files)
	}
	same("rebuild")
}
