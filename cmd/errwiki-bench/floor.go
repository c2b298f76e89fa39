package main

import (
	"bytes"
	"fmt"
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
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"go.yaml.in/yaml/v3"
)

// The floor is the least work any build of the site must do: read every
// article, split and parse its front matter, and turn its Markdown into
// HTML, on every core: the body, and the fields that hold inline Markdown
// (summary, details, causes, steps, answers), converted together as the
// items of one list, as errwiki converts them. It has no templates, no
// minifier and no checks, so how far a real build is above it is the
// price of everything else.

var floorYAML = frontmatter.NewFormat("---", "---", yaml.Unmarshal)

// floorResult counts what a floor run did.
type floorResult struct {
	Articles int
	Bytes    int64 // of HTML
}

// floor renders every article under src/content/*/ and, when out is not
// empty, writes each body to out/<collection>/<slug>/index.html.
func floor(src, out string) (floorResult, error) {
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
				if err := floorArticle(md, file, &html); err != nil {
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
// body into w.
func floorArticle(md goldmark.Markdown, file string, w io.Writer) error {
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
	return nil
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
	if err := parse(fs, args); err != nil {
		return err
	}
	if *src == "" {
		fmt.Fprintln(stderr, "errwiki-bench floor: -src is required")
		return errUsage
	}
	start := time.Now()
	res, err := floor(*src, *out)
	if err != nil {
		return err
	}
	what := "rendered"
	if *out != "" {
		what = "rendered and wrote"
	}
	fmt.Fprintf(stdout, "floor: %s %d articles, %d bytes of HTML, in %v\n", what, res.Articles, res.Bytes, time.Since(start).Round(time.Millisecond))
	return nil
}
