package content

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

// TestScaffold checks that a new article lists every field, that check
// reports each required field until it is filled, and that it passes once
// they are.
func TestScaffold(t *testing.T) {
	data, err := Scaffold("http", "418")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, name := range fieldsOf(reflect.TypeFor[Article]()).names {
		if !strings.Contains(text, "\n"+name+":") {
			t.Errorf("field %s is missing from the scaffold", name)
		}
	}
	if !strings.Contains(text, "\ncode: \"418\"\n") {
		t.Errorf("code not filled in:\n%s", text)
	}

	line := func(field string) int {
		for i, l := range strings.Split(text, "\n") {
			if strings.HasPrefix(l, field) {
				return i + 1
			}
		}
		t.Fatalf("no line %q in the scaffold", field)
		return 0
	}
	_, err = loadWith(map[string]string{"content/http/418.md": text})
	var want []string
	for _, f := range []struct{ key, field, msg string }{
		{"name:", "name", "required"},
		{"category:", "category", "required"},
		{"summary:", "summary", "required"},
		{"causes:", "causes", "at least one cause is required"},
		{"steps:", "steps", "at least one step is required"},
		{"  question:", "quick_answer.question", "required"},
		{"  answer:", "quick_answer.answer", "required"},
	} {
		want = append(want, fmt.Sprintf("content/http/418.md:%d: %s: %s", line(f.key), f.field, f.msg))
	}
	if got := fmt.Sprint(err); got != strings.Join(want, "\n") {
		t.Errorf("unfilled scaffold:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}

	// The writer fills in the required fields, and nothing else.
	filled := strings.NewReplacer(
		`name: ""`, `name: I'm a teapot`,
		`category: ""`, `category: 4xx`,
		`summary: ""`, `summary: The server refuses to brew coffee because it is a teapot.`,
		"causes: []", "causes:\n  - The server is a teapot",
		"steps: []", "steps:\n  - Use a coffee pot",
		`question: ""`, `question: What does 418 mean?`,
		`answer: ""`, `answer: The server is a teapot.`,
	).Replace(text)
	site, err := loadWith(map[string]string{"content/http/418.md": filled})
	if err != nil {
		t.Fatalf("filled scaffold does not pass:\n%v\n%s", err, filled)
	}
	var a *Article
	for _, x := range site.Articles() {
		if x.Code == "418" {
			a = x
		}
	}
	if a == nil || a.Name != "I'm a teapot" || a.Slug != "418" || a.Path() != "/http/418/" || a.Draft || a.Example != nil {
		t.Errorf("filled scaffold loaded as %+v", a)
	}
}

func TestScaffoldFile(t *testing.T) {
	fsys := fstest.MapFS{
		"content/_index.md":         {Data: []byte(siteIndex)},
		"content/http/_index.md":    {Data: []byte(httpIndex)},
		"content/http/502.md":       {Data: []byte(validArticle)},
		"content/grpc/_index.md":    {Data: []byte(httpIndex)},
		"content/drafts/readme.txt": {Data: []byte("not a collection")},
	}
	for _, tc := range []struct {
		name, collection, code string
		want                   string // the file, or the error
	}{
		{"number", "http", "418", "content/http/418.md"},
		{"upper case", "grpc", "UNAVAILABLE", "content/grpc/unavailable.md"},
		{"dots and dashes", "http", "v1.2-x_y", "content/http/v1.2-x_y.md"},
		{"existing file", "http", "502", "content/http/502.md"}, // the caller refuses to overwrite it
		{"parent", "http", "../x", `code "../x" would make a file outside content/http/; a code holds no '/', '\' or '..'`},
		{"slash", "http", "a/b", `code "a/b" would make a file outside content/http/; a code holds no '/', '\' or '..'`},
		{"backslash", "http", `a\b`, `code "a\\b" would make a file outside content/http/; a code holds no '/', '\' or '..'`},
		{"spaces", "http", "UPPER CASE SPACE", `code "UPPER CASE SPACE" does not make a safe file name; the lower-cased code must use only a-z, 0-9, '.', '_' and '-', starting with a letter or digit`},
		{"dot file", "http", ".hidden", `code ".hidden" does not make a safe file name; the lower-cased code must use only a-z, 0-9, '.', '_' and '-', starting with a letter or digit`},
		{"leading dash", "http", "-1", `code "-1" does not make a safe file name; the lower-cased code must use only a-z, 0-9, '.', '_' and '-', starting with a letter or digit`},
		{"empty code", "http", "", "the code is empty"},
		{"reserved", "http", "Index", `code "Index" would take the reserved name "index"; create the file by hand with another name and set slug`},
		{"no collection", "htp", "418", `no collection "htp": content/htp/_index.md does not exist; the collections are grpc, http; did you mean "http"?`},
		{"directory without index", "drafts", "1", `no collection "drafts": content/drafts/_index.md does not exist; the collections are grpc, http`},
		{"collection outside", "..", "418", `collection ".." is not a collection directory name; use only a-z, 0-9, '.', '_' and '-'`},
		{"collection path", "http/x", "418", `collection "http/x" is not a collection directory name; use only a-z, 0-9, '.', '_' and '-'`},
		{"empty collection", "", "418", `collection "" is not a collection directory name; use only a-z, 0-9, '.', '_' and '-'`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file, err := ScaffoldFile(fsys, tc.collection, tc.code)
			got := file
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			_, scErr := Scaffold(tc.collection, tc.code)
			if wantErr := !strings.HasSuffix(tc.want, ".md") && !strings.HasPrefix(tc.want, "no collection"); (scErr != nil) != wantErr {
				t.Errorf("Scaffold error %v, want error: %v", scErr, wantErr)
			}
		})
	}
}
