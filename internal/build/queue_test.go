package build

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"sync/atomic"
	"testing"
	"time"
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
		jobs[i] = job{maker: &maker{out: fmt.Sprintf("f%03d", i), gen: func(w io.Writer, _ any) error {
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
			q := newWriteQueue(out, tc.depth, 1<<20)
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

// gated is an Output whose writes wait until open is closed.
type gated struct {
	open chan struct{}
	Memory
}

func (g *gated) WriteFile(name string, data []byte) error {
	<-g.open
	return g.Memory.WriteFile(name, data)
}

// TestWriteQueueRoom checks that files wait to be queued while the queue
// holds as many bytes as it has room for, that a file larger than the room
// is queued alone, and that every file is written.
func TestWriteQueueRoom(t *testing.T) {
	out := &gated{open: make(chan struct{})}
	q := newWriteQueue(out, 64, 100)
	for _, f := range []struct {
		name string
		size int
	}{{"a", 60}, {"b", 40}} {
		if err := q.WriteFile(f.name, make([]byte, f.size)); err != nil {
			t.Fatal(err)
		}
	}
	queued := make(chan error)
	go func() {
		err := q.WriteFile("c", make([]byte, 1))
		if err == nil {
			err = q.WriteFile("d", make([]byte, 500))
		}
		queued <- err
	}()
	select {
	case <-queued:
		t.Fatal("a file was queued beyond the queue's room")
	case <-time.After(100 * time.Millisecond):
	}
	close(out.open)
	if err := <-queued; err != nil {
		t.Fatal(err)
	}
	if err := q.close(); err != nil {
		t.Fatal(err)
	}
	if names := out.Names(); !slices.Equal(names, []string{"a", "b", "c", "d"}) {
		t.Errorf("written %q", names)
	}
	if data, _ := out.File("d"); len(data) != 500 {
		t.Errorf("d holds %d bytes, want 500", len(data))
	}
}
