package content

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/adrg/frontmatter"
	"go.yaml.in/yaml/v3"
)

// positions locate the fields of one file: lines maps a field path
// ("causes", "faq[1].answer") to its line, the empty path to the line of the
// opening "---"; bad holds the paths that could not be decoded, which
// validation then leaves alone instead of reporting them twice.
type positions struct {
	lines map[string]int
	bad   map[string]bool
}

// line returns the line of path, or of its nearest recorded parent, or of the
// front matter itself when the field is absent.
func (p positions) line(path string) int {
	for {
		if l, ok := p.lines[path]; ok {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return p.lines[""]
		}
		path = path[:i]
	}
}

// parseFrontMatter splits text into its YAML front matter, decoded into
// root, and the body after it.
//
// frontmatter ends the block at the first line that is "---" once trimmed,
// but YAML ends a document only at a "---" in the first column: an indented
// one is text inside a block scalar. So frontmatter reads a copy in which
// every indented "---" line has a changed first dash, of the same length,
// and the YAML is decoded from text at the same offsets.
func parseFrontMatter(text []byte, root *yaml.Node) (body []byte, err error) {
	hidden := text
	for off := 0; off < len(text); {
		line, _, _ := bytes.Cut(text[off:], []byte("\n"))
		if trimmed := bytes.TrimSpace(line); string(trimmed) == "---" && line[0] != '-' {
			if len(hidden) > 0 && &hidden[0] == &text[0] {
				hidden = bytes.Clone(text)
			}
			hidden[off+bytes.IndexByte(line, '-')] = '~'
		}
		off += len(line) + 1
	}
	var yamlLen int
	format := frontmatter.NewFormat("---", "---", func(y []byte, _ any) error {
		yamlLen = len(y)
		return nil
	})
	rest, err := frontmatter.MustParse(bytes.NewReader(hidden), nil, format)
	if err != nil {
		return nil, err
	}
	// The YAML ends where the closing "---" line starts, just before rest.
	head := bytes.TrimSuffix(text[:len(text)-len(rest)], []byte("\n"))
	closing := bytes.LastIndexByte(head, '\n') + 1
	if err := yaml.Unmarshal(text[closing-yamlLen:closing], root); err != nil {
		return nil, err
	}
	return text[len(text)-len(rest):], nil
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// decodeFile splits a content file into front matter and body and decodes the
// front matter strictly into v, a pointer to a struct. Problems are appended
// to errs with real file lines; the returned positions locate every field.
// ok is false when the front matter could not be read at all, and checking
// its fields would only repeat that error.
func decodeFile(file string, data []byte, v any, errs *ErrorList) (body []byte, pos positions, ok bool) {
	// The front matter starts at the first non-blank line, as frontmatter.Parse finds it.
	start := 1
	for rest := data; ; start++ {
		line, after, found := bytes.Cut(rest, []byte("\n"))
		if len(bytes.TrimSpace(line)) > 0 || !found {
			break
		}
		rest = after
	}
	// Sized for a full article, so that recording its fields never grows the map.
	pos = positions{lines: make(map[string]int, 64), bad: map[string]bool{}}
	pos.lines[""] = start
	if !utf8.Valid(data) {
		*errs = append(*errs, invalidUTF8(file, data))
		return nil, pos, false
	}
	// A byte order mark is an editor's way of saying UTF-8; it is not text.
	text := bytes.TrimPrefix(data, []byte("\uFEFF"))
	var root yaml.Node
	body, err := parseFrontMatter(text, &root)
	if err != nil {
		line, msg := start, err.Error()
		if errors.Is(err, frontmatter.ErrNotFound) {
			msg = "no front matter: the file must start with a line \"---\", the YAML fields, and another \"---\""
		} else if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			// The YAML parser counts lines from 0 where its scanner counts
			// from 1; its problems are the "did not find expected" ones.
			if strings.HasPrefix(m[2], "did not find expected") {
				n++
			}
			line, msg = start+n, "invalid YAML: "+m[2]
		} else {
			msg = "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")
		}
		*errs = append(*errs, &Error{File: file, Line: line, Msg: msg})
		return nil, pos, false
	}
	// The body is the end of the file; slice it from data rather than keep
	// the parser's larger buffer alive.
	body = data[len(data)-len(body):]
	d := decoder{file: file, offset: start, pos: pos, errs: errs}
	if len(root.Content) == 0 {
		d.fail(start, "", "the front matter is empty")
		return body, pos, false
	}
	d.value(root.Content[0], start, reflect.ValueOf(v).Elem(), "")
	return body, pos, true
}

// A decoder copies a YAML node tree into typed Go values, reporting unknown
// fields and type mismatches by field path and file line.
type decoder struct {
	file   string
	offset int // file line of the "---" that opens the front matter
	pos    positions
	errs   *ErrorList
}

func (d *decoder) fail(line int, path, msg string) {
	*d.errs = append(*d.errs, &Error{File: d.file, Line: line, Field: path, Msg: msg})
}

