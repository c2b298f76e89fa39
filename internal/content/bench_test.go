package content

import (
	"io"
	"testing"
	"testing/fstest"
	"time"

	"github.com/errwiki/errwiki/internal/benchcorpus"
	"github.com/errwiki/errwiki/internal/wire"
)

// BenchmarkCache saves the cache of a generated 1,000-article site and
// reads it back: what a rebuild spends on its cache besides looking at
// the files.
func BenchmarkCache(b *testing.B) {
	fsys := fstest.MapFS{}
	err := benchcorpus.Generate(benchcorpus.Options{Articles: 1000}, func(name string, data []byte) error {
		fsys[name] = &fstest.MapFile{Data: data, ModTime: time.Unix(1, 0)}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	cache := NewCache(false)
	if _, err := Load(fsys, Options{Cache: cache}); err != nil {
		b.Fatal(err)
	}
	saved, _ := save(b, cache)
	b.Run("save", func(b *testing.B) {
		b.SetBytes(int64(len(saved)))
		b.ReportAllocs()
		for b.Loop() {
			w := wire.NewWriter(io.Discard)
			if err := cache.Save(w, io.Discard, -1); err != nil {
				b.Fatal(err)
			}
			if err := w.Flush(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("read", func(b *testing.B) {
		b.SetBytes(int64(len(saved)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ReadCache(wire.NewReader(saved), nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
