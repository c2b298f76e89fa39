package render

import (
	"html/template"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dlclark/regexp2/v2"
)

// inlineAllCases are lines that convert differently together than alone
// unless inlineAll notices, and ordinary ones.
var inlineAllCases = []string{
	"Restart the `upstream` service.",
	"plain words",
	"**bold** and _em_ and ~~gone~~",
	"a [link](https://example.com/) and https://example.com/bare",
	"- a list of its own",
	"1. an ordered one",
	"# a heading",
	"---",
	"[ref]: https://example.com/defined",
	"uses [ref] and [ref][]",
	"ends with a backslash\\",
	"<li>raw</li> & <b>tags</b>",
	"    indented four",
	"> quoted",
	"| a | b |",
	"",
	"two\nlines",
}

// TestInlineAll converts every pair of the cases together and checks that
// each line's HTML is what it is alone: no line changes another.
func TestInlineAll(t *testing.T) {
	r := &Renderer{md: newMarkdown()}
	alone := map[string]template.HTML{}
	for _, line := range inlineAllCases {
		h, err := r.inlineAll([]string{line})
		if err != nil {
			t.Fatal(err)
		}
		alone[line] = h[0]
	}
	for _, a := range inlineAllCases {
		for _, b := range inlineAllCases {
			got, err := r.inlineAll([]string{a, b})
			if err != nil {
				t.Fatal(err)
			}
			if want := []template.HTML{alone[a], alone[b]}; !slices.Equal(got, want) {
				t.Errorf("inlineAll(%q, %q) = %q, want %q", a, b, got, want)
			}
		}
	}
	if got := alone["Restart the `upstream` service."]; got != "Restart the <code>upstream</code> service." {
		t.Errorf("code span: %q", got)
	}
	if got := alone["<li>raw</li> & <b>tags</b>"]; strings.Contains(string(got), "<li>") {
		t.Errorf("raw HTML passed through: %q", got)
	}
}

// FuzzInlineAll checks the same for any two lines.
func FuzzInlineAll(f *testing.F) {
	for i, a := range inlineAllCases {
		f.Add(a, inlineAllCases[(i+1)%len(inlineAllCases)])
	}
	r := &Renderer{md: newMarkdown()}
	f.Fuzz(func(t *testing.T, a, b string) {
		got, err := r.inlineAll([]string{a, b})
		if err != nil {
			t.Fatal(err)
		}
		ha, err := r.inlineAll([]string{a})
		if err != nil {
			t.Fatal(err)
		}
		hb, err := r.inlineAll([]string{b})
		if err != nil {
			t.Fatal(err)
		}
		if want := []template.HTML{ha[0], hb[0]}; !slices.Equal(got, want) {
			t.Errorf("inlineAll(%q, %q) = %q, want %q", a, b, got, want)
		}
	})
}

// FuzzPlain checks that goldmark converts a line plain calls plain to
// plainHTML, as an item of a list (which is how prose converts lines) and
// on its own, but for the &quot; it writes for '"'.
func FuzzPlain(f *testing.F) {
	for _, line := range inlineAllCases {
		f.Add(line)
	}
	for _, line := range []string{"It's \"quoted\"", "www.example.com", "ops@example.com", "1) first", "+ plus", "= setext", "a | b", "Retry after 30 s.", "trailing ", "\tindented", "#1 cause", "***"} {
		f.Add(line)
	}
	r := &Renderer{md: newMarkdown()}
	norm := strings.NewReplacer("&quot;", `"`)
	f.Fuzz(func(t *testing.T, line string) {
		if !plain(line) {
			return
		}
		want := string(plainHTML(line))
		items, ok, err := r.inlineList([]string{line})
		if err != nil || !ok {
			t.Fatalf("inlineList(%q) = %v, %v", line, ok, err)
		}
		if got := norm.Replace(string(items[0])); got != want {
			t.Errorf("as a list item, %q converts to %q, not %q", line, got, want)
		}
		h, err := r.markdown([]byte(line))
		if err != nil {
			t.Fatal(err)
		}
		if got := norm.Replace(string(h)); got != "<p>"+want+"</p>\n" {
			t.Errorf("alone, %q converts to %q, not <p>%s</p>", line, got, want)
		}
	})
}

// TestHeadingLevels checks that an article body's headings go one level
// down, under the page's <h2> sections, and an introduction's stay as
// written, right under the page's <h1>.
func TestHeadingLevels(t *testing.T) {
	r := &Renderer{md: newMarkdown()}
	src := []byte("## Who sends them\n\n### Retries\n")
	tests := []struct {
		name    string
		convert func([]byte) (template.HTML, error)
		want    []string
	}{
		{"introduction", r.markdown, []string{`<h2 id="who-sends-them"`, `<h3 id="retries"`}},
		{"article body", func(b []byte) (template.HTML, error) { h, _, err := r.articleBody(b); return h, err }, []string{`<h3 id="who-sends-them"`, `<h4 id="retries"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := tt.convert(src)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range tt.want {
				if !strings.Contains(string(h), want) {
					t.Errorf("got %s, want %s", h, want)
				}
			}
		})
	}
}

// TestNoMatchDeadline runs a match that takes well over the 250 ms that
// chroma gives each rule of its lexers: it must finish, not time out, so
// that the same code is highlighted the same however loaded the machine.
func TestNoMatchDeadline(t *testing.T) {
	re := regexp2.MustCompile(`^(a|aa)*$`, regexp2.None)
	re.MatchTimeout = 250 * time.Millisecond // as chroma sets it
	input := strings.Repeat("a", 32) + "b"   // millions of ways to fail
	start := time.Now()
	ok, err := re.MatchString(input)
	if took := time.Since(start); took < 300*time.Millisecond {
		t.Skipf("the match took %v, too little to reach the deadline", took)
	}
	if err != nil || ok {
		t.Errorf("match = %v, %v; want no match and no timeout", ok, err)
	}
}
