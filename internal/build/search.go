package build

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/errwiki/errwiki/internal/content"
)

// The search box's index is an inverted index split so that a query
// fetches a small part of it, whatever the size of the wiki (the way
// Pagefind splits its index):
//
//   - _search/meta.json, fetched when the search box is first focused: the
//     collections and the range of document numbers each holds, the
//     unofficial codes, and how the rest is split;
//   - _search/t<n>.json, the terms: every term maps to its documents, each
//     with the field it was found in. All terms that start with the same
//     two characters are in the same file (the FNV-1a hash of those
//     characters, modulo the number of files), so a word, its prefixes as
//     one types and its misspellings past the second letter are in one
//     file; when very many documents share two characters ("re"), their
//     terms are filed by three;
//   - _search/d<n>.json, the documents to show, searchChunk to a file.
//
// A term is a word of a field, or a whole field: the code, the name, each
// alias and each message, its words joined by single spaces, so that
// "bad gateway" and "5.7.1" are found whole. static/search.js splits text
// into words exactly as searchWords does.

// Field classes, in the order search ranks them: a posting keeps the
// highest class its term has in the document.
const (
	classCause       = 1 // a word of a cause
	classSummary     = 2 // a word of the summary
	classTagline     = 3 // a word of the tagline
	classAliasWord   = 4 // a word of an alias, a message or the source
	classNameWord    = 5 // a word of the name
	classAliasWhole  = 7 // a whole alias or message
	classNameWhole   = 8 // the whole name
	classCodeWhole   = 9 // the code
	searchChunk      = 64
	searchSplit      = 4096 // postings of a two-character key before its terms are filed by three
	searchPerBucket  = 64   // articles per term file, so a file's share of the index stays put as the wiki grows
	searchMetaFile   = "_search/meta.json"
	searchFileFormat = 1
)

// searchLayout returns how many term and document files a wiki of n
// articles has. It depends on n alone, so that the list of output files
// is known before the index is made.
func searchLayout(n int) (buckets, chunks int) {
	return max(1, (n+searchPerBucket-1)/searchPerBucket), max(1, (n+searchChunk-1)/searchChunk)
}

func searchTermFile(i int) string { return fmt.Sprintf("_search/t%d.json", i) }
func searchDocFile(i int) string  { return fmt.Sprintf("_search/d%d.json", i) }

// searchWords splits s into lower-cased words: runs of letters and
// digits, with a dot between two digits kept ("5.7.1", "1.1").
func searchWords(s string) []string { return appendSearchWords(nil, s) }

// appendSearchWords appends the words of s, as searchWords splits it, to
// words.
func appendSearchWords(words []string, s string) []string {
	s = strings.ToLower(s)
	start, prev := -1, rune(0)
	for i, n := 0, 0; i < len(s); i += n {
		r, word := rune(s[i]), false
		if n = 1; r < utf8.RuneSelf {
			word = asciiWord[r]
		} else {
			r, n = utf8.DecodeRuneInString(s[i:])
			word = unicode.IsLetter(r) || unicode.IsDigit(r)
		}
		switch {
		case word:
			if start < 0 {
				start = i
			}
		case r == '.' && start >= 0 && unicode.IsDigit(prev) && i+1 < len(s) && unicode.IsDigit(nextRune(s[i+1:])):
		default:
			if start >= 0 {
				words = append(words, s[start:i])
				start = -1
			}
		}
		prev = r
	}
	if start >= 0 {
		words = append(words, s[start:])
	}
	return words
}

// asciiWord tells the ASCII letters and digits.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c))
	}
	return t
}()

func nextRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// searchStopWords are left out of the word terms of every field (a whole
// field keeps them): they would list nearly every article. None is longer
// than searchStopLen bytes.
var searchStopWords = map[string]bool{
	"a": true, "an": true, "and": true, "are": true, "as": true, "at": true, "be": true, "by": true,
	"for": true, "from": true, "if": true, "in": true, "is": true, "it": true, "its": true, "of": true,
	"on": true, "or": true, "that": true, "the": true, "this": true, "to": true, "was": true, "with": true,
}

const searchStopLen = 4

