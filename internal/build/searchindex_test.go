package build

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"github.com/errwiki/errwiki/internal/benchcorpus"
	"github.com/errwiki/errwiki/internal/content"
)

// searchWordCases are how text splits into search words; static/search.js
// must split them the same way (TestSearchRelevance checks it in Chromium).
var searchWordCases = []struct {
	name, text string
	want       []string
}{
	{"words", "Bad Gateway", []string{"bad", "gateway"}},
	{"enhanced code", "5.7.1", []string{"5.7.1"}},
	{"version", "HTTP/1.1", []string{"http", "1.1"}},
	{"dots between words", "grpc.StatusCode.UNAVAILABLE", []string{"grpc", "statuscode", "unavailable"}},
	{"underscores", "DEADLINE_EXCEEDED", []string{"deadline", "exceeded"}},
	{"digit dot letter", "v1.2a", []string{"v1.2a"}},
	{"letter dot digit", "a.1", []string{"a", "1"}},
	{"final dot", "upstream 1.1.", []string{"upstream", "1.1"}},
	{"apostrophe", "I'm a teapot", []string{"i", "m", "a", "teapot"}},
	{"log line", "connect() failed (111: Connection refused)", []string{"connect", "failed", "111", "connection", "refused"}},
	{"letters beyond ASCII", "Größe überschritten", []string{"größe", "überschritten"}},
	{"nothing", " -- ", nil},
}

func TestSearchWords(t *testing.T) {
	for _, tc := range searchWordCases {
		if got := searchWords(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("%s: searchWords(%q) = %q, want %q", tc.name, tc.text, got, tc.want)
		}
	}
}

// wordsByRune is searchWords as static/search.js says it: runs of letters,
// digits and dots, split again at each dot that is not between two digits.
func wordsByRune(s string) []string {
	var words []string
	runs := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.'
	})
	for _, run := range runs {
		rs := []rune(run)
		var word []rune
		for i, r := range rs {
			if r == '.' && (i == 0 || !unicode.IsDigit(rs[i-1]) || i+1 == len(rs) || !unicode.IsDigit(rs[i+1])) {
				if len(word) > 0 {
					words = append(words, string(word))
				}
				word = nil
				continue
			}
			word = append(word, r)
		}
		if len(word) > 0 {
			words = append(words, string(word))
		}
	}
	return words
}

