package main

import (
	"bytes"
	"cmp"
	"fmt"
	"html"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/adrg/frontmatter"
	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
	"go.yaml.in/yaml/v3"
)

// The floor is the least work any build of the site must do: read every
// article, split and parse its front matter, and turn its Markdown into
// HTML, on every core: the body, and the fields that hold inline Markdown
// (summary, details, causes, steps, answers), converted together as the
// items of one list, as errwiki converts them. It has no templates, no
// minifier and no checks, so how far a real build is above it is the
// price of everything else.
//
// With highlighting, it also colours code as the site does, with chroma's
// lexers and its HTML formatter: the fenced blocks of the body, the
// example exchange and the snippets of the front matter.

var floorYAML = frontmatter.NewFormat("---", "---", yaml.Unmarshal)

// floorResult counts what a floor run did.
type floorResult struct {
	Articles int
	Bytes    int64 // of HTML
}

// floor renders every article under src/content/*/ and, when out is not
// empty, writes each body to out/<collection>/<slug>/index.html. With
// highlight, it colours the article's code.
func floor(src, out string, highlight bool) (floorResult, error) {
	root := filepath.Join(src, "content")
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") && d.Name() != "_index.md" {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return floorResult{}, err
	}
	// GitHub Flavored Markdown with heading IDs, as errwiki and Hugo render it.
	md := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithParserOptions(parser.WithAutoHeadingID()))
	if highlight {
		md.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(floorCode{}, 100)))
	}
	var (
		wg    sync.WaitGroup
		next  = make(chan string)
		errMu sync.Mutex
		first error
		total atomic.Int64
	)
	fail := func(err error) {
		errMu.Lock()
		defer errMu.Unlock()
		if first == nil {
			first = err
		}
	}
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var html bytes.Buffer
			for file := range next {
				html.Reset()
				if err := floorArticle(md, file, highlight, &html); err != nil {
					fail(err)
					continue
				}
				total.Add(int64(html.Len()))
				if out == "" {
					continue
				}
				rel, _ := filepath.Rel(root, file)
				coll, name := path.Split(filepath.ToSlash(rel))
				dir := filepath.Join(out, filepath.FromSlash(coll), strings.TrimSuffix(name, ".md"))
				if err := os.MkdirAll(dir, 0o755); err != nil {
					fail(err)
					continue
				}
				if err := os.WriteFile(filepath.Join(dir, "index.html"), html.Bytes(), 0o644); err != nil {
					fail(err)
				}
			}
		})
	}
	for _, f := range files {
		next <- f
	}
	close(next)
	wg.Wait()
	return floorResult{Articles: len(files), Bytes: total.Load()}, first
}

// floorArticle parses one article's front matter into a map and renders its
// body into w, and with highlight its front matter's code.
func floorArticle(md goldmark.Markdown, file string, highlight bool, w io.Writer) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var meta map[string]any
	body, err := frontmatter.Parse(bytes.NewReader(data), &meta, floorYAML)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if len(meta) == 0 {
		return fmt.Errorf("%s: no front matter", file)
	}
	if err := md.Convert(body, w); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	var fields bytes.Buffer
	for _, line := range inlineFields(meta) {
		fields.WriteString("- ")
		fields.WriteString(line)
		fields.WriteByte('\n')
	}
	if err := md.Convert(fields.Bytes(), w); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if !highlight {
		return nil
	}
	for _, c := range codeFields(meta) {
		if err := floorHighlight(w, c.lang, c.code); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
	}
	return nil
}

// floorLangs names the lexer of each kind of snippet, as the site does.
var floorLangs = map[string]string{
	"express": "javascript", "node": "javascript", "flask": "python", "django": "python",
	"fastapi": "python", "spring": "java", "dotnet": "csharp", "apache": "apacheconf", "rails": "ruby",
}

type codeField struct{ lang, code string }

// codeFields lists the code of an article's front matter: the two sides of
// its example, as HTTP, and its snippets.
func codeFields(meta map[string]any) []codeField {
	var code []codeField
	if ex, ok := meta["example"].(map[string]any); ok {
		for _, side := range []string{"request", "response"} {
			if s, ok := ex[side].(string); ok {
				code = append(code, codeField{"http", s})
			}
		}
	}
	send, _ := meta["send"].([]any)
	for _, item := range send {
		s, _ := item.(map[string]any)
		lang, _ := s["lang"].(string)
		text, _ := s["code"].(string)
		code = append(code, codeField{cmp.Or(floorLangs[lang], lang), text})
	}
	return code
}

var (
	floorFormatter = chromahtml.New(chromahtml.WithClasses(true))
	floorStyle     = styles.Get("github")
	floorLexers    sync.Map // language → chroma.Lexer, nil when chroma has none
)

// floorHighlight writes code in lang as chroma's HTML, or escaped when
// chroma has no lexer for lang.
func floorHighlight(w io.Writer, lang, code string) error {
	lx, ok := floorLexers.Load(lang)
	if !ok {
		var l chroma.Lexer
		if found := lexers.Get(lang); found != nil {
			l = chroma.Coalesce(found)
		}
		lx, _ = floorLexers.LoadOrStore(lang, l)
	}
	l, _ := lx.(chroma.Lexer)
	if l == nil {
		_, err := io.WriteString(w, "<pre><code>"+html.EscapeString(code)+"</code></pre>")
		return err
	}
	it, err := l.Tokenise(nil, code)
	if err != nil {
		return err
	}
	return floorFormatter.Format(w, floorStyle, it)
}

// floorCode renders fenced code blocks with floorHighlight.
type floorCode struct{}

func (floorCode) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, func(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		n := node.(*ast.FencedCodeBlock)
		var code strings.Builder
		for i := 0; i < n.Lines().Len(); i++ {
			line := n.Lines().At(i)
			code.Write(line.Value(src))
		}
		return ast.WalkSkipChildren, floorHighlight(w, string(n.Language(src)), code.String())
	})
}

// inlineFields lists the lines of inline Markdown in an article's front
// matter.
func inlineFields(meta map[string]any) []string {
	var lines []string
	add := func(v any) {
		if s, ok := v.(string); ok {
			lines = append(lines, s)
		}
	}
	addAll := func(v any) {
		list, _ := v.([]any)
		for _, item := range list {
			add(item)
		}
	}
	add(meta["summary"])
	if qa, ok := meta["quick_answer"].(map[string]any); ok {
		add(qa["answer"])
	}
	faq, _ := meta["faq"].([]any)
	for _, q := range faq {
		if qa, ok := q.(map[string]any); ok {
			add(qa["answer"])
		}
	}
	addAll(meta["details"])
	addAll(meta["causes"])
	addAll(meta["steps"])
	return lines
}

func runFloor(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("floor", stderr)
	src := fs.String("src", "", "site source `directory`, holding content/ (required)")
	out := fs.String("out", "", "write each article's HTML under this `directory`; render only when empty")
	highlight := fs.Bool("highlight", false, "highlight code with chroma, as the site does")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *src == "" {
		fmt.Fprintln(stderr, "errwiki-bench floor: -src is required")
		return errUsage
	}
	start := time.Now()
	res, err := floor(*src, *out, *highlight)
	if err != nil {
		return err
	}
	what := "rendered"
	if *highlight {
		what = "rendered and highlighted"
	}
	if *out != "" {
		what += " and wrote"
	}
	fmt.Fprintf(stdout, "floor: %s %d articles, %d bytes of HTML, in %v\n", what, res.Articles, res.Bytes, time.Since(start).Round(time.Millisecond))
	return nil
}