// searchWord reports whether w is a word term: not a stop word, and not a
// single letter.
func searchWord(w string) bool {
	if len(w) <= searchStopLen && searchStopWords[w] {
		return false
	}
	r, n := utf8.DecodeRuneInString(w)
	return n < len(w) || unicode.IsDigit(r)
}

// searchKey returns the characters of term that choose its term file:
// its first two, or three when the first two are in split, each
// character that is not a-z or 0-9 as '_'.
func searchKey(term string, split map[string]bool) string {
	var key [3]byte
	n := 0
	for _, r := range term {
		if n == 3 || n == 2 && !split[string(key[:2])] {
			break
		}
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			key[n] = byte(r)
		} else {
			key[n] = '_'
		}
		n++
	}
	return string(key[:n])
}

// searchBucket returns the number of the term file that holds the terms
// of key: FNV-1a of key, modulo the number of files.
func searchBucket(key string, buckets int) int {
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32() % uint32(buckets))
}

// mdLinkTarget matches the target of a Markdown link, which is not text a
// reader sees.
var mdLinkTarget = regexp.MustCompile(`\]\([^)]*\)`)

// searchIndex is the index, encoded: the meta file and the term files.
// The document files are made on their own (searchDocs): they show what
// other pages show of an article, which a lean site holds.
type searchIndex struct {
	meta  []byte
	terms [][]byte
}

// searchFiles hands out the files of an index, made when the first is
// asked for, and lets each go once it is taken, so that the index of a
// large wiki is not held while its pages are made. A file taken a second
// time is made again.
type searchFiles struct {
	in  *searchInput
	mu  sync.Mutex
	idx *searchIndex // nil before the first file and after the last
	n   int          // files not taken yet
}

func (f *searchFiles) take(file func(*searchIndex) *[]byte) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.idx == nil || *file(f.idx) == nil {
		idx, err := buildSearchIndex(f.in)
		if err != nil {
			return nil, err
		}
		f.idx, f.n = idx, 1+len(idx.terms)
	}
	p := file(f.idx)
	data := *p
	*p = nil
	if f.n--; f.n == 0 {
		f.idx = nil
	}
	return data, nil
}

// searchMeta is _search/meta.json.
type searchMeta struct {
	Format      int                `json:"format"`
	Version     string             `json:"v"`       // digest of the other files, to tell a new build's from a cached old one
	Base        string             `json:"base"`    // the site's base path
	Buckets     int                `json:"buckets"` // term files
	Chunk       int                `json:"chunk"`   // documents a document file
	Collections []searchCollection `json:"collections"`
	Split       []string           `json:"split"`      // two-character keys whose terms are filed by three
	Unofficial  []int              `json:"unofficial"` // document numbers, each as the difference from the one before (the first from -1)
}

// searchCollection is a collection and its documents, numbered from first.
type searchCollection struct {
	Key   string `json:"key"`
	Name  string `json:"name"`
	First int    `json:"first"`
	Count int    `json:"count"`
}

// searchDoc is what a result shows: code, name, slug and summary.
type searchDoc [4]string

// searchInput is what the index is made from, and what keys its files:
// the collections, and a digest of every article's file and front matter,
// in order (all of an article that search reads is its front matter).
type searchInput struct {
	Base        string
	Collections []searchCollection
	Articles    content.Digest

	articles []*content.Article
	full     Full
}

func searchInputOf(s *content.Site, full Full) *searchInput {
	in := &searchInput{Base: s.BasePath(), full: full}
	for _, c := range s.Collections {
		in.Collections = append(in.Collections, searchCollection{c.Key, c.Name, len(in.articles), len(c.Articles)})
		in.articles = append(in.articles, c.Articles...)
	}
	h := sha256.New()
	for _, a := range in.articles {
		h.Write(binary.AppendUvarint(nil, uint64(len(a.File))))
		h.Write([]byte(a.File))
		h.Write(a.Meta[:])
	}
	in.Articles = content.Digest(h.Sum(nil))
	return in
}

// searchBatch is how many articles the index reads whole, and finds the
// terms of, at once.
const searchBatch = 256

// searchTerm is a term of an article with its best class.
type searchTerm struct {
	term  string
	class int
}

