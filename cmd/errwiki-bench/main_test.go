package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/adrg/frontmatter"
	"github.com/errwiki/errwiki/internal/benchcorpus"
)

// A report of GNU time 1.9's -v, cut down to the lines around the two read.
const timeReport = `	Command being timed: "errwiki build -src corpus -out out"
	User time (seconds): 2.31
	System time (seconds): 0.88
	Percent of CPU this job got: 187%
	Elapsed (wall clock) time (h:mm:ss or m:ss): 0:01.71
	Average shared text size (kbytes): 0
	Maximum resident set size (kbytes): 61344
	Average resident set size (kbytes): 0
	Exit status: 0
`

func TestParseTimeReport(t *testing.T) {
	wall, rss, err := parseTimeReport([]byte(timeReport))
	if err != nil {
		t.Fatal(err)
	}
	if wall != 1710*time.Millisecond || rss != 61344 {
		t.Errorf("got %v and %d KiB, want 1.71s and 61344 KiB", wall, rss)
	}
	for name, report := range map[string]string{
		"no RSS line":  strings.Replace(timeReport, "Maximum resident", "Minimum resident", 1),
		"no wall line": strings.Replace(timeReport, "Elapsed (wall clock)", "Elapsed", 1),
		"bad RSS":      strings.Replace(timeReport, "61344", "lots", 1),
		"bad wall":     strings.Replace(timeReport, "0:01.71", "soon", 1),
	} {
		if _, _, err := parseTimeReport([]byte(report)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestParseClock(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"0:00.31", 310 * time.Millisecond},
		{"2:03.50", 2*time.Minute + 3500*time.Millisecond},
		{"1:02:03", time.Hour + 2*time.Minute + 3*time.Second},
	} {
		got, err := parseClock(tc.in)
		if err != nil || got.Round(time.Millisecond) != tc.want {
			t.Errorf("parseClock(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "12", "a:b", "1:2:3:4", "0:-1"} {
		if _, err := parseClock(bad); err == nil {
			t.Errorf("parseClock(%q): no error", bad)
		}
	}
}

func TestSummarize(t *testing.T) {
	s := func(ms ...int) []sample {
		var out []sample
		for i, m := range ms {
			// CPU times run the other way round, so their median is their own.
			out = append(out, sample{Wall: time.Duration(m) * time.Millisecond, CPU: time.Duration(100-m) * time.Millisecond, MaxRSS: int64(100 * (i + 1))})
		}
		return out
	}
	for _, tc := range []struct {
		name             string
		samples          []sample
		median, min, max time.Duration
		cpu              time.Duration
		rss              int64
	}{
		{"odd", s(30, 10, 20), 20 * time.Millisecond, 10 * time.Millisecond, 30 * time.Millisecond, 80 * time.Millisecond, 300},
		{"even", s(40, 10, 20, 30), 25 * time.Millisecond, 10 * time.Millisecond, 40 * time.Millisecond, 75 * time.Millisecond, 400},
		{"one", s(7), 7 * time.Millisecond, 7 * time.Millisecond, 7 * time.Millisecond, 93 * time.Millisecond, 100},
		{"none", nil, 0, 0, 0, 0, 0},
	} {
		got := summarize(tc.samples)
		if got.Median != tc.median || got.Min != tc.min || got.Max != tc.max || got.CPU != tc.cpu || got.MaxRSS != tc.rss {
			t.Errorf("%s: got %+v", tc.name, got)
		}
	}
}

func TestTable(t *testing.T) {
	ms := func(d int) []sample {
		return []sample{{Wall: time.Duration(d) * time.Millisecond, CPU: time.Duration(2*d) * time.Millisecond, MaxRSS: 2048}}
	}
	tools := []*tool{
		{name: "errwiki build", pages: 1012, writes: true, samples: ms(500), files: 2000},
		{name: "floor render", pages: 1000, samples: ms(100)},
		{name: "floor render+write", pages: 1000, writes: true, samples: ms(200)},
		{name: "floor render+highlight+write", pages: 1000, writes: true, samples: ms(250)},
		{name: "cp -r (built tree)", pages: 1012, writes: true, samples: ms(400)},
		{name: "hugo --minify", pages: 1012, writes: true, hugo: true, samples: ms(2000)},
		{name: "broken", err: os.ErrNotExist},
	}
	var out bytes.Buffer
	printTable(&out, 1000, 1012, tools)
	got := out.String()
	for _, want := range []string{
		"1000 articles (1012 pages), 1 rounds",
		"\n  tool                          pages  files  median     min     max  spread     CPU  peak RSS  RSS/article  pages/s  × hugo  × floor\n",
		"\n  errwiki build                  1012   2000  0.500s  0.500s  0.500s     ±0%  1.000s     2 MiB      2.0 KiB     2024    0.25     2.00\n",
		"\n  floor render                   1000      -  0.100s  0.100s  0.100s     ±0%  0.200s     2 MiB      2.0 KiB    10000    0.05     1.00\n",
		"\n  hugo --minify                  1012      -  2.000s  2.000s  2.000s     ±0%  4.000s     2 MiB      2.0 KiB      506    1.00     8.00\n",
		"\n  broken                            -      -  failed\n",
		"\nbroken failed: file does not exist\n",
		"\n  errwiki build / floor render+write: 2.50, 2.50-2.50\n",
		"\n  errwiki build / floor render+highlight+write: 2.00, 2.00-2.00\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("table lacks %q:\n%s", want, got)
		}
	}
}

func TestPaired(t *testing.T) {
	ms := func(ds ...int) []sample {
		var s []sample
		for _, d := range ds {
			s = append(s, sample{Wall: time.Duration(d) * time.Millisecond})
		}
		return s
	}
	// The machine slows down in round 2 and speeds up in round 3; the
	// rebuild failed after round 2.
	tools := []*tool{
		{name: "errwiki build", samples: ms(100, 200, 50)},
		{name: "errwiki build -dry-run", samples: ms(80, 150, 45)},
		{name: "errwiki rebuild, 1 changed", samples: ms(5, 30)},
		{name: "errwiki rebuild, 1 summary changed", samples: ms(10, 10, 10)},
		{name: "floor render", samples: ms(80, 100, 40)},
		{name: "floor render+highlight+write", samples: ms(50, 160, 25)},
		{name: "hugo --minify", hugo: true, hugos: true, samples: ms(300, 500, 200)},
		{name: "hugo 0.165.0 --minify", hugos: true, samples: ms(250, 600, 250)},
	}
	var out bytes.Buffer
	printPaired(&out, tools)
	want := `ratios within each round (median, min-max):
  hugo / errwiki build: 3.00, 2.50-4.00
  fastest hugo / errwiki build: 2.50, 2.50-4.00
  errwiki build / floor render+highlight+write: 2.00, 1.25-2.00
  errwiki build -dry-run / floor render: 1.12, 1.00-1.50
  errwiki rebuild, 1 changed / errwiki build: 0.10, 0.05-0.15
  errwiki rebuild, 1 summary changed / errwiki build: 0.10, 0.05-0.20
`
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}

	out.Reset()
	printPaired(&out, tools[4:5])
	if out.Len() != 0 {
		t.Errorf("with nothing to pair, printed %q", out.String())
	}
}

func TestFloor(t *testing.T) {
	src, out := t.TempDir(), filepath.Join(t.TempDir(), "out")
	if err := benchcorpus.WriteDir(src, benchcorpus.Options{Articles: 20}); err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	if code := run([]string{"floor", "-src", src, "-out", out}, &stdout, io.Discard); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if !strings.HasPrefix(stdout.String(), "floor: rendered and wrote 20 articles") {
		t.Errorf("output %q", stdout.String())
	}
	pages, _ := filepath.Glob(filepath.Join(out, "*", "*", "index.html"))
	if len(pages) != 20 {
		t.Fatalf("%d pages written, want 20", len(pages))
	}
	html, err := os.ReadFile(filepath.Join(out, "http", "10001", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<h2 id=", "<table>", "<pre><code class=\"language-console\">", "<ol>", "<ul>"} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("http/10001 lacks %q", want)
		}
	}
	if bytes.Contains(html, []byte("quick_answer")) {
		t.Error("front matter rendered as Markdown")
	}
	// The inline Markdown of the front matter is rendered too: every cause
	// and step is an item of the list after the body.
	data, err := os.ReadFile(filepath.Join(src, "content", "http", "10001.md"))
	if err != nil {
		t.Fatal(err)
	}
	var meta map[string]any
	if _, err := frontmatter.Parse(bytes.NewReader(data), &meta, floorYAML); err != nil {
		t.Fatal(err)
	}
	fields := inlineFields(meta)
	if len(fields) < 8 {
		t.Fatalf("%d inline fields, want the summary, answers, details, causes and steps", len(fields))
	}
	plain := 0
	for _, f := range fields {
		if strings.ContainsAny(f, "`*_[]<>&'\"") {
			continue
		}
		plain++
		if !bytes.Contains(html, []byte("<li>"+f+"</li>")) {
			t.Errorf("http/10001 lacks the field %q as a list item", f)
		}
	}
	if plain == 0 {
		t.Error("no field without Markdown to look for")
	}

	stdout.Reset()
	if code := run([]string{"floor", "-src", src}, &stdout, io.Discard); code != 0 || !strings.HasPrefix(stdout.String(), "floor: rendered 20 articles") {
		t.Errorf("render only: exit %d, output %q", code, stdout.String())
	}
	if code := run([]string{"floor", "-src", filepath.Join(src, "content", "http", "10001.md")}, io.Discard, io.Discard); code != 1 {
		t.Errorf("floor of a file: exit %d, want 1", code)
	}

	// Highlighted, the body's code, the example and the snippets come out
	// as chroma's classed spans.
	stdout.Reset()
	hl := filepath.Join(t.TempDir(), "out")
	if code := run([]string{"floor", "-highlight", "-src", src, "-out", hl}, &stdout, io.Discard); code != 0 || !strings.HasPrefix(stdout.String(), "floor: rendered and highlighted and wrote 20 articles") {
		t.Fatalf("highlight: exit %d, output %q", code, stdout.String())
	}
	html, err = os.ReadFile(filepath.Join(hl, "http", "10001", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(html, []byte(`<pre class="chroma">`)); n < 3 {
		t.Errorf("http/10001 has %d highlighted blocks, want the body's, the example's two and the snippets", n)
	}
	for _, want := range []string{`<span class="kr">HTTP</span>`, `<span class="s2">`, `<span class="gp">$</span>`} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("highlighted http/10001 lacks %q", want)
		}
	}
}

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"floor"}, "-src is required"},
		{[]string{"floor", "-src", "x", "extra"}, `unexpected argument "extra"`},
		{[]string{"gen", "-n", "0", "-out", "x"}, "-n must be at least 1"},
		{[]string{"-rounds", "0"}, "-rounds must be at least 1"},
		{[]string{"-sizes", "1000,ten"}, `size "ten" is not a number`},
	} {
		var stderr bytes.Buffer
		if code := run(tc.args, io.Discard, &stderr); code != 2 || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr.String(), tc.want)
		}
	}
}

