package build

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/errwiki/errwiki/internal/benchcorpus"
)

// TestMain lets the crash test run a build in a child process that dies
// at a chosen step of its commit, as a kill -9 would: no deferred call runs.
func TestMain(m *testing.M) {
	if n := os.Getenv("ERRWIKI_NOFILE"); n != "" {
		limit, _ := strconv.ParseUint(n, 10, 64)
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: limit, Max: limit}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(4)
		}
		_, err := Site(Options{Src: os.Getenv("ERRWIKI_CRASH_SRC"), Out: os.Getenv("ERRWIKI_CRASH_OUT")})
		if err != nil {
			fmt.Fprintln(os.Stderr, "build failed:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if at := os.Getenv("ERRWIKI_CRASH_AT"); at != "" {
		step = func(name string) {
			if name == at {
				os.Exit(3)
			}
		}
		_, err := Site(Options{Src: os.Getenv("ERRWIKI_CRASH_SRC"), Out: os.Getenv("ERRWIKI_CRASH_OUT")})
		fmt.Fprintln(os.Stderr, "build finished:", err)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// killAt builds src into out in a process of its own that dies at the
// commit step at.
func killAt(t *testing.T, at, src, out string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "ERRWIKI_CRASH_AT="+at, "ERRWIKI_CRASH_SRC="+src, "ERRWIKI_CRASH_OUT="+out)
	msg, err := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != 3 {
		t.Fatalf("the build did not die at %s (exit %d, %v): %s", at, code, err, msg)
	}
}

// TestCrashLeavesOldOrNew kills a full build at each step of its commit
// and checks that the output is then the old site or the new one, and that
// the next build leaves nothing of the killed one behind.
func TestCrashLeavesOldOrNew(t *testing.T) {
	for _, at := range []string{"swap", "exchanged", "cache"} {
		t.Run(at, func(t *testing.T) {
			dir := t.TempDir()
			srcDir, out := filepath.Join(dir, "site"), filepath.Join(dir, "public")
			writeSite(t, srcDir, "causes: [Old cause]")
			if _, err := Site(Options{Src: srcDir, Out: out}); err != nil {
				t.Fatal(err)
			}
			old := tree(t, out)
			writeSite(t, srcDir, "causes: [New cause]")
			os.Remove(cachePath(out)) // a full build, which swaps the whole tree
			fresh := filepath.Join(dir, "fresh")
			if _, err := Site(Options{Src: srcDir, Out: fresh}); err != nil {
				t.Fatal(err)
			}
			want := tree(t, fresh)
			os.RemoveAll(fresh)
			os.Remove(cachePath(fresh))

			killAt(t, at, srcDir, out)
			got := tree(t, out)
			if d1, d2 := diffTrees(got, old), diffTrees(got, want); d1 != "" && d2 != "" {
				t.Fatalf("killed at %s, the output is neither old nor new:\nagainst old:\n%s\nagainst new:\n%s", at, d1, d2)
			}
			if _, err := Site(Options{Src: srcDir, Out: out}); err != nil {
				t.Fatal(err)
			}
			if d := diffTrees(tree(t, out), want); d != "" {
				t.Errorf("the next build differs from a fresh one:\n%s", d)
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), ".public.new-") || strings.HasPrefix(e.Name(), ".public.old-") || strings.HasSuffix(e.Name(), ".tmp") {
					t.Errorf("left behind: %s", e.Name())
				}
			}
		})
	}
}

// TestCrashDuringRebuild kills a rebuild, which replaces files in place,
// at each step of its commit: before its journal is in place the output
// must be the old site; after, carrying out the journal (the first thing
// the next build does) must make it the new site, with nothing left beside.
func TestCrashDuringRebuild(t *testing.T) {
	for _, at := range []string{"journal", "half", "moved"} {
		t.Run(at, func(t *testing.T) {
			dir := t.TempDir()
			srcDir, out := filepath.Join(dir, "site"), filepath.Join(dir, "public")
			writeSite(t, srcDir, "causes: [Old cause]")
			s := &propertySite{t: t, dir: srcDir}
			s.write("content/http/504.md", article504)
			if _, err := Site(Options{Src: srcDir, Out: out}); err != nil {
				t.Fatal(err)
			}
			old := tree(t, out)
			// An edit that changes several files and removes one.
			writeSite(t, srcDir, "causes: [New cause]\nrelated: [\"504\"]")
			s.write("content/http/504.md", strings.Replace(article504, "Too slow.", "Far too slow.", 1))
			s.write("content/_index.md", "---\ntitle: New title\ndescription: D\nbase_url: https://example.com/\n---\n")
			fresh := filepath.Join(dir, "fresh")
			if _, err := Site(Options{Src: srcDir, Out: fresh}); err != nil {
				t.Fatal(err)
			}
			want := tree(t, fresh)

			killAt(t, at, srcDir, out)
			if at == "journal" {
				if d := diffTrees(tree(t, out), old); d != "" {
					t.Fatalf("killed before its commit, the output changed:\n%s", d)
				}
			}
			if at == "moved" {
				// Left to the next build alone.
			} else if err := finish(out); err != nil {
				t.Fatal(err)
			}
			if at == "half" {
				if d := diffTrees(tree(t, out), want); d != "" {
					t.Fatalf("killed after its commit, the journal did not make the new site:\n%s", d)
				}
			}
			stats, err := Site(Options{Src: srcDir, Out: out})
			if err != nil {
				t.Fatal(err)
			}
			if d := diffTrees(tree(t, out), want); d != "" {
				t.Errorf("the next build differs from a fresh one:\n%s", d)
			}
			if at != "journal" && stats.Written != 0 {
				t.Errorf("the next build wrote %d files; the journal had made them all", stats.Written)
			}
			for _, p := range []string{stagePath(out), journalPath(out), journalPath(out) + ".tmp", cachePath(out) + ".tmp"} {
				if _, err := os.Lstat(p); err == nil {
					t.Errorf("left behind: %s", filepath.Base(p))
				}
			}
		})
	}
}

// TestFewOpenFiles builds, and rebuilds after a template edit that makes
// every page again, a site of a thousand articles in a process that may
// hold 64 files open: the build opens a bounded number of files at once.
func TestFewOpenFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a site of a thousand articles")
	}
	dir := t.TempDir()
	srcDir, out := filepath.Join(dir, "site"), filepath.Join(dir, "public")
	if err := benchcorpus.WriteDir(srcDir, benchcorpus.Options{Articles: 1000}); err != nil {
		t.Fatal(err)
	}
	build := func() {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "ERRWIKI_NOFILE=64", "ERRWIKI_CRASH_SRC="+srcDir, "ERRWIKI_CRASH_OUT="+out)
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v: %s", err, msg)
		}
	}
	build()
	footer := filepath.Join(srcDir, "templates/partials/footer.html")
	if err := os.MkdirAll(filepath.Dir(footer), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(footer, []byte(`{{define "footer"}}<footer>Ours</footer>{{end}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	build()
	page, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil || !strings.Contains(string(page), "Ours") {
		t.Errorf("the rebuild did not make the pages again: %v", err)
	}
}