// A termFinder finds the terms of articles, one after the other, reusing
// its map and its words.
type termFinder struct {
	best  map[string]int
	words []string
}

var termFinders = sync.Pool{New: func() any { return &termFinder{best: map[string]int{}} }}

// searchTerms returns the terms of a whole article, each once with its
// best class, in no particular order.
func searchTerms(a *content.Article) []searchTerm {
	f := termFinders.Get().(*termFinder)
	defer termFinders.Put(f)
	return f.terms(a)
}

func (f *termFinder) terms(a *content.Article) []searchTerm {
	clear(f.best)
	add := func(term string, class int) {
		if f.best[term] < class {
			f.best[term] = class
		}
	}
	whole := func(s string, class, wordClass int) {
		f.words = appendSearchWords(f.words[:0], s)
		if len(f.words) > 0 {
			add(strings.Join(f.words, " "), class)
		}
		for _, w := range f.words {
			if searchWord(w) {
				add(w, wordClass)
			}
		}
	}
	text := func(s string, class int) {
		if strings.Contains(s, "](") {
			s = mdLinkTarget.ReplaceAllString(s, "]")
		}
		f.words = appendSearchWords(f.words[:0], s)
		for _, w := range f.words {
			if searchWord(w) {
				add(w, class)
			}
		}
	}
	whole(a.Code, classCodeWhole, classCodeWhole)
	whole(a.Name, classNameWhole, classNameWord)
	for _, s := range a.Aliases {
		whole(s, classAliasWhole, classAliasWord)
	}
	for _, s := range a.Messages {
		whole(s, classAliasWhole, classAliasWord)
	}
	text(a.Source, classAliasWord)
	text(a.Tagline, classTagline)
	text(a.Summary, classSummary)
	for _, s := range a.Causes {
		text(s, classCause)
	}
	terms := make([]searchTerm, 0, len(f.best))
	for term, class := range f.best {
		terms = append(terms, searchTerm{term, class})
	}
	clear(f.words[:cap(f.words)]) // not to keep the fields' words
	return terms
}

// buildSearchIndex indexes the articles of in, reading them whole and
// finding their terms on every core a batch at a time.
func buildSearchIndex(in *searchInput) (*searchIndex, error) {
	buckets, chunks := searchLayout(len(in.articles))
	meta := searchMeta{Format: searchFileFormat, Base: in.Base, Buckets: buckets, Chunk: searchChunk, Collections: in.Collections}
	idx := &searchIndex{}

	// A term enters the map as a copy, and the map is not assigned to
	// again: a term is a slice of an article's field, and a map keeps
	// the key of its latest assignment.
	postings := map[string]*postingList{}
	last := -1
	err := searchArticles(in, func(id int, a *content.Article, terms []searchTerm) {
		if a.Source != "" { // as content.Article.Standard says
			meta.Unofficial = append(meta.Unofficial, id-last)
			last = id
		}
		for _, t := range terms {
			p := postings[t.term]
			if p == nil {
				p = &postingList{}
				postings[strings.Clone(t.term)] = p
			}
			p.add(id, t.class)
		}
	})
	if err != nil {
		return nil, err
	}

	// The terms of a two-character key with more than searchSplit
	// postings are filed by three, so that a word's file stays small
	// however many articles share its first two letters.
	count := map[string]int{}
	for term, p := range postings {
		count[searchKey(term, nil)] += int(p.n)
	}
	split := map[string]bool{}
	for key, n := range count {
		if n > searchSplit && len(key) == 2 {
			split[key] = true
			meta.Split = append(meta.Split, key)
		}
	}
	slices.Sort(meta.Split)
	idx.terms = searchTermFiles(postings, split, buckets)

	digest := sha256.New()
	for _, data := range idx.terms {
		digest.Write(data)
	}
	// The document files are encoded again when they are written, so
	// that the index does not hold them until then.
	for i := range chunks {
		digest.Write(searchDocs(in, i))
	}
	if meta.Unofficial == nil {
		meta.Unofficial = []int{}
	}
	if meta.Split == nil {
		meta.Split = []string{}
	}
	meta.Version = hex.EncodeToString(digest.Sum(nil)[:6])
	idx.meta = marshalCompact(meta)
	return idx, nil
}

