// Package benchcorpus writes synthetic wikis for benchmarks: any number of
// valid articles spread over about ten collections, every field of the
// writer's guide filled in, and a 400–600 word Markdown body with headings,
// lists, a table and a code block under each.
//
// It stands beside the flow (content → render → build → serve), not in it:
// the benchmarks of internal/build and cmd/errwiki-bench feed its sites to
// errwiki, to Hugo (testdata/hugo reads the same files) and to the floor
// program. The same Options always give the same bytes: the text comes from
// math/rand/v2 with a fixed seed and nothing depends on the clock.
package benchcorpus

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// BaseURL is the base_url of every generated site; testdata/hugo/hugo.toml
// has the same.
const BaseURL = "https://bench.example.org/"

// Options say what to generate.
type Options struct {
	Articles    int    // articles in all, spread evenly over the collections
	Collections int    // 0 means 10; never more than Articles
	Seed        uint64 // 0 means 1
}

func (o Options) withDefaults() Options {
	if o.Collections <= 0 {
		o.Collections = 10
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	o.Collections = max(1, min(o.Collections, o.Articles))
	return o
}

// Generate produces every file of the site, in a fixed order, and passes
// each to emit with its slash-separated name relative to the site root
// ("content/http/10003.md"). It stops at the first error emit returns.
func Generate(opts Options, emit func(name string, data []byte) error) error {
	if opts.Articles < 1 {
		return fmt.Errorf("benchcorpus: %d articles; generate at least one", opts.Articles)
	}
	opts = opts.withDefaults()
	if err := emit("content/_index.md", siteIndex(opts)); err != nil {
		return err
	}
	for ci := range opts.Collections {
		n := opts.Articles / opts.Collections
		if ci < opts.Articles%opts.Collections {
			n++
		}
		c := newCollection(opts.Seed, ci, n)
		dir := path.Join("content", c.key)
		if err := emit(dir+"/_index.md", c.index()); err != nil {
			return err
		}
		for i := range c.codes {
			if err := emit(path.Join(dir, strings.ToLower(c.codes[i])+".md"), c.article(i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// WriteDir generates the site into dir, which then holds content/ and
// builds with "errwiki build -src dir".
func WriteDir(dir string, opts Options) error {
	made := map[string]bool{}
	return Generate(opts, func(name string, data []byte) error {
		file := filepath.Join(dir, filepath.FromSlash(name))
		if d := filepath.Dir(file); !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
			made[d] = true
		}
		return os.WriteFile(file, data, 0o644)
	})
}

func siteIndex(opts Options) []byte {
	var b bytes.Buffer
	b.WriteString("---\n")
	b.WriteString("title: Error Codes Wiki\n")
	fmt.Fprintf(&b, "description: A generated wiki of %d error codes in %d collections, for measuring how fast it builds.\n", opts.Articles, opts.Collections)
	fmt.Fprintf(&b, "base_url: %s\n", BaseURL)
	b.WriteString("language: en\n")
	b.WriteString("repository: https://github.com/errwiki/bench\n")
	b.WriteString("---\n")
	b.WriteString("This wiki is generated for benchmarks. Every page has the sections of a real article, filled\n")
	b.WriteString("with text that reads like one, so that every part of the build does its real work.\n\n")
	b.WriteString("Browse a collection below.\n")
	return b.Bytes()
}

// collectionSpec names one collection; codes of a numeric collection are
// numbers, the others a prefix and a number.
type collectionSpec struct {
	key, title, name, prefix string
}

var collectionSpecs = []collectionSpec{
	{"http", "HTTP Status Codes", "HTTP", ""},
	{"postgres", "PostgreSQL Error Codes", "PostgreSQL", "PG"},
	{"grpc", "gRPC Status Codes", "gRPC", ""},
	{"mysql", "MySQL Server Errors", "MySQL", "ER"},
	{"websocket", "WebSocket Close Codes", "WebSocket", ""},
	{"smtp", "SMTP Reply Codes", "SMTP", "SMTP"},
	{"kafka", "Kafka Error Codes", "Kafka", ""},
	{"windows", "Windows System Errors", "Windows", "WIN"},
	{"dns", "DNS Response Codes", "DNS", ""},
	{"s3", "S3 Error Codes", "S3", "S3E"},
}

func specFor(ci int) collectionSpec {
	if ci < len(collectionSpecs) {
		return collectionSpecs[ci]
	}
	n := fmt.Sprintf("%02d", ci)
	return collectionSpec{"coll" + n, "Collection " + n + " Codes", "C" + n, ""}
}

// categoryThemes are the categories a collection draws from, key first.
var categoryThemes = [][3]string{
	{"connection", "Connection errors", "The connection could not be opened, was dropped or was refused before the request was read."},
	{"auth", "Authentication and access", "The caller is not who it claims to be, or may not do what it asked."},
	{"request", "Malformed requests", "The request is at fault; sending it again unchanged fails again."},
	{"resource", "Resource limits", "A quota, a pool or a disk ran out; the request may succeed once the pressure drops."},
	{"timeout", "Timeouts", "An answer did not come in time, at one of the hops between client and server."},
	{"internal", "Internal errors", "The server failed to carry out a request that looked valid."},
	{"protocol", "Protocol violations", "One side broke the rules of the protocol: a bad frame, an unexpected message, a wrong version."},
	{"config", "Configuration problems", "A setting on the server, the proxy or the client points the wrong way."},
}

type collection struct {
	spec  collectionSpec
	key   string
	order int
	cats  [][3]string
	codes []string
	seed  uint64
	rng   *rand.Rand
}

func newCollection(seed uint64, ci, n int) *collection {
	spec := specFor(ci)
	c := &collection{spec: spec, key: spec.key, order: ci + 1, seed: seed}
	c.rng = rand.New(rand.NewPCG(seed, uint64(ci)))
	// Three to six categories, in a fixed order of themes.
	k := 3 + c.rng.IntN(4)
	perm := c.rng.Perm(len(categoryThemes))[:k]
	for i := range categoryThemes {
		for _, p := range perm {
			if p == i {
				c.cats = append(c.cats, categoryThemes[i])
			}
		}
	}
	// Codes rise by one to three, all of one width, so that natural order
	// (errwiki) and file name order (Hugo) agree.
	width := max(5, len(fmt.Sprint(3*n))+1)
	code := 1
	for range width - 1 {
		code *= 10
	}
	for range n {
		code += 1 + c.rng.IntN(3)
		c.codes = append(c.codes, fmt.Sprintf("%s%d", spec.prefix, code))
	}
	return c
}

func (c *collection) index() []byte {
	r := c.rng
	var b bytes.Buffer
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %s\n", c.spec.title)
	fmt.Fprintf(&b, "name: %s\n", c.spec.name)
	fmt.Fprintf(&b, "description: Every %s code with its meaning, its common causes and the steps that fix it.\n", c.spec.name)
	fmt.Fprintf(&b, "order: %d\n", c.order)
	b.WriteString("categories:\n")
	for _, cat := range c.cats {
		fmt.Fprintf(&b, "  - key: %s\n    name: %s\n    description: %s\n", cat[0], cat[1], yamlScalar(cat[2]))
	}
	b.WriteString("---\n")
	t := text{r}
	fmt.Fprintf(&b, "The %s codes fall into %d groups.\n\n", c.spec.name, len(c.cats))
	for _, cat := range c.cats {
		fmt.Fprintf(&b, "- **%s**: %s\n", cat[1], t.sentence())
	}
	b.WriteString("\n" + t.paragraph(3) + "\n")
	return b.Bytes()
}

// article writes the i-th article of the collection. Each article draws from
// its own random stream, so its text does not depend on the articles before it.
func (c *collection) article(i int) []byte {
	r := rand.New(rand.NewPCG(c.seed^0x9e3779b97f4a7c15, uint64(c.order)<<32|uint64(i)))
	t := text{r}
	code := c.codes[i]
	name := t.title(2 + r.IntN(2))
	short := c.spec.name + " " + code

	var b bytes.Buffer
	w := frontMatter{&b}
	b.WriteString("---\n")
	w.field("code", `"`+code+`"`)
	w.str("name", name)
	w.str("tagline", t.title(2+r.IntN(2)))
	w.str("category", c.cats[r.IntN(len(c.cats))][0])
	if r.IntN(5) == 0 {
		w.str("source", pick(r, vendors))
	}
	w.str("fault", pick(r, faults))
	w.str("summary", t.summary(name))
	w.list("details", t.items(3+r.IntN(3)))
	w.list("causes", t.items(3+r.IntN(4)))
	w.list("steps", t.steps(3+r.IntN(4)))
	b.WriteString("quick_answer:\n")
	w.indented("  ", "question", "What causes "+short+"?")
	w.indented("  ", "answer", t.sentence())
	b.WriteString("faq:\n")
	questions := []string{
		"Is " + short + " safe to retry?",
		"How do I fix " + short + " in production?",
		"Who has to act on " + short + "?",
		"Why does " + short + " appear only under load?",
	}
	for _, q := range questions[:2+r.IntN(3)] {
		w.indented("  - ", "question", q)
		w.indented("    ", "answer", t.sentence()+" "+t.sentence())
	}
	w.list("related", c.related(r, i))
	b.WriteString("references:\n")
	for j := range 1 + r.IntN(3) {
		w.indented("  - ", "title", fmt.Sprintf("%s %s: %s", pick(r, refSources), code, t.title(2)))
		w.indented("    ", "url", fmt.Sprintf("https://docs.example.com/%s/%s#ref-%d", c.key, strings.ToLower(code), j+1))
	}
	w.list("aliases", []string{
		strings.ToLower(name),
		strings.ToLower(c.spec.name) + " " + strings.ToLower(code),
		strings.ToLower(t.title(2)) + " error",
	}[:2+r.IntN(2)])
	w.field("updated", time.Date(2024, 1, 1+r.IntN(1000), 0, 0, 0, 0, time.UTC).Format(time.DateOnly))
	b.WriteString("example:\n")
	w.block("  ", "request", t.request(c.key, code))
	w.block("  ", "response", t.response(code, name))
	b.WriteString("send:\n")
	for _, l := range pickN(r, sendLangs, 2+r.IntN(3)) {
		w.indented("  - ", "lang", l)
		w.indented("    ", "code", fmt.Sprintf("raise_error(%q)", code))
	}
	b.WriteString("---\n")
	b.WriteString(t.body(c.key, code))
	return b.Bytes()
}

// related picks two to four other codes near code i.
func (c *collection) related(r *rand.Rand, i int) []string {
	var refs []string
	seen := map[int]bool{i: true}
	want := min(2+r.IntN(3), len(c.codes)-1)
	for len(refs) < want {
		j := i + r.IntN(21) - 10
		if j < 0 || j >= len(c.codes) {
			j = r.IntN(len(c.codes))
		}
		if seen[j] {
			continue
		}
		seen[j] = true
		refs = append(refs, `"`+c.codes[j]+`"`)
	}
	return refs
}

var (
	vendors    = []string{"nginx", "Cloudflare", "AWS ELB", "IIS", "Envoy", "HAProxy", "Fastly", "Akamai"}
	faults     = []string{"client", "server", "proxy", "network", "none"}
	refSources = []string{"RFC 9110", "Vendor manual", "Reference", "Operator guide", "Protocol spec"}
	// sendLangs are the keys of content.Languages, sorted.
	sendLangs = []string{"apache", "csharp", "django", "dotnet", "express", "fastapi", "flask", "go", "java", "javascript", "nginx", "node", "php", "python", "rails", "spring"}
)

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

// pickN returns n distinct items of list in list order.
func pickN(r *rand.Rand, list []string, n int) []string {
	perm := r.Perm(len(list))[:n]
	var out []string
	for i, s := range list {
		for _, p := range perm {
			if p == i {
				out = append(out, s)
			}
		}
	}
	return out
}

// frontMatter writes YAML by hand, the way a writer would: plain scalars
// where they are safe, double quotes where they are not, literal blocks for
// protocol text.
type frontMatter struct{ b *bytes.Buffer }

func (w frontMatter) field(key, raw string) { fmt.Fprintf(w.b, "%s: %s\n", key, raw) }

func (w frontMatter) str(key, s string) { w.field(key, yamlScalar(s)) }

func (w frontMatter) indented(prefix, key, s string) {
	fmt.Fprintf(w.b, "%s%s: %s\n", prefix, key, yamlScalar(s))
}

// list writes items as a block sequence; items already quoted stay as they are.
func (w frontMatter) list(key string, items []string) {
	fmt.Fprintf(w.b, "%s:\n", key)
	for _, s := range items {
		if !strings.HasPrefix(s, `"`) {
			s = yamlScalar(s)
		}
		fmt.Fprintf(w.b, "  - %s\n", s)
	}
}

func (w frontMatter) block(prefix, key, s string) {
	fmt.Fprintf(w.b, "%s%s: |\n", prefix, key)
	for line := range strings.Lines(s) {
		if line != "\n" {
			w.b.WriteString(prefix + "  ")
		}
		w.b.WriteString(line)
	}
}

// yamlScalar returns s as a plain YAML scalar when that reads back as the
// same string, and double-quoted otherwise. Generated text is ASCII, so Go's
// quoting is YAML's.
func yamlScalar(s string) string {
	plain := s != "" && isLetter(s[0]) && !strings.ContainsAny(s, ":#`*[]{}\"!|>&%@,") &&
		!strings.HasSuffix(s, " ")
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "null", "y", "n":
		plain = false
	}
	if plain {
		return s
	}
	return fmt.Sprintf("%q", s)
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
