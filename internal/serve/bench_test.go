package serve

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/errwiki/errwiki/internal/benchcorpus"
)

// BenchmarkRebuildOneEdit times what serve does after a writer saves one
// article of a large site: the rebuild it logs as "rebuilt in …", with the
// watcher naming the one changed file.
func BenchmarkRebuildOneEdit(b *testing.B) {
	for _, n := range []int{10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			dir := b.TempDir()
			if err := benchcorpus.WriteDir(dir, benchcorpus.Options{Articles: n}); err != nil {
				b.Fatal(err)
			}
			const name = "content/http/10001.md"
			file := filepath.Join(dir, filepath.FromSlash(name))
			orig, err := os.ReadFile(file)
			if err != nil {
				b.Fatal(err)
			}
			s := New(Options{Src: dir})
			s.rebuild(nil)
			if _, msg := s.state(); msg != "" {
				b.Fatal(msg)
			}
			changed := []string{name}
			i := 0
			for b.Loop() {
				b.StopTimer()
				i++
				data := bytes.Replace(orig, []byte("\nname: "), []byte("\nname: Edit "+strconv.Itoa(i)+" "), 1)
				if err := os.WriteFile(file, data, 0o644); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				s.rebuild(changed)
			}
			b.StopTimer()
			if snap, msg := s.state(); msg != "" || snap.id != s.runID+"-"+strconv.Itoa(i+1) {
				b.Fatalf("last rebuild did not serve the edit: %q", msg)
			}
		})
	}
}
