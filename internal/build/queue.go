package build

import (
	"bytes"
	"cmp"
	"sync"
)

// A writeQueue hands files to one goroutine that writes them to out, so
// that rendering goes on while the kernel creates files, and two threads
// seldom contend for the same directory. When the writer falls behind and
// the queue is full, the goroutine with a file to write writes it itself
// rather than wait: a core never idles for the writer.
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
				q.fail(out.WriteFile(f.name, f.buf.Bytes()))
			}
			f.buf.Reset()
			q.pool.Put(f.buf)
		}
	}()
	return q
}

// fail records err if it is the first error.
func (q *writeQueue) fail(err error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.err = cmp.Or(q.err, err)
}

func (q *writeQueue) failed() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.err
}

// WriteFile queues a copy of data for writing, or writes it when the
// queue is full. It returns the error of an earlier write, if one failed.
func (q *writeQueue) WriteFile(name string, data []byte) error {
	if err := q.failed(); err != nil {
		return err
	}
	if len(q.files) == cap(q.files) {
		err := q.out.WriteFile(name, data)
		q.fail(err)
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
