// Package wire is the binary form of the build cache: varints, strings and
// fixed-size byte strings, written through a buffer and read back with a
// sticky error. The cache is read at the start of every rebuild, so a
// Reader takes its strings from one copy of the data instead of allocating
// each, and checks every length against what is left, so that corrupt data
// is an error, never a panic or a huge allocation.
package wire

import (
	"encoding/binary"
	"errors"
	"io"
)

// ErrCorrupt reports data that ends early, holds an impossible length or
// goes on past its end.
var ErrCorrupt = errors.New("corrupt data")

// chunk is how much a Writer buffers before it writes.
const chunk = 64 << 10

// A Writer encodes values to an io.Writer. The first write error is kept
// and returned by Flush; later values are dropped.
type Writer struct {
	w   io.Writer
	buf []byte
	err error
}

// NewWriter returns a Writer to w. Call Flush when done.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w, buf: make([]byte, 0, 2*chunk)} }

// Append appends to buf what put writes, and returns the extended buffer:
// for small values encoded many times, which a Writer's buffer would
// cost more to make than they do. The Writer put gets writes nowhere else.
func Append(buf []byte, put func(w *Writer)) []byte {
	w := &Writer{buf: buf}
	put(w)
	return w.buf
}

// Uint writes v as an unsigned varint.
func (w *Writer) Uint(v uint64) {
	w.buf = binary.AppendUvarint(w.buf, v)
	w.spill()
}

// Int writes v as a signed varint.
func (w *Writer) Int(v int64) {
	w.buf = binary.AppendVarint(w.buf, v)
	w.spill()
}

// Bool writes b as one byte.
func (w *Writer) Bool(b bool) {
	var v byte
	if b {
		v = 1
	}
	w.buf = append(w.buf, v)
	w.spill()
}

// String writes s with its length.
func (w *Writer) String(s string) {
	w.buf = binary.AppendUvarint(w.buf, uint64(len(s)))
	w.buf = append(w.buf, s...)
	w.spill()
}

// Fixed writes p as it is: the reader must know its length.
func (w *Writer) Fixed(p []byte) {
	w.buf = append(w.buf, p...)
	w.spill()
}

// Len writes the length of a slice of n elements, keeping nil apart from
// empty.
func (w *Writer) Len(n int, isNil bool) {
	if isNil {
		w.Uint(0)
		return
	}
	w.Uint(uint64(n) + 1)
}

// Strings writes a slice of strings.
func (w *Writer) Strings(list []string) { PutSlice(w, list, w.String) }

// PutSlice writes a slice: its length, then put of each element.
func PutSlice[T any](w *Writer, list []T, put func(T)) {
	w.Len(len(list), list == nil)
	for _, v := range list {
		put(v)
	}
}

func (w *Writer) spill() {
	if w.w != nil && len(w.buf) >= chunk {
		w.Flush()
	}
}

// Flush writes what is buffered and returns the first error of any write.
func (w *Writer) Flush() error {
	if w.err == nil && len(w.buf) > 0 {
		_, w.err = w.w.Write(w.buf)
	}
	w.buf = w.buf[:0]
	return w.err
}

// A Reader decodes what a Writer wrote. After the first error every read
// returns a zero value, so a caller checks Err once at the end.
type Reader struct {
	data []byte
	str  string // data as a string, for strings without an allocation each
	off  int
	err  error
}

// NewReader returns a Reader of data. The strings it returns share one
// copy of data, which lives as long as any of them.
func NewReader(data []byte) *Reader { return &Reader{data: data, str: string(data)} }

// Err returns the first error met, if any.
func (r *Reader) Err() error { return r.err }

// End reports an error if one was met or if data is left unread.
func (r *Reader) End() error {
	if r.err == nil && r.off != len(r.data) {
		r.err = ErrCorrupt
	}
	return r.err
}

func (r *Reader) fail() { r.err = ErrCorrupt }

// Uint reads an unsigned varint.
func (r *Reader) Uint() uint64 { return varint(r, binary.Uvarint) }

// Int reads a signed varint.
func (r *Reader) Int() int64 { return varint(r, binary.Varint) }

// varint reads one varint with decode: binary.Uvarint or binary.Varint.
func varint[T uint64 | int64](r *Reader, decode func([]byte) (T, int)) T {
	if r.err != nil {
		return 0
	}
	v, n := decode(r.data[r.off:])
	if n <= 0 {
		r.fail()
		return 0
	}
	r.off += n
	return v
}

// Bool reads one byte written by Writer.Bool.
func (r *Reader) Bool() bool {
	switch v := r.Uint(); v {
	case 0, 1:
		return v == 1
	default:
		r.fail()
		return false
	}
}

// size reads a length of at most what is left to read.
func (r *Reader) size() int {
	n := r.Uint()
	if n > uint64(len(r.data)-r.off) {
		r.fail()
		return 0
	}
	return int(n)
}

// String reads a string.
func (r *Reader) String() string {
	n := r.size()
	if r.err != nil {
		return ""
	}
	s := r.str[r.off : r.off+n]
	r.off += n
	return s
}

// Fixed fills p with the next len(p) bytes.
func (r *Reader) Fixed(p []byte) {
	if r.err != nil {
		return
	}
	if len(p) > len(r.data)-r.off {
		r.fail()
		return
	}
	r.off += copy(p, r.data[r.off:])
}

// Len reads a slice length written by Writer.Len. Each element takes at
// least one byte, so a length beyond what is left is an error.
func (r *Reader) Len() (n int, isNil bool) {
	v := r.size()
	if r.err != nil || v == 0 {
		return 0, true
	}
	return v - 1, false
}

// Strings reads a slice of strings.
func (r *Reader) Strings() []string { return GetSlice(r, r.String) }

// GetSlice reads a slice written by PutSlice, calling get for each element.
func GetSlice[T any](r *Reader, get func() T) []T {
	n, isNil := r.Len()
	if isNil {
		return nil
	}
	list := make([]T, n)
	for i := range list {
		list[i] = get()
	}
	return list
}
