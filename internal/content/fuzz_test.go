package content

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

// addSeeds adds the shipped articles and the test fixtures to the corpus.
func addSeeds(f *testing.F) {
	f.Add([]byte(validArticle))
	f.Add([]byte(otherArticle))
	f.Add([]byte("---\n---\n"))
	f.Add([]byte("---\ncode: [\n---\n"))
	files, _ := filepath.Glob("../../content/*/*.md")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
}

// checkErrors asserts that every reported line lies inside the file.
func checkErrors(t *testing.T, data []byte, errs ErrorList) {
	t.Helper()
	lines := bytes.Count(data, []byte("\n")) + 1
	for _, e := range errs {
		if e.Line < 0 || e.Line > lines {
			t.Errorf("%v: line %d outside a file of %d lines", e, e.Line, lines)
		}
		if e.Msg == "" {
			t.Errorf("%v: empty message", e)
		}
	}
}

func FuzzDecodeFrontMatter(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var errs ErrorList
		var a Article
		body, _, ok := decodeFile("content/http/x.md", data, &a, &errs)
		checkErrors(t, data, errs)
		if ok && len(body) > len(data) {
			t.Errorf("body longer than the file")
		}
		if !ok && len(errs) == 0 {
			t.Errorf("decoding failed without an error")
		}
	})
}

func FuzzLoadArticle(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{
			"content/_index.md":      {Data: []byte(siteIndex)},
			"content/http/_index.md": {Data: []byte(httpIndex)},
			"content/http/404.md":    {Data: []byte(otherArticle)},
			"content/http/x.md":      {Data: data},
		}
		site, err := Load(fsys, Options{Drafts: true})
		var list ErrorList
		switch {
		case errors.As(err, &list):
			checkErrors(t, data, list)
		case err != nil:
			t.Fatalf("not a content error: %v", err)
		default:
			c := site.Collection("http")
			if len(c.Articles) != 2 {
				t.Fatalf("%d articles, want 2", len(c.Articles))
			}
			for _, a := range c.Articles {
				if a.Code == "" || a.Name == "" || a.Category == nil || len(a.Causes) == 0 || !slugRE.MatchString(a.Slug) {
					t.Errorf("invalid article accepted: %+v", a)
				}
			}
		}
	})
}
