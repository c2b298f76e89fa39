package wire

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
)

type values struct {
	U       uint64
	I       int64
	B       bool
	S       string
	F       [4]byte
	L, E, N []string
}

func write(w *Writer, v values) {
	w.Uint(v.U)
	w.Int(v.I)
	w.Bool(v.B)
	w.String(v.S)
	w.Fixed(v.F[:])
	w.Strings(v.L)
	w.Strings(v.E)
	w.Strings(v.N)
}

func read(r *Reader) values {
	var v values
	v.U = r.Uint()
	v.I = r.Int()
	v.B = r.Bool()
	v.S = r.String()
	r.Fixed(v.F[:])
	v.L = r.Strings()
	v.E = r.Strings()
	v.N = r.Strings()
	return v
}

func TestRoundTrip(t *testing.T) {
	big := strings.Repeat("x", 3*chunk) // spans flushes
	for _, want := range []values{
		{},
		{U: math.MaxUint64, I: math.MinInt64, B: true, S: "héllo", F: [4]byte{1, 2, 3, 4}, L: []string{"a", "", big}, E: []string{}},
		{I: -1, S: big, L: []string{"only"}},
	} {
		var buf bytes.Buffer
		w := NewWriter(&buf)
		write(w, want)
		write(w, want)
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		r := NewReader(buf.Bytes())
		for range 2 {
			if got := read(r); !reflect.DeepEqual(got, want) {
				t.Errorf("read %+.40v, want %+.40v", got, want)
			}
		}
		if err := r.End(); err != nil {
			t.Errorf("End() = %v", err)
		}

		// Appended after a prefix, the same values give the same bytes.
		prefix := []byte("prefix")
		got := Append(bytes.Clone(prefix), func(w *Writer) { write(w, want); write(w, want) })
		if !bytes.HasPrefix(got, prefix) || !bytes.Equal(got[len(prefix):], buf.Bytes()) {
			t.Errorf("Append gave %d bytes after the prefix, want the %d a Writer wrote", len(got)-len(prefix), buf.Len())
		}
	}
}

func TestCorrupt(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	write(w, values{U: 300, S: "some text", L: []string{"a", "b"}})
	w.Flush()
	full := buf.Bytes()
	// Every cut short of the end is an error, and reads after it give zero values.
	for n := range len(full) {
		r := NewReader(full[:n])
		read(r)
		if !errors.Is(r.End(), ErrCorrupt) {
			t.Errorf("cut at %d of %d: End() = %v", n, len(full), r.End())
		}
		if r.String() != "" || r.Uint() != 0 || r.Strings() != nil {
			t.Errorf("cut at %d: reads after an error give values", n)
		}
	}
	// Data left over is an error.
	r := NewReader(append(bytes.Clone(full), 0))
	read(r)
	if !errors.Is(r.End(), ErrCorrupt) {
		t.Errorf("trailing byte: End() = %v", r.End())
	}
	for name, data := range map[string][]byte{
		"length past the end": {0xff, 0xff, 0x03},
		"bool of 2":           {2},
		"varint too long":     bytes.Repeat([]byte{0x80}, 11),
	} {
		r := NewReader(data)
		switch name {
		case "bool of 2":
			r.Bool()
		case "varint too long":
			r.Uint()
		default:
			r.Strings()
		}
		if !errors.Is(r.Err(), ErrCorrupt) {
			t.Errorf("%s: Err() = %v", name, r.Err())
		}
	}
}

type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	f.n++
	return 0, errors.New("disk full")
}

func TestWriteError(t *testing.T) {
	f := &failWriter{}
	w := NewWriter(f)
	for range 3 {
		w.String(strings.Repeat("y", chunk))
	}
	if err := w.Flush(); err == nil || err.Error() != "disk full" {
		t.Errorf("Flush() = %v", err)
	}
	if f.n != 1 {
		t.Errorf("%d writes after the first failed one, want none", f.n-1)
	}
}

// FuzzReader reads arbitrary data: it must fail cleanly, never panic.
func FuzzReader(f *testing.F) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	write(w, values{U: 7, I: -7, B: true, S: "s", L: []string{"x"}, E: []string{}})
	w.Flush()
	f.Add(buf.Bytes())
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(data)
		v := read(r)
		if r.End() != nil {
			return
		}
		// What reads cleanly reads the same after writing it again.
		var again bytes.Buffer
		w := NewWriter(&again)
		write(w, v)
		w.Flush()
		if got := read(NewReader(again.Bytes())); !reflect.DeepEqual(got, v) {
			t.Errorf("round trip changed %+v to %+v", v, got)
		}
	})
}
