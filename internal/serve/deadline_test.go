package serve

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestRendersDeadline drives the deadline with renders that end when the
// test says: one that ends in time, one given up on, asked for again, the
// bound on renders past their deadline, and what a late render leaves.
func TestRendersDeadline(t *testing.T) {
	const timeout = 200 * time.Millisecond
	rs := newRenders(timeout)
	rs.max = 2
	ctx := context.Background()
	release := make(chan struct{})
	var started atomic.Int32
	stuck := func() ([]byte, bool, error) {
		started.Add(1)
		<-release
		return []byte("late"), true, nil
	}
	quick := func(data string) func() ([]byte, bool, error) {
		return func() ([]byte, bool, error) { return []byte(data), true, nil }
	}
	late := func() int {
		rs.mu.Lock()
		defer rs.mu.Unlock()
		return rs.late
	}
	key := func(name string) renderKey { return renderKey{name: name} }

	if data, ok, err := rs.do(ctx, key("a"), quick("a")); string(data) != "a" || !ok || err != nil {
		t.Fatalf("quick render: %q %v %v", data, ok, err)
	}
	if _, _, err := rs.do(ctx, key("b"), stuck); err != errLate {
		t.Fatalf("stuck render: %v, want errLate", err)
	}
	if _, _, err := rs.do(ctx, key("b"), stuck); err != errLate || started.Load() != 1 {
		t.Fatalf("asked again: %v after %d starts, want errLate and no second start", err, started.Load())
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := rs.do(cancelled, key("c"), stuck); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled wait: %v", err)
	}
	waitFor(t, func() bool { return late() == 2 }) // b and c, which nobody waits for

	_, _, err := rs.do(ctx, key("d"), quick("d"))
	const full = "2 renders are still running past their 200ms deadline, each keeping a core busy"
	if err == nil || !strings.HasPrefix(err.Error(), full) {
		t.Fatalf("render beyond the bound: %v, want %q", err, full)
	}

	close(release)
	waitFor(t, func() bool { return late() == 0 })
	// No late result is kept for later: asking again starts a new render.
	if data, _, err := rs.do(ctx, key("b"), quick("new")); string(data) != "new" || err != nil {
		t.Fatalf("after the late render ended: %q %v, want a new render", data, err)
	}
	if _, _, err := rs.do(ctx, key("e"), func() ([]byte, bool, error) { panic("boom") }); err == nil || err.Error() != "rendering e: boom" {
		t.Errorf("panicking render: %v", err)
	}
}