func TestFreshMovesOldOutputsToTrash(t *testing.T) {
	work := t.TempDir()
	b := &bench{work: work, trash: filepath.Join(work, "trash"), log: io.Discard}
	for _, d := range []string{b.trash, filepath.Join(work, "out", "build")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(work, "out", "build", "index.html"), []byte("old"), 0o644)
	os.WriteFile(filepath.Join(work, "out", ".build.errwiki-cache"), []byte("cache"), 0o644)
	os.WriteFile(filepath.Join(work, "out", ".build-2.errwiki-cache"), []byte("other"), 0o644)
	p, err := b.fresh("build")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Errorf("%s still exists: %v", p, err)
	}
	if old, err := os.ReadFile(filepath.Join(b.trash, "000001-build", "index.html")); err != nil || string(old) != "old" {
		t.Errorf("old output not in the trash: %q, %v", old, err)
	}
	if cache, err := os.ReadFile(filepath.Join(b.trash, "000002-.build.errwiki-cache")); err != nil || string(cache) != "cache" {
		t.Errorf("the cache beside the old output not in the trash: %q, %v", cache, err)
	}
	if _, err := os.Stat(filepath.Join(work, "out", ".build-2.errwiki-cache")); err != nil {
		t.Errorf("the cache of another output was moved: %v", err)
	}
	if p2, err := b.fresh("build"); err != nil || p2 != p || b.trashed != 2 {
		t.Errorf("fresh of a missing output: %s, %v, %d trashed", p2, err, b.trashed)
	}
	b.emptyTrash()
	if _, err := os.Stat(b.trash); !os.IsNotExist(err) {
		t.Errorf("trash not deleted: %v", err)
	}
}