// value decodes n into v. line is where the field starts: its key's line for
// a struct field, the item's own line for a list item.
func (d *decoder) value(n *yaml.Node, line int, v reflect.Value, path string) {
	if path != "" {
		d.pos.lines[path] = line
	}
	if n.Kind == yaml.AliasNode {
		// Following aliases could make a few lines expand without bound.
		d.pos.bad[path] = true
		d.fail(line, path, "YAML aliases (*name) are not supported; write the value out")
		return
	}
	if n.Tag == "!!null" {
		return
	}
	if u, ok := v.Addr().Interface().(yaml.Unmarshaler); ok {
		if err := u.UnmarshalYAML(n); err != nil {
			d.pos.bad[path] = true
			d.fail(line, path, err.Error())
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		d.value(n, line, v.Elem(), path)
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			d.mismatch(n, line, path, "a mapping of fields")
			return
		}
		fields := fieldsOf(v.Type())
		present := func(key string) bool {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == key {
					return true
				}
			}
			return false
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			sub := k.Value
			if path != "" {
				sub = path + "." + k.Value
			}
			// YAML 1.2 makes a repeated key an error; the last one would win.
			if j := slices.IndexFunc(n.Content[:i], func(p *yaml.Node) bool { return p.Value == k.Value }); j >= 0 && j%2 == 0 {
				d.fail(k.Line+d.offset, sub, fmt.Sprintf("duplicate field; line %d has it already", n.Content[j].Line+d.offset))
				continue
			}
			idx, ok := fields.index[k.Value]
			if !ok {
				d.fail(k.Line+d.offset, sub, "unknown field"+suggest(k.Value, fields.names))
				// A misspelled field is reported once, not again as missing.
				if near := closest(k.Value, fields.names); near != "" && !present(near) {
					d.pos.bad[strings.TrimPrefix(path+"."+near, ".")] = true
				}
				continue
			}
			d.value(val, k.Line+d.offset, field(v, idx), sub)
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.mismatch(n, line, path, "a list")
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			d.value(item, item.Line+d.offset, s.Index(i), path+"["+strconv.Itoa(i)+"]")
		}
		v.Set(s)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.mismatch(n, line, path, "a string")
			return
		}
		v.SetString(n.Value)
	default:
		if n.Kind != yaml.ScalarNode {
			d.mismatch(n, line, path, "a "+v.Kind().String())
			return
		}
		if err := n.Decode(v.Addr().Interface()); err != nil {
			d.mismatch(n, line, path, "a "+v.Kind().String())
		}
	}
}

func (d *decoder) mismatch(n *yaml.Node, line int, path, want string) {
	d.pos.bad[path] = true
	var got string
	switch n.Kind {
	case yaml.MappingNode:
		got = "a mapping"
		if want == "a string" {
			got += ` (quote text that contains ": ")`
		}
	case yaml.SequenceNode:
		got = "a list"
	default:
		got = strconv.Quote(n.Value)
	}
	d.fail(line, path, fmt.Sprintf("expected %s, got %s", want, got))
}

// invalidUTF8 reports the first byte of data that is not UTF-8, by line.
func invalidUTF8(file string, data []byte) *Error {
	valid := data
	for len(valid) > 0 {
		r, size := utf8.DecodeRune(valid)
		if r == utf8.RuneError && size == 1 {
			break
		}
		valid = valid[size:]
	}
	at := len(data) - len(valid)
	line := 1 + bytes.Count(data[:at], []byte("\n"))
	return &Error{File: file, Line: line, Msg: fmt.Sprintf("invalid UTF-8 (byte 0x%02x); save the file as UTF-8", data[at])}
}

type structFields struct {
	index map[string][]int // yaml name → field index, through inlined structs
	names []string         // yaml names in declaration order, for suggestions
}

var fieldCache sync.Map // reflect.Type → *structFields

// fieldsOf lists the fields of t that carry a yaml tag, and those of the
// embedded struct pointers it inlines (`yaml:",inline"`).
func fieldsOf(t reflect.Type) *structFields {
	if f, ok := fieldCache.Load(t); ok {
		return f.(*structFields)
	}
	f := &structFields{index: map[string][]int{}}
	for i := range t.NumField() {
		field := t.Field(i)
		name, opts, _ := strings.Cut(field.Tag.Get("yaml"), ",")
		if field.Anonymous && opts == "inline" && field.Type.Kind() == reflect.Pointer {
			inner := fieldsOf(field.Type.Elem())
			for _, n := range inner.names {
				f.index[n] = append([]int{i}, inner.index[n]...)
				f.names = append(f.names, n)
			}
			continue
		}
		if name == "" || name == "-" {
			continue
		}
		f.index[name] = []int{i}
		f.names = append(f.names, name)
	}
	fieldCache.Store(t, f)
	return f
}

// field returns the field of v at index, allocating the structs it is
// inlined from on the way.
func field(v reflect.Value, index []int) reflect.Value {
	for i, x := range index {
		if i > 0 {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v
}