func FuzzSearchWords(f *testing.F) {
	for _, tc := range searchWordCases {
		f.Add(tc.text)
	}
	f.Add("Ǆ 1.٣ x\xff.2 1.\u00e9 ÀB.9")
	f.Fuzz(func(t *testing.T, s string) {
		got := appendSearchWords([]string{"before"}, s)
		if want := append([]string{"before"}, wordsByRune(s)...); !slices.Equal(got, want) {
			t.Errorf("appendSearchWords(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestSearchStopLen checks the length searchWord tests before it looks a
// word up in searchStopWords.
func TestSearchStopLen(t *testing.T) {
	for w := range searchStopWords {
		if len(w) > searchStopLen {
			t.Errorf("stop word %q is longer than searchStopLen, %d", w, searchStopLen)
		}
		if searchWord(w) {
			t.Errorf("searchWord(%q) = true for a stop word", w)
		}
	}
}

// searchSite is a small wiki with every field search reads.
var searchSite = fstest.MapFS{
	"content/_index.md": {Data: []byte("---\ntitle: T\ndescription: D\nbase_url: https://example.com/wiki/\n---\n")},
	"content/http/_index.md": {Data: []byte("---\ntitle: HTTP Status Codes\nname: HTTP\ndescription: D\norder: 1\ncategories:\n" +
		"  - {key: 4xx, name: 4xx}\n  - {key: 5xx, name: 5xx}\n---\n")},
	"content/http/499.md": {Data: []byte("---\ncode: \"499\"\nname: Client Closed Request\nsource: nginx\ncategory: 4xx\n" +
		"summary: The client went away.\nquick_answer: {question: Why, answer: Gone}\ncauses: [Impatient client]\nsteps: [Wait]\n---\n")},
	"content/http/502.md": {Data: []byte("---\ncode: \"502\"\nname: Bad Gateway\ntagline: Upstream Server Error\ncategory: 5xx\n" +
		"summary: The proxy got a bad answer.\nquick_answer: {question: Why, answer: Crash}\n" +
		"causes: [\"The backend crashed, see [the docs](https://docs.example.org/crash)\"]\nsteps: [Restart]\n" +
		"aliases: [nginx 502]\nmessages: [\"upstream prematurely closed connection\"]\n---\n")},
	"content/smtp/_index.md": {Data: []byte("---\ntitle: SMTP Reply Codes\nname: SMTP\ndescription: D\norder: 2\ncategories:\n  - {key: 5xx, name: 5xx}\n---\n")},
	"content/smtp/550.md": {Data: []byte("---\ncode: \"550\"\nname: Mailbox Unavailable\ncategory: 5xx\nsummary: No such mailbox.\n" +
		"quick_answer: {question: Why, answer: Typo}\ncauses: [Typo]\nsteps: [Check]\naliases: [\"5.1.1\"]\n---\n")},
}

// TestSearchIndex builds the index of searchSite and reads it back: the
// collections and their documents, the unofficial codes, and the class of
// each term in each document.
func TestSearchIndex(t *testing.T) {
	site, err := content.Load(searchSite, content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	idx := indexOf(t, site, nil)
	docFiles := docsOf(searchInputOf(site, nil))
	var meta searchMeta
	if err := json.Unmarshal(idx.meta, &meta); err != nil {
		t.Fatal(err)
	}
	wantCollections := []searchCollection{{"http", "HTTP", 0, 2}, {"smtp", "SMTP", 2, 1}}
	wantUnofficial := []int{1} // document 0, 499, as the difference from -1
	if meta.Base != "/wiki/" || !slices.Equal(meta.Collections, wantCollections) || !slices.Equal(meta.Unofficial, wantUnofficial) || len(meta.Version) != 12 {
		t.Errorf("meta = %s", idx.meta)
	}
	if len(idx.terms) != meta.Buckets || len(docFiles) != 1 {
		t.Fatalf("%d term files and %d document files; meta says %d, want 1", len(idx.terms), len(docFiles), meta.Buckets)
	}
	var docs []searchDoc
	if err := json.Unmarshal(docFiles[0], &docs); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(docs) != "[[499 Client Closed Request 499 The client went away.] [502 Bad Gateway 502 The proxy got a bad answer.] [550 Mailbox Unavailable 550 No such mailbox.]]" {
		t.Errorf("documents %q", docs)
	}
	terms := map[string][]int{}
	for i, data := range idx.terms {
		var file map[string][]int
		if err := json.Unmarshal(data, &file); err != nil {
			t.Fatalf("term file %d: %v\n%s", i, err, data)
		}
		for term, list := range file {
			if b := searchBucket(searchKey(term, nil), meta.Buckets); b != i {
				t.Errorf("term %q in file %d, want %d", term, i, b)
			}
			id := 0
			for j := 0; j < len(list); j += 2 {
				id += list[j]
				terms[term] = append(terms[term], id, list[j+1])
			}
		}
	}
	for _, tc := range []struct {
		name, term string
		want       []int // document, class, …
	}{
		{"code", "502", []int{1, classCodeWhole}},
		{"whole name", "bad gateway", []int{1, classNameWhole}},
		{"word of a name", "gateway", []int{1, classNameWord}},
		{"whole alias", "nginx 502", []int{1, classAliasWhole}},
		{"word of an alias and the source, in two documents", "nginx", []int{0, classAliasWord, 1, classAliasWord}},
		{"enhanced code alias", "5.1.1", []int{2, classAliasWhole}},
		{"whole message", "upstream prematurely closed connection", []int{1, classAliasWhole}},
		{"word of a message beats the tagline", "upstream", []int{1, classAliasWord}},
		{"word of the tagline", "server", []int{1, classTagline}},
		{"word of the summary", "proxy", []int{1, classSummary}},
		{"word of a cause", "crashed", []int{1, classCause}},
		{"link text of a cause", "docs", []int{1, classCause}},
		{"link target", "example", nil},
		{"stop word", "the", nil},
	} {
		if got := terms[tc.term]; !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q has postings %v, want %v", tc.name, tc.term, got, tc.want)
		}
	}

	// The same site loaded lean, its details kept out of memory, gives
	// the same index.
	cache := content.NewCache(false)
	if err := cache.Lean(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	defer cache.Close()
	lean, err := content.Load(searchSite, content.Options{Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	if a := lean.Articles()[0]; a.Detail != nil || a.Body != nil {
		t.Fatalf("a lean load kept the details of %s", a.File)
	}
	again := indexOf(t, lean, cache.Detailed)
	if !bytes.Equal(again.meta, idx.meta) || !slices.EqualFunc(again.terms, idx.terms, bytes.Equal) || !slices.EqualFunc(docsOf(searchInputOf(lean, cache.Detailed)), docFiles, bytes.Equal) {
		t.Error("the site loaded whole and lean gave different indexes")
	}
}

// docsOf returns the document files of in.
func docsOf(in *searchInput) [][]byte {
	_, chunks := searchLayout(len(in.articles))
	files := make([][]byte, chunks)
	for i := range files {
		files[i] = searchDocs(in, i)
	}
	return files
}

func indexOf(t *testing.T, site *content.Site, full Full) *searchIndex {
	t.Helper()
	idx, err := buildSearchIndex(searchInputOf(site, full))
	if err != nil {
		t.Fatal(err)
	}
	return idx
}

// TestSearchSplit indexes a wiki where many articles share words that
// start with the same two letters: their terms are filed by three.
func TestSearchSplit(t *testing.T) {
	dir := t.TempDir()
	if err := benchcorpus.WriteDir(dir, benchcorpus.Options{Articles: 2000}); err != nil {
		t.Fatal(err)
	}
	site, err := content.Load(DirSource(dir).Content, content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	idx := indexOf(t, site, nil)
	var meta searchMeta
	if err := json.Unmarshal(idx.meta, &meta); err != nil {
		t.Fatal(err)
	}
	split := map[string]bool{}
	for _, k := range meta.Split {
		split[k] = true
	}
	if !split["re"] || split["zz"] {
		t.Errorf("split %q; want \"re\" (request, response, retry…) and no unused key", meta.Split)
	}
	for i, data := range idx.terms {
		var file map[string]json.RawMessage
		if err := json.Unmarshal(data, &file); err != nil {
			t.Fatal(err)
		}
		for term := range file {
			key := searchKey(term, split)
			if b := searchBucket(key, meta.Buckets); b != i {
				t.Errorf("term %q (key %q) in file %d, want %d", term, key, i, b)
			}
			if strings.HasPrefix(term, "re") && len(term) > 2 && len(key) != 3 {
				t.Errorf("term %q has key %q; want three characters", term, key)
			}
		}
	}

	// Loaded lean, its articles read whole a batch at a time over many
	// batches, the site gives the same index.
	cache := content.NewCache(false)
	if err := cache.Lean(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	defer cache.Close()
	lean, err := content.Load(DirSource(dir).Content, content.Options{Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(lean.Articles()); n < 3*searchBatch {
		t.Fatalf("%d articles, want several batches", n)
	}
	again := indexOf(t, lean, cache.Detailed)
	if !bytes.Equal(again.meta, idx.meta) || !slices.EqualFunc(again.terms, idx.terms, bytes.Equal) || !slices.EqualFunc(docsOf(searchInputOf(lean, cache.Detailed)), docsOf(searchInputOf(site, nil)), bytes.Equal) {
		t.Error("the site loaded whole and lean gave different indexes")
	}
}

func TestSearchKey(t *testing.T) {
	split := map[string]bool{"re": true}
	for _, tc := range []struct{ term, want string }{
		{"gateway", "ga"}, {"request", "req"}, {"re", "re"}, {"5.7.1", "5_"}, {"a timeout", "a_"},
		{"größe", "gr"}, {"ünter", "_n"}, {"x", "x"},
	} {
		if got := searchKey(tc.term, split); got != tc.want {
			t.Errorf("searchKey(%q) = %q, want %q", tc.term, got, tc.want)
		}
	}
}

func TestSearchLayout(t *testing.T) {
	for _, tc := range []struct{ articles, buckets, chunks int }{
		{0, 1, 1}, {1, 1, 1}, {64, 1, 1}, {65, 2, 2}, {145, 3, 3}, {10000, 157, 157},
	} {
		if b, c := searchLayout(tc.articles); b != tc.buckets || c != tc.chunks {
			t.Errorf("searchLayout(%d) = %d, %d; want %d, %d", tc.articles, b, c, tc.buckets, tc.chunks)
		}
	}
}

// TestSearchFilesTakenOnce takes every file of an index, which lets the
// index go, and takes one again: it is made again, the same.
func TestSearchFilesTakenOnce(t *testing.T) {
	site, err := content.Load(searchSite, content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := indexOf(t, site, nil)
	files := &searchFiles{in: searchInputOf(site, nil)}
	take := func(file func(*searchIndex) *[]byte) []byte {
		t.Helper()
		data, err := files.take(file)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	meta := func(x *searchIndex) *[]byte { return &x.meta }
	if got := take(meta); !bytes.Equal(got, want.meta) {
		t.Errorf("meta %s, want %s", got, want.meta)
	}
	if got := take(meta); !bytes.Equal(got, want.meta) {
		t.Errorf("meta taken again: %s, want %s", got, want.meta)
	}
	for i := range want.terms {
		if got := take(func(x *searchIndex) *[]byte { return &x.terms[i] }); !bytes.Equal(got, want.terms[i]) {
			t.Errorf("term file %d: %s, want %s", i, got, want.terms[i])
		}
	}
	if files.idx != nil {
		t.Error("the index is held after every file was taken")
	}
	if got := take(meta); !bytes.Equal(got, want.meta) {
		t.Errorf("meta taken after the index was let go: %s, want %s", got, want.meta)
	}
}

// TestSearchDocChunks checks the document files of wikis whose articles
// fill their last file, leave it part-full, or are none: every article in
// order, searchChunk to a file, and one empty file for no articles.
func TestSearchDocChunks(t *testing.T) {
	for _, n := range []int{0, 1, searchChunk - 1, searchChunk, searchChunk + 1, 2 * searchChunk, 5*searchChunk + 3} {
		in := &searchInput{}
		for i := range n {
			in.articles = append(in.articles, &content.Article{Code: strconv.Itoa(i), Name: "N", Slug: strconv.Itoa(i)})
		}
		files := docsOf(in)
		_, chunks := searchLayout(n)
		if len(files) != chunks {
			t.Fatalf("%d articles: %d document files, want %d", n, len(files), chunks)
		}
		next := 0
		for i, data := range files {
			var docs []searchDoc
			if err := json.Unmarshal(data, &docs); err != nil {
				t.Fatal(err)
			}
			if len(docs) > searchChunk || i < chunks-1 && len(docs) != searchChunk {
				t.Errorf("%d articles: file %d holds %d documents", n, i, len(docs))
			}
			for _, d := range docs {
				if d[0] != strconv.Itoa(next) {
					t.Errorf("%d articles: document %d is code %s", n, next, d[0])
				}
				next++
			}
		}
		if next != n {
			t.Errorf("%d articles: %d documents", n, next)
		}
	}
}

// TestPostingList checks that a term's documents come out of its term file
// as they went in, near together and far apart.
func TestPostingList(t *testing.T) {
	ids := []int{0, 1, 2, 9, 300, 301, 70000, 262143, 262144, 1 << 27}
	var p postingList
	var want strings.Builder
	prev := 0
	for i, id := range ids {
		class := 1 + i%9
		p.add(id, class)
		if i > 0 {
			want.WriteString(",")
		}
		fmt.Fprintf(&want, "%d,%d", id-prev, class)
		prev = id
	}
	files := searchTermFiles(map[string]*postingList{"term": &p}, nil, 1)
	if got := string(files[0]); got != `{"term":[`+want.String()+`]}` {
		t.Errorf("got %s, want the list [%s]", got, want.String())
	}
	if p.n != uint32(len(ids)) {
		t.Errorf("%d documents, want %d", p.n, len(ids))
	}
}