// searchDocs returns document file i of in: the documents of articles
// searchChunk*i on, searchChunk of them or the rest, and an empty list for
// a wiki of no articles.
func searchDocs(in *searchInput, i int) []byte {
	articles := in.articles[min(i*searchChunk, len(in.articles)):min((i+1)*searchChunk, len(in.articles))]
	docs := make([]searchDoc, len(articles))
	for j, a := range articles {
		docs[j] = searchDoc{a.Code, a.Name, a.Slug, a.Summary}
	}
	return marshalCompact(docs)
}

// A postingList is a term's documents, in order, each with the class the
// term has in it: a uvarint a document, of its difference from the one
// before (the first from 0) shifted left by four, with the class. That is
// a byte or two for the documents of a common term, where a slice of
// document numbers took four.
type postingList struct {
	data []byte
	last uint32 // the last document
	n    uint32 // documents
}

func (p *postingList) add(id, class int) {
	p.data = binary.AppendUvarint(p.data, uint64(uint32(id)-p.last)<<4|uint64(class))
	p.last = uint32(id)
	p.n++
}

// searchArticles calls f with every article of in, whole, in order, and
// its terms, found on every core a batch at a time: the terms of the next
// batch are found while f is called with those of the one before.
func searchArticles(in *searchInput, f func(id int, a *content.Article, terms []searchTerm)) error {
	type batch struct {
		first int
		whole []*content.Article
		terms [][]searchTerm
		err   error
	}
	// The batches stop at the first that failed, which ends the loop below.
	batches := make(chan *batch)
	go func() {
		defer close(batches)
		for first := 0; first < len(in.articles); first += searchBatch {
			b := &batch{first: first, whole: slices.Clone(in.articles[first:min(first+searchBatch, len(in.articles))])}
			b.terms = make([][]searchTerm, len(b.whole))
			errs := make([]error, len(b.whole))
			onCores(len(b.whole), func(i int) {
				if in.full != nil {
					if b.whole[i], errs[i] = in.full(b.whole[i]); errs[i] != nil {
						return
					}
				}
				b.terms[i] = searchTerms(b.whole[i])
			})
			b.err = errors.Join(errs...)
			batches <- b
			if b.err != nil {
				return
			}
		}
	}()
	for b := range batches {
		if b.err != nil {
			return b.err
		}
		for i, a := range b.whole {
			f(b.first+i, a, b.terms[i])
		}
	}
	return nil
}

// searchTermFiles encodes the term files from postings. Each term's
// postings are let go once encoded, and each file is kept at its size, so
// that the index is not held twice.
//
// A term file is a JSON object of terms, in order, each with its
// documents as differences from the one before and their classes. Terms
// are letters, digits, dots and spaces: nothing to escape.
func searchTermFiles(postings map[string]*postingList, split map[string]bool, buckets int) [][]byte {
	files := make([][]string, buckets)
	for term := range postings {
		b := searchBucket(searchKey(term, split), buckets)
		files[b] = append(files[b], term)
	}
	out := make([][]byte, len(files))
	var data []byte // each file is made here, and kept at its size
	for i, terms := range files {
		files[i] = nil
		slices.Sort(terms)
		data = append(data[:0], '{')
		for j, term := range terms {
			if j > 0 {
				data = append(data, ',')
			}
			data = append(append(append(data, '"'), term...), `":[`...)
			for k, rest := 0, postings[term].data; len(rest) > 0; k++ {
				v, n := binary.Uvarint(rest)
				rest = rest[n:]
				if k > 0 {
					data = append(data, ',')
				}
				data = strconv.AppendUint(data, v>>4, 10)
				data = append(data, ',', byte('0'+v&15))
			}
			data = append(data, ']')
			delete(postings, term)
		}
		data = append(data, '}')
		out[i] = bytes.Clone(data)
	}
	return out
}

// marshalCompact encodes v as JSON without escaping HTML characters, which
// the files never meet as markup, and without the final newline.
func marshalCompact(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // maps of strings to ints, slices of strings: cannot fail
	}
	return bytes.Clone(bytes.TrimSuffix(b.Bytes(), []byte("\n"))) // not the buffer's spare capacity
}
