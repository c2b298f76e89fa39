package build

import (
	"crypto/sha256"
	"encoding"
	"encoding/binary"
	"fmt"
	"hash"
	"math"
	"reflect"
	"sync"

	"github.com/errwiki/errwiki/internal/content"
)

// A digester digests values by what they hold: every exported field of a
// struct, every element of a slice, what a pointer points to. A file made
// from a value by code that sees nothing else is then keyed by construction:
// the page data of render shows templates nothing but what it holds.
//
// Values must not change while a digester is in use: it digests what a
// pointer points to once, and takes the digest for the pointer after, so
// that what many pages share (the site's data) costs one digest.
type digester struct {
	mu   sync.Mutex
	seen map[pointer]content.Digest
}

// A pointer is a pointer's address and type: a struct and its first field
// share an address.
type pointer struct {
	addr uintptr
	typ  reflect.Type
}

func newDigester() *digester { return &digester{seen: map[pointer]content.Digest{}} }

// digest returns the digest of v.
func (d *digester) digest(v any) content.Digest {
	h := sha256.New()
	d.value(h, reflect.ValueOf(v))
	return content.Digest(h.Sum(nil))
}

var binaryMarshaler = reflect.TypeFor[encoding.BinaryMarshaler]()

func (d *digester) value(h hash.Hash, v reflect.Value) {
	var buf [binary.MaxVarintLen64 + 1]byte
	uvarint := func(n uint64) { h.Write(binary.AppendUvarint(buf[:0], n)) }
	if !v.IsValid() {
		h.Write([]byte{0})
		return
	}
	if v.Type().Implements(binaryMarshaler) && v.Kind() != reflect.Pointer {
		// A time.Time is what its binary form says, not its fields.
		b, err := v.Interface().(encoding.BinaryMarshaler).MarshalBinary()
		if err != nil {
			panic(fmt.Sprintf("digest %s: %v", v.Type(), err))
		}
		uvarint(uint64(len(b)))
		h.Write(b)
		return
	}
	switch v.Kind() {
	case reflect.String:
		uvarint(uint64(v.Len()))
		h.Write([]byte(v.String()))
	case reflect.Bool:
		if v.Bool() {
			h.Write([]byte{1})
		} else {
			h.Write([]byte{0})
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		h.Write(binary.AppendVarint(buf[:0], v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		uvarint(v.Uint())
	case reflect.Float32, reflect.Float64:
		uvarint(math.Float64bits(v.Float()))
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			uvarint(uint64(v.Len()))
			h.Write(v.Bytes())
			return
		}
		fallthrough
	case reflect.Array:
		uvarint(uint64(v.Len()))
		for i := range v.Len() {
			d.value(h, v.Index(i))
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			// What encoding/json and text/template see: exported fields,
			// and the fields promoted from embedded structs of any name.
			if f := t.Field(i); f.IsExported() || f.Anonymous {
				d.value(h, v.Field(i))
			}
		}
	case reflect.Pointer:
		if v.IsNil() {
			h.Write([]byte{0})
			return
		}
		h.Write([]byte{1})
		p := pointer{v.Pointer(), v.Type()}
		d.mu.Lock()
		sum, ok := d.seen[p]
		d.mu.Unlock()
		if !ok {
			h := sha256.New()
			d.value(h, v.Elem())
			sum = content.Digest(h.Sum(nil))
			d.mu.Lock()
			d.seen[p] = sum
			d.mu.Unlock()
		}
		h.Write(sum[:])
	case reflect.Interface:
		if v.IsNil() {
			h.Write([]byte{0})
			return
		}
		t := v.Elem().Type().String()
		uvarint(uint64(len(t)))
		h.Write([]byte(t))
		d.value(h, v.Elem())
	default:
		// Maps iterate in no fixed order, and functions have no value to
		// digest: data that holds them cannot key a file.
		panic(fmt.Sprintf("digest: cannot digest a %s", v.Type()))
	}
}
