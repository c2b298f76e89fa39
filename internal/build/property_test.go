package build

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A propertySite is a small site on disk that random edits change: the
// same tree is then built incrementally (one output, kept across edits)
// and fresh (a new output and no cache), and the two must be equal.
type propertySite struct {
	t    *testing.T
	dir  string
	rng  *rand.Rand
	next int // the next new code
}

var propertyNames = []string{"Bad Gateway", "Gateway Timeout", "Teapot", "Gone", "Too Early", "Locked"}
var propertyWords = []string{"upstream", "proxy", "timeout", "`curl -v`", "*retry*", "[spec](https://example.com/)", "cache", "DNS"}

func (s *propertySite) write(name, data string) {
	s.t.Helper()
	p := filepath.Join(s.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		s.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		s.t.Fatal(err)
	}
}

func (s *propertySite) pick(list []string) string { return list[s.rng.IntN(len(list))] }

func (s *propertySite) words(n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = s.pick(propertyWords)
	}
	return strings.Join(w, " ")
}

// articles lists the article files of a collection, sorted.
func (s *propertySite) articles(col string) []string {
	names, _ := filepath.Glob(filepath.Join(s.dir, "content", col, "[0-9a-z]*.md"))
	for i, n := range names {
		names[i], _ = filepath.Rel(s.dir, n)
	}
	slices.Sort(names)
	return names
}

// article returns a random article of code, relating to some of the codes
// of its collection, sometimes to itself or to a code that is gone.
func (s *propertySite) article(code string, col string) string {
	var related []string
	for _, f := range s.articles(col) {
		if s.rng.IntN(4) == 0 {
			related = append(related, fmt.Sprintf("%q", strings.TrimSuffix(filepath.Base(f), ".md")))
		}
	}
	if s.next > 0 && s.rng.IntN(20) == 0 {
		related = append(related, `"999"`) // broken: the build must fail and change nothing
	}
	fault := s.pick([]string{"", "fault: client\n", "fault: server\n"})
	updated := s.pick([]string{"", "updated: 2026-01-02\n", "updated: 2026-03-04\n"})
	cat := s.pick([]string{"4xx", "5xx"})
	if col == "grpc" {
		cat = "codes"
	}
	return fmt.Sprintf("---\ncode: %q\nname: %s\ncategory: %s\n%s%ssummary: %q\ncauses: [%q]\nsteps: [%q]\n"+
		"quick_answer: {question: \"Why?\", answer: %q}\nrelated: [%s]\n---\n%s\n",
		code, s.pick(propertyNames), cat, fault, updated, s.words(3), s.words(2), s.words(2), s.words(2),
		strings.Join(related, ", "), s.pick([]string{"", "## Logs\n\n" + s.words(5), s.words(8)}))
}

func (s *propertySite) init() {
	s.write("content/_index.md", "---\ntitle: Wiki\ndescription: D\nbase_url: https://example.com/wiki/\nrepository: https://github.com/o/r\n---\nHome.\n")
	s.write("content/http/_index.md", "---\ntitle: HTTP Codes\nname: HTTP\ndescription: D\ncategories:\n"+
		"  - {key: 4xx, name: Client}\n  - {key: 5xx, name: Server}\n---\nIntro.\n")
	s.write("content/grpc/_index.md", "---\ntitle: gRPC Codes\nname: gRPC\ndescription: D\norder: 2\ncategories:\n  - {key: codes, name: Codes}\n---\n")
	for _, code := range []string{"404", "410", "502", "504"} {
		s.write("content/http/"+code+".md", s.article(code, "http"))
	}
	s.write("content/grpc/14.md", s.article("14", "grpc"))
	s.write("static/extra.txt", "one\n")
	s.next = 1
}

