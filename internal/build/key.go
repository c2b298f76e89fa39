package build

import (
	"crypto/sha256"
	"encoding"
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"sync"

	"github.com/errwiki/errwiki/internal/content"
	"github.com/errwiki/errwiki/internal/render"
)

// A digester digests values by what they hold: every exported field of a
// struct, every element of a slice, what a pointer points to. A file made
// from a value by code that sees nothing else is then keyed by construction:
// the page data of render shows templates nothing but what it holds.
//
// Values must not change while a digester is in use: it digests what a
// pointer to shared data (the site's, a collection's, the search index's
// input, made once per build and kept to its end) points to once, and
// takes the digest for the pointer after, so that what many pages share
// costs one digest. Other pointers are followed every time: the data of a
// page is made, digested and dropped, and another page's data may later
// have its address.
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

// sharedTypes are the types of the data that pages share, made once per
// build.
var sharedTypes = map[reflect.Type]bool{
	reflect.TypeFor[*render.Site]():       true,
	reflect.TypeFor[*render.Collection](): true,
	reflect.TypeFor[*render.Category]():   true,
	reflect.TypeFor[*render.Sidebar]():    true,
	reflect.TypeFor[*searchInput]():       true,
}

func newDigester() *digester { return &digester{seen: map[pointer]content.Digest{}} }

// digest returns the digest of v.
func (d *digester) digest(v any) content.Digest {
	buf := bufPool.Get().(*[]byte)
	*buf = d.append((*buf)[:0], reflect.ValueOf(v))
	sum := sha256.Sum256(*buf)
	bufPool.Put(buf)
	return sum
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

var binaryMarshaler = reflect.TypeFor[encoding.BinaryMarshaler]()

// A typeInfo is what digesting a value of one type needs to know of it.
type typeInfo struct {
	article bool  // a content.Article: digest its file
	marshal bool  // digest its binary form
	fields  []int // for a struct: the fields to digest
}

var typeInfos sync.Map // reflect.Type → *typeInfo

func infoOf(t reflect.Type) *typeInfo {
	if ti, ok := typeInfos.Load(t); ok {
		return ti.(*typeInfo)
	}
	ti := &typeInfo{
		article: t == reflect.TypeFor[content.Article](),
		marshal: t.Kind() != reflect.Pointer && t.Implements(binaryMarshaler),
	}
	if t.Kind() == reflect.Struct {
		for i := range t.NumField() {
			// What encoding/json and text/template see: exported fields,
			// and the fields promoted from embedded structs of any name.
			if f := t.Field(i); f.IsExported() || f.Anonymous {
				ti.fields = append(ti.fields, i)
			}
		}
	}
	typeInfos.Store(t, ti)
	return ti
}

// append appends an encoding of v to b from which no other value of the
// same type has the same bytes.
func (d *digester) append(b []byte, v reflect.Value) []byte {
	if !v.IsValid() {
		return append(b, 0)
	}
	if v.Kind() == reflect.Struct {
		ti := infoOf(v.Type())
		switch {
		case ti.article:
			// An article's fields are what its file's front matter parses
			// to: its path and the front matter's digest stand for them.
			// Its body and links to other articles must be cut, as render's
			// page data cuts them; a page that shows the body says so by
			// the digest of its file.
			var a *content.Article
			if v.CanAddr() {
				a = v.Addr().Interface().(*content.Article)
			} else {
				c := v.Interface().(content.Article)
				a = &c
			}
			if a.Body != nil || a.Collection != nil || a.Category != nil || a.Related != nil || a.Prev != nil || a.Next != nil {
				panic("digest: a content.Article with its body or links")
			}
			b = append(binary.AppendUvarint(b, uint64(len(a.File))), a.File...)
			return append(b, a.Meta[:]...)
		case ti.marshal:
			// A time.Time is what its binary form says, not its fields.
			m, err := v.Interface().(encoding.BinaryMarshaler).MarshalBinary()
			if err != nil {
				panic(fmt.Sprintf("digest %s: %v", v.Type(), err))
			}
			return append(binary.AppendUvarint(b, uint64(len(m))), m...)
		}
		for _, i := range ti.fields {
			b = d.append(b, v.Field(i))
		}
		return b
	}
	switch v.Kind() {
	case reflect.String:
		s := v.String()
		return append(binary.AppendUvarint(b, uint64(len(s))), s...)
	case reflect.Bool:
		if v.Bool() {
			return append(b, 1)
		}
		return append(b, 0)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return binary.AppendVarint(b, v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return binary.AppendUvarint(b, v.Uint())
	case reflect.Float32, reflect.Float64:
		return binary.AppendUvarint(b, math.Float64bits(v.Float()))
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return append(binary.AppendUvarint(b, uint64(v.Len())), v.Bytes()...)
		}
		fallthrough
	case reflect.Array:
		b = binary.AppendUvarint(b, uint64(v.Len()))
		for i := range v.Len() {
			b = d.append(b, v.Index(i))
		}
		return b
	case reflect.Pointer:
		if v.IsNil() {
			return append(b, 0)
		}
		if !sharedTypes[v.Type()] {
			return d.append(append(b, 1), v.Elem())
		}
		p := pointer{v.Pointer(), v.Type()}
		d.mu.Lock()
		sum, ok := d.seen[p]
		d.mu.Unlock()
		if !ok {
			buf := bufPool.Get().(*[]byte)
			*buf = d.append((*buf)[:0], v.Elem())
			sum = sha256.Sum256(*buf)
			bufPool.Put(buf)
			d.mu.Lock()
			d.seen[p] = sum
			d.mu.Unlock()
		}
		return append(append(b, 1), sum[:]...)
	case reflect.Interface:
		if v.IsNil() {
			return append(b, 0)
		}
		t := v.Elem().Type().String()
		b = append(binary.AppendUvarint(b, uint64(len(t))), t...)
		return d.append(b, v.Elem())
	}
	// Maps iterate in no fixed order, and functions have no value to
	// digest: data that holds them cannot key a file.
	panic(fmt.Sprintf("digest: cannot digest a %s", v.Type()))
}
