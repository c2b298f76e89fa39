package build

import (
	"bytes"
	"crypto/sha256"
	"os"
	"testing"

	"github.com/errwiki/errwiki/internal/content"
)

// TestIdentify checks that the program is digested unless it kept the
// path, size and time it had when last digested.
func TestIdentify(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	want := content.Digest(sha256.Sum256(data))
	first, err := identify(program{})
	if err != nil {
		t.Fatal(err)
	}
	if first.Digest != want || first.Path != exe || first.Size != int64(len(data)) {
		t.Fatalf("first identify: got %+v, want the digest, path and size of %s", first, exe)
	}
	trusted := first
	trusted.Digest = content.Digest{1}
	for _, tc := range []struct {
		name string
		last program
		want content.Digest
	}{
		{"unchanged: taken from the last build", trusted, trusted.Digest},
		{"another time", program{Path: trusted.Path, Size: trusted.Size, Mod: trusted.Mod + 1, Digest: trusted.Digest}, want},
		{"another size", program{Path: trusted.Path, Size: trusted.Size + 1, Mod: trusted.Mod, Digest: trusted.Digest}, want},
		{"another path", program{Path: trusted.Path + ".old", Size: trusted.Size, Mod: trusted.Mod, Digest: trusted.Digest}, want},
		{"no digest", program{Path: trusted.Path, Size: trusted.Size, Mod: trusted.Mod}, want},
	} {
		got, err := identify(tc.last)
		if err != nil {
			t.Fatal(err)
		}
		if got.Digest != tc.want {
			t.Errorf("%s: digest %x, want %x", tc.name, got.Digest[:4], tc.want[:4])
		}
	}
}

// TestBuildCacheFile reads back the cache a build leaves, and checks that a
// damaged or foreign cache file makes the next build a full one, not a
// failed or wrong one.
func TestBuildCacheFile(t *testing.T) {
	dir := t.TempDir()
	srcDir, out := dir+"/site", dir+"/public"
	writeSite(t, srcDir, "causes: [Backend down]")
	if n := CacheSize(out); n != 0 {
		t.Errorf("CacheSize before any build = %d, want 0", n)
	}
	first, err := Site(Options{Src: srcDir, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	bc := readBuildCache(out)
	if bc == nil {
		t.Fatal("no cache read back after a build")
	}
	if len(bc.Outputs) != first.Files || bc.Program.Digest == (content.Digest{}) {
		t.Errorf("cache read back with %d outputs and program %+v; want %d outputs and a digest", len(bc.Outputs), bc.Program, first.Files)
	}
	saved, err := os.ReadFile(cachePath(out))
	if err != nil {
		t.Fatal(err)
	}
	if n := CacheSize(out); n != int64(len(saved)) {
		t.Errorf("CacheSize = %d, want the cache file's %d bytes", n, len(saved))
	}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"cut in half", saved[:len(saved)/2]},
		{"one byte more", append(bytes.Clone(saved), 0)},
		{"another version", bytes.Replace(saved, []byte(buildCacheMagic), []byte("errwiki build cache 0"), 1)},
		{"not a cache", []byte("some other file\n")},
	} {
		if err := os.WriteFile(cachePath(out), tc.data, 0o644); err != nil {
			t.Fatal(err)
		}
		if readBuildCache(out) != nil {
			t.Errorf("%s: read as a cache", tc.name)
		}
		stats, err := Site(Options{Src: srcDir, Out: out})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if stats.Rendered != stats.Files || stats.Written != 0 {
			t.Errorf("%s: %+v; want every file rendered and none written, the output being unchanged", tc.name, stats)
		}
	}
}
