package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestNew scaffolds an article, refuses what it must, and checks that the
// scaffold passes check once its required fields are filled in.
func TestNew(t *testing.T) {
	site := t.TempDir()
	for name, data := range map[string]string{
		"content/_index.md":      "---\ntitle: T\ndescription: D\nbase_url: https://example.com/\n---\n",
		"content/http/_index.md": "---\ntitle: HTTP\nname: HTTP\ndescription: D\ncategories: [{key: 4xx, name: Client}]\n---\n",
	} {
		p := filepath.Join(site, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files := func() []string {
		var names []string
		filepath.WalkDir(filepath.Dir(site), func(p string, d fs.DirEntry, err error) error {
			names = append(names, p)
			return err
		})
		return names
	}
	before := files()
	file := filepath.Join(site, "content", "http", "418.md")

	for _, tc := range []struct {
		name       string
		args       []string
		code       int
		wantStdout string
		wantStderr string
	}{
		{"no code", []string{"new", "-src", site, "http"}, 2, "", "want a collection and a code, e.g. errwiki new http 418; got 1 argument(s)"},
		{"unknown flag", []string{"new", "-force", "http", "418"}, 2, "", "flag provided but not defined: -force"},
		{"parent", []string{"new", "-src", site, "http", "../x"}, 1, "", `errwiki: code "../x" would make a file outside content/http/`},
		{"slash", []string{"new", "-src", site, "http", "a/b"}, 1, "", `errwiki: code "a/b" would make a file outside content/http/`},
		{"spaces", []string{"new", "-src", site, "http", "UPPER CASE SPACE"}, 1, "", `errwiki: code "UPPER CASE SPACE" does not make a safe file name`},
		{"no collection", []string{"new", "-src", site, "grpc", "14"}, 1, "", `errwiki: no collection "grpc": content/grpc/_index.md does not exist; the collections are http`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(tc.args, &stdout, &stderr); code != tc.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, &stdout, &stderr)
			}
			if !strings.Contains(stdout.String(), tc.wantStdout) || !strings.Contains(stderr.String(), tc.wantStderr) {
				t.Errorf("stdout %q, stderr %q; want %q and %q", &stdout, &stderr, tc.wantStdout, tc.wantStderr)
			}
			if after := files(); !slices.Equal(after, before) {
				t.Errorf("files changed:\n%s\nwant:\n%s", strings.Join(after, "\n"), strings.Join(before, "\n"))
			}
		})
	}

	var stdout, stderr bytes.Buffer
	if code := run([]string{"new", "-src", site, "http", "418"}, &stdout, &stderr); code != 0 {
		t.Fatalf("new: exit %d: %s", code, &stderr)
	}
	if want := "created content/http/418.md: fill in the fields marked TODO, then run make check\n"; stdout.String() != want {
		t.Errorf("stdout %q, want %q", &stdout, want)
	}
	data, err := os.ReadFile(file)
	if err != nil || !bytes.Contains(data, []byte("\ncode: \"418\"\n")) {
		t.Fatalf("scaffold not written (%v):\n%s", err, data)
	}

	// Unfilled, it does not pass check, and says what is missing.
	stderr.Reset()
	if code := run([]string{"check", "-src", site}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), ": name: required") {
		t.Errorf("check of the unfilled scaffold: exit %d\n%s", code, &stderr)
	}

	// A second new never replaces the writer's work.
	filled := strings.NewReplacer(
		`name: ""`, `name: I'm a teapot`,
		`category: ""`, `category: 4xx`,
		`summary: ""`, `summary: The server is a teapot.`,
		"causes: []", "causes: [It is a teapot]",
		"steps: []", "steps: [Use a coffee pot]",
		`question: ""`, `question: What does 418 mean?`,
		`answer: ""`, `answer: The server is a teapot.`,
	).Replace(string(data))
	if err := os.WriteFile(file, []byte(filled), 0o644); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	if code := run([]string{"new", "-src", site, "http", "418"}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "errwiki: content/http/418.md already exists; edit it, or choose another code") {
		t.Errorf("second new: exit %d\n%s", code, &stderr)
	}
	if data, _ := os.ReadFile(file); string(data) != filled {
		t.Errorf("second new changed the file")
	}

	stdout.Reset()
	stderr.Reset()
	if code := run([]string{"check", "-src", site}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "ok: 1 articles in 1 collections") {
		t.Errorf("check of the filled scaffold: exit %d\n%s%s", code, &stdout, &stderr)
	}
}

func TestServeUsage(t *testing.T) {
	for _, tc := range []struct {
		name       string
		args       []string
		code       int
		wantStderr string
	}{
		{"extra argument", []string{"serve", "extra"}, 2, `unexpected argument "extra"`},
		{"unknown flag", []string{"serve", "-port", "1"}, 2, "flag provided but not defined: -port"},
		{"bad address", []string{"serve", "-addr", "127.0.0.1:99999"}, 1, "errwiki: listen tcp: address 99999: invalid port"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(tc.args, &stdout, &stderr); code != tc.code || !strings.Contains(stderr.String(), tc.wantStderr) {
				t.Errorf("exit %d, want %d; stderr %q, want %q", code, tc.code, &stderr, tc.wantStderr)
			}
		})
	}
}
