package serve

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/errwiki/errwiki/internal/build"
)

// DefaultRenderTimeout is how long a file may take to render when Options
// set no other limit. A page of the shipped wiki takes milliseconds.
const DefaultRenderTimeout = 5 * time.Second

// maxLate is how many renders may still be running past their deadline
// before the server starts no more. Each keeps a core busy, maybe for good.
const maxLate = 4

// renders runs the renders of a site's files under a deadline. A render
// runs a site's own templates, which html/template cannot interrupt:
// {{range 100000000000000}}{{end}} runs for days. So each render runs in a
// goroutine of its own, and its callers stop waiting for it at its deadline.
// A render given up on still ends, if ever, only in its own build's pages,
// which the server installs or serves only from the callers' results: it
// cannot replace a newer build.
type renders struct {
	timeout time.Duration
	max     int // renders past their deadline before no more start

	mu      sync.Mutex
	running map[renderKey]*renderCall
	late    int // renders still running past their deadline
}

type renderKey struct {
	files *build.Pages
	name  string
}

// A renderCall is one render of one file, waited for by every request for
// that file until it ends or its deadline passes.
type renderCall struct {
	done     chan struct{} // closed when the render has ended
	deadline time.Time
	data     []byte
	ok       bool
	err      error
	ended    bool // under renders.mu
	late     bool // under renders.mu: counted in renders.late
}

func newRenders(timeout time.Duration) *renders {
	if timeout <= 0 {
		timeout = DefaultRenderTimeout
	}
	return &renders{timeout: timeout, max: maxLate, running: map[renderKey]*renderCall{}}
}

// file returns the file called name, as files.File does, unless rendering it
// takes longer than the deadline or ctx is done first.
func (rs *renders) file(ctx context.Context, files *build.Pages, name string) (data []byte, ok bool, err error) {
	data, ok, err = rs.do(ctx, renderKey{files, name}, func() ([]byte, bool, error) { return files.File(name) })
	if err == errLate {
		page, tmpl := files.Origin(name)
		if tmpl == "" {
			return nil, true, fmt.Errorf("making %s took longer than %v", page, rs.timeout)
		}
		return nil, true, fmt.Errorf("rendering %s with %s took longer than %v; a template may loop without end", page, tmpl, rs.timeout)
	}
	return data, ok, err
}

// errLate is what do returns for a render past its deadline.
var errLate = errors.New("render past its deadline")

// do returns the result of render, started in a goroutine of its own, or
// errLate once the deadline has passed, or ctx's error once ctx is done. A
// render of the same key already under way is waited for, not started
// again, so that asking again for a page that loops starts no other loop.
func (rs *renders) do(ctx context.Context, key renderKey, render func() ([]byte, bool, error)) ([]byte, bool, error) {
	rs.mu.Lock()
	c := rs.running[key]
	if c == nil {
		if rs.late >= rs.max {
			late := rs.late
			rs.mu.Unlock()
			return nil, true, fmt.Errorf("%d renders are still running past their %v deadline, each keeping a core busy: "+
				"fix the template, then stop errwiki serve (Ctrl+C) and start it again", late, rs.timeout)
		}
		c = rs.start(key, render)
	}
	rs.mu.Unlock()

	wait := time.NewTimer(time.Until(c.deadline))
	defer wait.Stop()
	select {
	case <-c.done:
		return c.data, c.ok, c.err
	case <-ctx.Done():
		return nil, true, ctx.Err()
	case <-wait.C:
		select {
		case <-c.done: // ended just in time
			return c.data, c.ok, c.err
		default:
			return nil, true, errLate
		}
	}
}

// start runs render in a goroutine, as the call for key. rs.mu is held.
func (rs *renders) start(key renderKey, render func() ([]byte, bool, error)) *renderCall {
	c := &renderCall{done: make(chan struct{}), deadline: time.Now().Add(rs.timeout)}
	rs.running[key] = c
	// Counted at the deadline whether anyone still waits or not.
	timer := time.AfterFunc(rs.timeout, func() {
		rs.mu.Lock()
		defer rs.mu.Unlock()
		if !c.ended {
			c.late = true
			rs.late++
		}
	})
	go func() {
		var (
			data []byte
			ok   bool
			err  error
		)
		func() {
			defer func() {
				if v := recover(); v != nil {
					ok, err = true, fmt.Errorf("rendering %s: %v", key.name, v)
				}
			}()
			data, ok, err = render()
		}()
		timer.Stop()
		rs.mu.Lock()
		c.data, c.ok, c.err, c.ended = data, ok, err, true
		if c.late {
			rs.late--
		}
		delete(rs.running, key)
		rs.mu.Unlock()
		close(c.done)
	}()
	return c
}
