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
// watcher naming the one changed file. The article's name changes, which
// touches no link, or the order of its related codes, which does.
func BenchmarkRebuildOneEdit(b *testing.B) {
	dir := b.TempDir()
	if err := benchcorpus.WriteDir(dir, benchcorpus.Options{Articles: 10000}); err != nil {
		b.Fatal(err)
	}
	const name = "content/http/10001.md"
	file := filepath.Join(dir, filepath.FromSlash(name))
	orig, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		edit func(i int) []byte
	}{
		{"name", func(i int) []byte {
			return bytes.Replace(orig, []byte("\nname: "), []byte("\nname: Edit "+strconv.Itoa(i)+" "), 1)
		}},
		{"related", func(i int) []byte {
			if i%2 == 0 {
				return orig
			}
			return bytes.Replace(orig, []byte("related:\n  - "), []byte("related:\n  - \"10002\"\n  - "), 1)
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			if err := os.WriteFile(file, orig, 0o644); err != nil {
				b.Fatal(err)
			}
			s := New(Options{Src: dir})
			s.rebuild(b.Context(), nil)
			if _, msg := s.state(); msg != "" {
				b.Fatal(msg)
			}
			changed := []string{name}
			i := 0
			for b.Loop() {
				b.StopTimer()
				i++
				if err := os.WriteFile(file, tc.edit(i), 0o644); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				s.rebuild(b.Context(), changed)
			}
			b.StopTimer()
			if snap, msg := s.state(); msg != "" || snap.id != s.runID+"-"+strconv.Itoa(i+1) {
				b.Fatalf("last rebuild did not serve the edit: %q", msg)
			}
		})
	}
}