// overrides are templates that read other articles' fields through every
// door the page data has.
var overrides = map[string]string{
	"article.html": `{{define "main"}}<h1>{{.Article.Title}}</h1>{{with .Prev}}<p>{{.Summary}}</p>{{end}}` +
		`{{with .Next}}<p>{{.Title}}</p>{{end}}{{range .Related}}<p>{{.Summary}} {{.URL}}</p>{{end}}` +
		`{{range .Site.Collections}}<p>{{.Title}} {{.Count}}{{range .Categories}} {{.Name}} {{.Count}}{{end}}</p>{{end}}` +
		`<p>{{.Article.Collection.Name}} {{.Article.Category.Description}} {{.EditURL}} {{.Article.File}}</p>{{.Body}}{{end}}`,
	"partials/footer.html":      `{{define "footer"}}<footer>{{.Site.Title}} {{.Site.Repository}} {{range .Nav}}{{.Title}}{{end}}</footer>{{end}}`,
	"collection.html":           `{{define "main"}}{{range .Groups}}<h2>{{.Name}} {{.Description}}</h2>{{range .Entries}}<p>{{.Code}} {{.Summary}} {{.Fault}}</p>{{end}}{{end}}{{.Intro}}{{end}}`,
	"partials/breadcrumbs.html": `{{define "breadcrumbs"}}{{range .Crumbs}}<a href="{{.URL}}">{{.Name}}</a>{{end}}{{end}}`,
}

// edit applies one random edit and says what it was.
func (s *propertySite) edit() string {
	col := s.pick([]string{"http", "http", "http", "grpc"})
	files := s.articles(col)
	switch s.rng.IntN(12) {
	case 0, 1, 2: // rewrite an article: front matter, body, related codes
		if len(files) == 0 {
			break
		}
		f := s.pick(files)
		s.write(f, s.article(strings.TrimSuffix(filepath.Base(f), ".md"), col))
		return "rewrite " + f
	case 3: // a body alone
		if len(files) == 0 {
			break
		}
		f := s.pick(files)
		data, _ := os.ReadFile(filepath.Join(s.dir, f))
		s.write(f, string(data)+s.words(3)+"\n")
		return "body of " + f
	case 4: // a new article
		s.next++
		code := fmt.Sprint(420 + s.next)
		if col == "grpc" {
			code = fmt.Sprint(s.next)
		}
		f := "content/" + col + "/" + code + ".md"
		s.write(f, s.article(code, col))
		return "add " + f
	case 5: // delete an article
		if len(files) < 2 {
			break
		}
		f := s.pick(files)
		os.Remove(filepath.Join(s.dir, f))
		return "delete " + f
	case 6: // rename a file, keeping its code
		if len(files) == 0 {
			break
		}
		f := s.pick(files)
		to := filepath.Join(filepath.Dir(f), "x"+filepath.Base(f))
		if strings.HasPrefix(filepath.Base(f), "x") {
			to = filepath.Join(filepath.Dir(f), strings.TrimPrefix(filepath.Base(f), "x"))
		}
		os.Rename(filepath.Join(s.dir, f), filepath.Join(s.dir, to))
		return "rename " + f + " to " + to
	case 7: // the collection's index
		s.write("content/http/_index.md", fmt.Sprintf("---\ntitle: HTTP %s\nname: %s\ndescription: D\ncategories:\n"+
			"  - {key: 4xx, name: Client %s, description: %q}\n  - {key: 5xx, name: Server}\n---\n%s\n",
			s.pick(propertyNames), s.pick([]string{"HTTP", "Web"}), s.pick(propertyNames), s.words(2), s.words(3)))
		return "http/_index.md"
	case 8: // the site's index
		s.write("content/_index.md", fmt.Sprintf("---\ntitle: Wiki %s\ndescription: %q\nbase_url: https://example.com/%s/\n%s---\n%s\n",
			s.pick(propertyNames), s.words(2), s.pick([]string{"wiki", "w"}),
			s.pick([]string{"", "repository: https://github.com/o/r\n", "cname: wiki.example.com\n"}), s.words(3)))
		return "_index.md"
	case 9, 10: // a template of the site's own, added, changed or removed
		name := s.pick(slices.Sorted(func(yield func(string) bool) {
			for k := range overrides {
				if !yield(k) {
					return
				}
			}
		}))
		p := filepath.Join(s.dir, "templates", name)
		if _, err := os.Stat(p); err == nil && s.rng.IntN(2) == 0 {
			os.Remove(p)
			return "remove templates/" + name
		}
		s.write("templates/"+name, strings.Replace(overrides[name], "<p>", "<p class=\""+s.pick(propertyNames)+"\">", 1))
		return "template " + name
	case 11: // a static file
		if s.rng.IntN(3) == 0 {
			os.Remove(filepath.Join(s.dir, "static/extra.txt"))
			return "remove static/extra.txt"
		}
		s.write("static/extra.txt", s.words(2)+"\n")
		return "static/extra.txt"
	}
	return "nothing"
}

