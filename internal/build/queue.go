package build

import (
	"bytes"
	"sync"
)

// A writeQueue hands files to one goroutine that writes them to out, so
// that rendering goes on while the kernel creates files, and no two
// threads contend for the same directory.
type writeQueue struct {
	out   Output
	files chan queued
	done  chan struct{}
	pool  sync.Pool
	mu    sync.Mutex
	err   error
}

type queued struct {
	name string
	buf  *bytes.Buffer
}

func newWriteQueue(out Output, depth int) *writeQueue {
	q := &writeQueue{out: out, files: make(chan queued, depth), done: make(chan struct{})}
	q.pool.New = func() any { return new(bytes.Buffer) }
	go func() {
		defer close(q.done)
		for f := range q.files {
			if q.failed() == nil {
				if err := out.WriteFile(f.name, f.buf.Bytes()); err != nil {
					q.mu.Lock()
					q.err = err
					q.mu.Unlock()
				}
			}
			if f.buf.Cap() <= largeBuffer {
				f.buf.Reset()
				q.pool.Put(f.buf)
			}
		}
	}()
	return q
}

func (q *writeQueue) failed() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.err
}

// WriteFile queues a copy of data for writing. It returns the error of
// an earlier write, if one failed.
func (q *writeQueue) WriteFile(name string, data []byte) error {
	if err := q.failed(); err != nil {
		return err
	}
	buf := q.pool.Get().(*bytes.Buffer)
	buf.Write(data)
	q.files <- queued{name, buf}
	return nil
}

// close waits for every queued file to be written and returns the first
// error.
func (q *writeQueue) close() error {
	close(q.files)
	<-q.done
	return q.failed()
}
