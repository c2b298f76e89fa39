package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	site := filepath.Join(dir, "site")
	write := func(name, data string) {
		t.Helper()
		p := filepath.Join(site, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("content/_index.md", "---\ntitle: T\ndescription: D\nbase_url: https://example.com/\n---\n")
	write("content/http/_index.md", "---\ntitle: HTTP\nname: HTTP\ndescription: D\ncategories: [{key: 5xx, name: Server}]\n---\n")
	good := "---\ncode: \"502\"\nname: Bad Gateway\ncategory: 5xx\nsummary: S.\ncauses: [C]\nsteps: [S]\nquick_answer: {question: Q, answer: A}\n---\n"
	write("content/http/502.md", good)
	out := filepath.Join(dir, "public")

	for _, tc := range []struct {
		name       string
		args       []string
		broken     bool
		code       int
		wantStdout string
		wantStderr string
	}{
		{"no command", nil, false, 2, "", "Usage:"},
		{"unknown command", []string{"bild"}, false, 2, "", `unknown command "bild"`},
		{"unknown flag", []string{"build", "-sauce", "x"}, false, 2, "", "flag provided but not defined: -sauce"},
		{"extra argument", []string{"check", "-src", site, "extra"}, false, 2, "", `unexpected argument "extra"`},
		{"bad format", []string{"check", "-src", site, "-format", "xml"}, false, 2, "", `unknown -format "xml"`},
		{"version", []string{"version"}, false, 0, "errwiki ", ""},
		{"check ok", []string{"check", "-src", site}, false, 0, "ok: 1 articles in 1 collections, 4 warning(s)", "warning: content/http/502.md:6: causes: thin article"},
		{"check -git outside a checkout", []string{"check", "-src", site, "-git"}, false, 1, "", "check -git: not a git checkout with full history"},
		{"build ok", []string{"build", "-src", site, "-out", out, "-base-url", "https://example.github.io/wiki/"}, false, 0, "built 4 pages", ""},
		{"check broken", []string{"check", "-src", site}, true, 1, "", "content/http/502.md:6: causes: at least one cause is required\n1 problem(s) found"},
		{"check broken github", []string{"check", "-src", site, "-format", "github"}, true, 1, "::error file=content/http/502.md,line=6::causes: at least one cause is required", ""},
		{"check broken json", []string{"check", "-src", site, "-format", "json"}, true, 1, `"message": "at least one cause is required"`, ""},
		{"build broken", []string{"build", "-src", site, "-out", out}, true, 1, "", "content/http/502.md:6: causes: at least one cause is required"},
		{"build missing source", []string{"build", "-src", filepath.Join(dir, "nope"), "-out", out}, false, 1, "", "content: no content directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.broken {
				write("content/http/502.md", strings.Replace(good, "causes: [C]", "causes: []", 1))
				defer write("content/http/502.md", good)
			}
			var stdout, stderr bytes.Buffer
			if code := run(tc.args, &stdout, &stderr); code != tc.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, &stdout, &stderr)
			}
			if !strings.Contains(stdout.String(), tc.wantStdout) {
				t.Errorf("stdout %q does not contain %q", &stdout, tc.wantStdout)
			}
			if !strings.Contains(stderr.String(), tc.wantStderr) {
				t.Errorf("stderr %q does not contain %q", &stderr, tc.wantStderr)
			}
		})
	}
	// The failed builds above left the good build in place.
	if data, err := os.ReadFile(filepath.Join(out, "http", "502", "index.html")); err != nil || !bytes.Contains(data, []byte("/wiki/style.css")) {
		t.Errorf("previous output lost: %v", err)
	}
}

// TestTuneGC checks that a build sets the collector's percentage and soft
// memory limit, higher by twice the size of the cache a rebuild reads,
// unless the environment sets either.
func TestTuneGC(t *testing.T) {
	percent, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() { debug.SetGCPercent(percent); debug.SetMemoryLimit(limit) })
	for _, tc := range []struct {
		env            map[string]string
		cache          int64
		percent, limit int64
	}{
		{nil, 0, buildGCPercent, buildMemory},
		{nil, 47 << 20, buildGCPercent, buildMemory + 94<<20},
		{map[string]string{"GOGC": "50"}, 47 << 20, 100, math.MaxInt64},
		{map[string]string{"GOMEMLIMIT": "1GiB"}, 0, 100, math.MaxInt64},
	} {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
		tuneGC(func(k string) string { return tc.env[k] }, tc.cache)
		if p, l := int64(debug.SetGCPercent(100)), debug.SetMemoryLimit(math.MaxInt64); p != tc.percent || l != tc.limit {
			t.Errorf("with %v and a cache of %d bytes: GC percent %d, memory limit %d; want %d, %d", tc.env, tc.cache, p, l, tc.percent, tc.limit)
		}
	}
}
