package build

import (
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"testing"
)

// failAfter is an Output that fails every write after the first n.
type failAfter struct {
	n, calls atomic.Int64
	Memory
}

var errDiskFull = errors.New("disk full")

func (f *failAfter) WriteFile(name string, data []byte) error {
	if f.calls.Add(1) > f.n.Load() {
		return errDiskFull
	}
	return f.Memory.WriteFile(name, data)
}

func TestWriteQueue(t *testing.T) {
	jobs := make([]job, 100)
	for i := range jobs {
		jobs[i] = job{name: fmt.Sprintf("f%03d", i), maker: &maker{gen: func(w io.Writer, _ any) error {
			_, err := fmt.Fprintf(w, "file %d", i)
			return err
		}}}
	}
	for _, tc := range []struct {
		name    string
		failAt  int64 // writes that succeed
		depth   int
		wantErr error
	}{
		{"all written", 1000, 4, nil},
		{"queue deeper than the site", 1000, 256, nil},
		{"first write fails", 0, 4, errDiskFull},
		{"write fails midway", 50, 4, errDiskFull},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := &failAfter{}
			out.n.Store(tc.failAt)
			q := newWriteQueue(out, tc.depth)
			err := errors.Join(generate(jobs, q), q.close())
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
				t.Fatalf("error %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr != nil {
				return
			}
			names := out.Names()
			if len(names) != len(jobs) {
				t.Fatalf("%d files written, want %d", len(names), len(jobs))
			}
			for i, name := range names {
				data, _ := out.File(name)
				if want := fmt.Sprintf("file %d", i); string(data) != want {
					t.Errorf("%s holds %q, want %q", name, data, want)
				}
			}
		})
	}
}
