package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/errwiki/errwiki/internal/benchcorpus"
)

// A defectSite is a small site on disk for the defects table.
type defectSite struct {
	t   *testing.T
	dir string // holds site/ and the outputs
}

func (s defectSite) src() string { return filepath.Join(s.dir, "site") }

func (s defectSite) write(name, data string) {
	s.t.Helper()
	p := filepath.Join(s.src(), name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		s.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		s.t.Fatal(err)
	}
}

// errwiki runs the command in this process and returns its exit status and
// what it printed.
func (s defectSite) errwiki(args ...string) (int, string) {
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String() + stderr.String()
}

// build builds the site into out (relative to dir) and fails the test on an
// error.
func (s defectSite) build(out string) {
	s.t.Helper()
	if code, msg := s.errwiki("build", "-src", s.src(), "-out", filepath.Join(s.dir, out)); code != 0 {
		s.t.Fatalf("build into %s: exit %d\n%s", out, code, msg)
	}
}

// tree reads every file under dir, relative to s.dir.
func (s defectSite) tree(dir string) map[string]string {
	s.t.Helper()
	files := map[string]string{}
	root := filepath.Join(s.dir, dir)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		files[rel] = string(data)
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return files
}

// same fails the test unless the trees a and b hold the same files.
func (s defectSite) same(a, b string) {
	s.t.Helper()
	ta, tb := s.tree(a), s.tree(b)
	for name, data := range ta {
		if tb[name] != data {
			s.t.Errorf("%s/%s differs from %s/%s", a, name, b, name)
		}
	}
	for name := range tb {
		if _, ok := ta[name]; !ok {
			s.t.Errorf("%s/%s is missing", a, name)
		}
	}
}

// errwikiProcess returns a command running errwiki as a process of its own.
func errwikiProcess(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), errwikiMain+"=1")
	return cmd
}

const defectIndex = "---\ntitle: T\ndescription: D\nbase_url: https://example.com/wiki/\n---\nHome.\n"
const defectCollection = "---\ntitle: HTTP\nname: HTTP\ndescription: D\ncategories: [{key: 5xx, name: Server}]\n---\n"

func defectArticle(code, extra string) string {
	return "---\ncode: \"" + code + "\"\nname: N" + code + "\ncategory: 5xx\nsummary: Summary of " + code + ".\ncauses: [C]\nsteps: [S]\n" +
		"quick_answer: {question: Q, answer: A}\n" + extra + "---\nBody of " + code + ".\n"
}

