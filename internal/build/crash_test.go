package build

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain lets the crash test run a build in a child process that dies
// at a chosen step of its commit, as a kill -9 would: no deferred call runs.
func TestMain(m *testing.M) {
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

			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "ERRWIKI_CRASH_AT="+at, "ERRWIKI_CRASH_SRC="+srcDir, "ERRWIKI_CRASH_OUT="+out)
			msg, err := cmd.CombinedOutput()
			if code := cmd.ProcessState.ExitCode(); code != 3 {
				t.Fatalf("the build did not die at %s (exit %d, %v): %s", at, code, err, msg)
			}
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
