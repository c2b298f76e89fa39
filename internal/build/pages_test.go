package build

import (
	"bytes"
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
