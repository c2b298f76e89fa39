package build

import (
	"bytes"
	"sync"
)

// A writeQueue hands files to one goroutine that writes them to out, so
// that rendering goes on while the kernel creates files, and no two
// threads contend for the same directory. It holds at most depth files
// and, unless it holds one file alone, at most room bytes, so that the
// files waiting for a slow disk hold at most that much memory.
type writeQueue struct {
	out   Output
	files chan queued
	done  chan struct{}
	pool  sync.Pool
	room  int

	mu     sync.Mutex
	freed  *sync.Cond // a file was written, or a write failed
	queued int        // bytes queued
	err    error
}

type queued struct {
	name string
	buf  *bytes.Buffer
}

func newWriteQueue(out Output, depth, room int) *writeQueue {
	q := &writeQueue{out: out, files: make(chan queued, depth), done: make(chan struct{}), room: room}
	q.freed = sync.NewCond(&q.mu)
	q.pool.New = func() any { return new(bytes.Buffer) }
	go func() {
		defer close(q.done)
		for f := range q.files {
			var err error
			if q.failed() == nil {
				err = out.WriteFile(f.name, f.buf.Bytes())
			}
			q.mu.Lock()
			if err != nil {
				q.err = err
			}
			q.queued -= f.buf.Len()
			q.freed.Broadcast()
			q.mu.Unlock()
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

// WriteFile queues a copy of data for writing, once the queue has room for
// it. It returns the error of an earlier write, if one failed.
func (q *writeQueue) WriteFile(name string, data []byte) error {
	q.mu.Lock()
	for q.err == nil && q.queued > 0 && q.queued+len(data) > q.room {
		q.freed.Wait()
	}
	err := q.err
	if err == nil {
		q.queued += len(data)
	}
	q.mu.Unlock()
	if err != nil {
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