// TestDefects is a table of the defects once found in the build, one case
// each, run through the command as a writer runs it.
func TestDefects(t *testing.T) {
	for _, tc := range []struct {
		name string
		test func(t *testing.T, s defectSite)
	}{
		{"1 an -out that is a content file is refused, and the file kept", func(t *testing.T, s defectSite) {
			target := filepath.Join(s.src(), "content/http/502.md")
			code, msg := s.errwiki("build", "-src", s.src(), "-out", target)
			if code != 1 || !strings.Contains(msg, "is inside the site's content/ directory") {
				t.Errorf("exit %d: %s", code, msg)
			}
			if data, err := os.ReadFile(target); err != nil || string(data) != defectArticle("502", "") {
				t.Errorf("the file changed: %v", err)
			}
		}},
		{"2 an output collision fails before the previous output changes, and check reports it", func(t *testing.T, s defectSite) {
			s.build("public")
			before := s.tree("public")
			s.write("content/http/x.md", defectArticle("505", "slug: \"502.json\"\n"))
			s.write("content/http/504.md", defectArticle("504", "")) // changes the index pages too
			want := "content/http/x.md: its output http/502.json/index.html needs a directory http/502.json"
			for _, cmd := range []string{"build", "check"} {
				code, msg := s.errwiki(cmd, "-src", s.src(), "-out", filepath.Join(s.dir, "public"))
				if cmd == "check" {
					code, msg = s.errwiki(cmd, "-src", s.src())
				}
				if code != 1 || !strings.Contains(msg, want) || strings.Count(msg, want) != 1 {
					t.Errorf("%s: exit %d, want the error once:\n%s", cmd, code, msg)
				}
			}
			if after := s.tree("public"); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Error("the failed build changed the previous output")
			}
		}},
		{"3 kill -9 at random instants of a rebuild leaves the old site or, after the next build, the new one", func(t *testing.T, s defectSite) {
			os.RemoveAll(s.src())
			if err := benchcorpus.WriteDir(s.src(), benchcorpus.Options{Articles: 300}); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(s.dir, "public")
			s.build("public")
			old := s.tree("public")
			index, _ := os.ReadFile(filepath.Join(s.src(), "content/_index.md"))
			s.write("content/_index.md", strings.Replace(string(index), "title: ", "title: New ", 1)) // every page changes
			s.build("fresh")
			rng := rand.New(rand.NewPCG(1, 2))
			for range 6 {
				cmd := errwikiProcess("build", "-src", s.src(), "-out", out)
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				time.Sleep(time.Duration(rng.IntN(400)) * time.Millisecond)
				cmd.Process.Signal(syscall.SIGKILL)
				cmd.Wait()
				if got := s.tree("public"); fmt.Sprint(got) != fmt.Sprint(old) {
					// Killed after its commit: the next build completes it.
					s.build("public")
					s.same("public", "fresh")
					return
				}
			}
			s.build("public")
			s.same("public", "fresh")
		}},
		{"4 a site's template that prints a neighbour's summary is rebuilt when that summary changes", func(t *testing.T, s defectSite) {
			s.write("templates/article.html", `{{define "main"}}{{with .Prev}}<p>{{.Summary}}</p>{{end}}{{end}}`)
			s.build("public")
			s.write("content/http/502.md", strings.Replace(defectArticle("502", ""), "Summary of 502.", "A new summary.", 1))
			s.build("public")
			s.build("fresh")
			s.same("public", "fresh")
			if page := s.tree("public")["http/503/index.html"]; !strings.Contains(page, "A new summary.") {
				t.Errorf("503's page shows the old summary of 502: %s", page)
			}
		}},
		{"5 a cache with a flipped byte is not used", func(t *testing.T, s defectSite) {
			s.build("public")
			cache := filepath.Join(s.dir, ".public.errwiki-cache")
			data, err := os.ReadFile(cache)
			if err != nil {
				t.Fatal(err)
			}
			data[len(data)/2] ^= 1
			os.WriteFile(cache, data, 0o644)
			code, msg := s.errwiki("build", "-src", s.src(), "-out", filepath.Join(s.dir, "public"))
			var pages, files, rendered int
			fmt.Sscanf(msg, "built %d pages, %d files (%d rendered", &pages, &files, &rendered)
			if code != 0 || files == 0 || rendered != files {
				t.Errorf("exit %d, want a cold build: %s", code, msg)
			}
		}},
		{"6 --- inside a block scalar stays in its field", func(t *testing.T, s defectSite) {
			s.write("content/http/502.md", defectArticle("502", "example:\n  response: |\n    HTTP/1.1 502 Bad Gateway\n\n    ---\n    tail\n"))
			s.build("public")
			if page := s.tree("public")["http/502.json"]; !strings.Contains(page, `"response":"HTTP/1.1 502 Bad Gateway\n\n---\ntail\n"`) {
				t.Errorf("the example lost its end: %s", page)
			}
		}},
		{"7 a duplicate key is an error naming both lines", func(t *testing.T, s defectSite) {
			s.write("content/http/502.md", defectArticle("502", "name: Again\n"))
			code, msg := s.errwiki("check", "-src", s.src())
			if code != 1 || !strings.Contains(msg, "content/http/502.md:9: name: duplicate field; line 3 has it already") {
				t.Errorf("exit %d: %s", code, msg)
			}
		}},
		{"8 serve reports a runaway template and stops on Ctrl+C", func(t *testing.T, s defectSite) {
			s.write("templates/404.html", loop)
			cmd := errwikiProcess("serve", "-src", s.src(), "-addr", "127.0.0.1:0", "-render-timeout", "200ms")
			var out syncBuffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waitOutput(t, &out, "took longer than 200ms; a template may loop without end")
			cmd.Process.Signal(syscall.SIGINT)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("serve exited with %v", err)
				}
			case <-time.After(2 * time.Second):
				cmd.Process.Kill()
				t.Error("serve did not stop within 2 s of Ctrl+C")
			}
		}},
		{"9 check escapes a file name that holds a workflow command", func(t *testing.T, s defectSite) {
			s.write("content/http/x\n::error file=README.md::forged,y.md", "no front matter\n")
			var stdout, stderr bytes.Buffer
			if code := run([]string{"check", "-src", s.src(), "-format", "github"}, &stdout, &stderr); code != 1 {
				t.Fatalf("exit %d, want 1; stderr: %s", code, &stderr)
			}
			want := "::error file=content/http/x%0A%3A%3Aerror file=README.md%3A%3Aforged%2Cy.md,line=1::no front matter: " +
				"the file must start with a line \"---\", the YAML fields, and another \"---\"\n"
			if got := stdout.String(); got != want {
				t.Errorf("got\n%q\nwant\n%q", got, want)
			}
			// Text output writes the newline as an escape.
			if _, msg := s.errwiki("check", "-src", s.src()); !strings.HasPrefix(msg, `content/http/x\n::error file=README.md::forged,y.md:1: no front matter`) {
				t.Errorf("text output does not escape the newline:\n%s", msg)
			}
		}},
		{"10 a rebuild of every page works with 128 open files", func(t *testing.T, s defectSite) {
			os.RemoveAll(s.src())
			if err := benchcorpus.WriteDir(s.src(), benchcorpus.Options{Articles: 1000}); err != nil {
				t.Fatal(err)
			}
			build := func() {
				t.Helper()
				cmd := exec.Command("sh", "-c", `ulimit -n 128 && exec "$0" "$@"`, os.Args[0], "build", "-src", s.src(), "-out", filepath.Join(s.dir, "public"))
				cmd.Env = append(os.Environ(), errwikiMain+"=1")
				if msg, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("%v: %s", err, msg)
				}
			}
			build()
			s.write("templates/partials/footer.html", `{{define "footer"}}<footer>Ours</footer>{{end}}`)
			build()
			if !strings.Contains(s.tree("public")["index.html"], "Ours") {
				t.Error("the rebuild did not make the pages again")
			}
		}},
		{"11 damaged details beside the cache are read again from the articles", func(t *testing.T, s defectSite) {
			s.write("content/http/503.md", defectArticle("503", "aliases: [Service Gone]\nmessages: [\"upstream went away\"]\n"))
			s.build("public")
			saved, _ := filepath.Glob(filepath.Join(s.dir, ".public.errwiki-details-*"))
			if len(saved) != 1 {
				t.Fatalf("details files beside the output: %v, want one", saved)
			}
			data, err := os.ReadFile(saved[0])
			if err != nil {
				t.Fatal(err)
			}
			for i := range data {
				data[i] ^= 1
			}
			os.WriteFile(saved[0], data, 0o644)
			// A new summary makes the search index again, from every
			// article's details.
			s.write("content/http/502.md", strings.Replace(defectArticle("502", ""), "Summary of 502.", "A new summary.", 1))
			s.build("public")
			s.build("fresh")
			s.same("public", "fresh")
			// The damaged records may stay in the file, after which the
			// rebuild appends its own: each is checked when read.
			if now, _ := filepath.Glob(filepath.Join(s.dir, ".public.errwiki-details-*")); len(now) != 1 {
				t.Errorf("details files after the rebuild: %v; want one", now)
			}
			s.write("content/http/503.md", defectArticle("503", "aliases: [Service Gone Again]\n"))
			s.build("public")
			s.build("fresh")
			s.same("public", "fresh")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := defectSite{t: t, dir: t.TempDir()}
			s.write("content/_index.md", defectIndex)
			s.write("content/http/_index.md", defectCollection)
			for _, code := range []string{"502", "503"} {
				s.write("content/http/"+code+".md", defectArticle(code, ""))
			}
			tc.test(t, s)
		})
	}
}