// TestRemoveTrash removes the trash of earlier runs, and nothing else,
// while another run may be deleting its own at the same time.
func TestRemoveTrash(t *testing.T) {
	work := t.TempDir()
	for i := range 200 {
		for _, d := range []string{"trash", "trash-1", "trash-2/sub"} {
			dir := filepath.Join(work, d, strconv.Itoa(i))
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, "index.html"), []byte("old"), 0o644)
		}
	}
	os.MkdirAll(filepath.Join(work, "out", "build"), 0o755)
	errs := make(chan error, 2)
	for range 2 {
		go func() { errs <- removeTrash(work) }()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Errorf("removeTrash beside another: %v", err)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(work, "trash*")); len(left) > 0 {
		t.Errorf("left %q", left)
	}
	if _, err := os.Stat(filepath.Join(work, "out", "build")); err != nil {
		t.Errorf("removed an output: %v", err)
	}
}

func TestSameCorpus(t *testing.T) {
	dir := t.TempDir()
	opts := benchcorpus.Options{Articles: 15}
	if same, err := sameCorpus(dir, opts); same || err != nil {
		t.Fatalf("empty dir: same=%v, %v", same, err)
	}
	if err := benchcorpus.WriteDir(dir, opts); err != nil {
		t.Fatal(err)
	}
	if same, err := sameCorpus(dir, opts); !same || err != nil {
		t.Fatalf("fresh corpus: same=%v, %v", same, err)
	}
	if same, _ := sameCorpus(dir, benchcorpus.Options{Articles: 16}); same {
		t.Error("a 15-article corpus passes for 16 articles")
	}
	extra := filepath.Join(dir, "content", "http", "99999.md")
	os.WriteFile(extra, []byte("---\n---\n"), 0o644)
	if same, _ := sameCorpus(dir, opts); same {
		t.Error("a corpus with an extra file passes")
	}
	os.Remove(extra)
	f := filepath.Join(dir, "content", "http", "10001.md")
	data, _ := os.ReadFile(f)
	os.WriteFile(f, append(data, '\n'), 0o644)
	if same, _ := sameCorpus(dir, opts); same {
		t.Error("a corpus with an edited article passes")
	}
}
