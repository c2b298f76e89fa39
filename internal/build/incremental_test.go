package build

import (
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