// tree reads every file under dir into a map, or nil when dir is absent.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	if _, err := os.Stat(dir); err != nil {
		return nil
	}
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[rel] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func diffTrees(a, b map[string]string) string {
	var diffs []string
	for name, data := range a {
		if other, ok := b[name]; !ok {
			diffs = append(diffs, "only in the first: "+name)
		} else if other != data {
			diffs = append(diffs, "differs: "+name)
		}
	}
	for name := range b {
		if _, ok := a[name]; !ok {
			diffs = append(diffs, "only in the second: "+name)
		}
	}
	slices.Sort(diffs)
	return strings.Join(diffs, "\n")
}

// checkIncrementalEqualsFresh applies edits random edits from seed, and
// after each compares the incremental build with a fresh one, file list
// and bytes; a build that fails must fail both ways and leave the
// incremental output as it was.
func checkIncrementalEqualsFresh(t *testing.T, seed uint64, edits int) {
	dir := t.TempDir()
	s := &propertySite{t: t, dir: filepath.Join(dir, "site"), rng: rand.New(rand.NewPCG(seed, seed))}
	s.init()
	inc := filepath.Join(dir, "public")
	var history []string
	built := 0
	var source map[string]string // the site as it was before the edit
	for i := range edits {
		if i > 0 {
			source = tree(t, s.dir)
			history = append(history, s.edit())
		}
		before := tree(t, inc)
		_, incErr := Site(Options{Src: s.dir, Out: inc})
		fresh := filepath.Join(dir, fmt.Sprintf("fresh-%d", i))
		_, freshErr := Site(Options{Src: s.dir, Out: fresh})
		if i == 0 && incErr != nil {
			t.Fatalf("the first build fails: %v", incErr)
		}
		if incErr == nil {
			built++
		}
		if (incErr == nil) != (freshErr == nil) {
			t.Fatalf("seed %d, after %s:\nincremental build: %v\nfresh build: %v", seed, strings.Join(history, "; "), incErr, freshErr)
		}
		got := tree(t, inc)
		want := tree(t, fresh)
		if incErr != nil {
			want = before
		}
		if d := diffTrees(got, want); d != "" {
			t.Fatalf("seed %d, after %s (error %v):\n%s", seed, strings.Join(history, "; "), incErr, d)
		}
		for name, data := range got {
			if !bytes.Equal([]byte(data), []byte(want[name])) {
				t.Fatalf("%s differs", name)
			}
		}
		os.RemoveAll(fresh)
		os.Remove(cachePath(fresh))
		if incErr != nil {
			// Undo the edit, so that one broken file does not fail every
			// later build; undoing is an edit too.
			if err := os.RemoveAll(s.dir); err != nil {
				t.Fatal(err)
			}
			for name, data := range source {
				s.write(name, data)
			}
			history = append(history, "undo")
		}
	}
	if built < edits/2 {
		t.Errorf("only %d of %d builds succeeded: the edits test too little", built, edits)
	}
}

// TestIncrementalEqualsFresh is the property that makes the cache safe:
// whatever the edits, a rebuild writes exactly what a fresh build does.
func TestIncrementalEqualsFresh(t *testing.T) {
	edits := 60
	if testing.Short() {
		edits = 15
	}
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { checkIncrementalEqualsFresh(t, seed, edits) })
	}
}

func FuzzIncrementalEqualsFresh(f *testing.F) {
	f.Add(uint64(4))
	f.Fuzz(func(t *testing.T, seed uint64) { checkIncrementalEqualsFresh(t, seed, 12) })
}
