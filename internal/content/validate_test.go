package content

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

const siteIndex = `---
title: Test Wiki
description: A wiki for tests.
base_url: https://example.com/wiki/
---
Welcome.
`

const httpIndex = `---
title: HTTP Status Codes
name: HTTP
description: Status codes.
categories:
  - key: 4xx
    name: 4xx Client Error
  - key: 5xx
    name: 5xx Server Error
---
`

// validArticle is content/http/502.md in the table below; its line numbers
// are the ones the expected messages name.
const validArticle = `---
code: "502"
name: Bad Gateway
category: 5xx
summary: A proxy got a bad answer from upstream.
causes:
  - Backend down
steps:
  - Restart the backend
quick_answer:
  question: What causes 502?
  answer: A crashed backend.
related: ["404"]
---
Body.
`

const otherArticle = `---
code: "404"
name: Not Found
category: 4xx
summary: Nothing is at this URL.
causes: [Typo]
steps: [Check the URL]
quick_answer:
  question: What is 404?
  answer: Nothing there.
---
`

func TestNamedPipeIsNotRead(t *testing.T) {
	fsys := fstest.MapFS{
		"content/_index.md":      {Data: []byte(siteIndex)},
		"content/http/_index.md": {Data: []byte(httpIndex)},
		"content/http/404.md":    {Data: []byte(otherArticle)},
		"content/http/502.md":    {Mode: fs.ModeNamedPipe},
	}
	_, err := Load(fsys, Options{})
	want := "content/http/502.md: not a regular file; content/ holds only Markdown files and directories"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

func TestIndentedDashesStayInTheirField(t *testing.T) {
	site, err := loadWith(map[string]string{"content/http/502.md": edit("related:", "example:\n  response: |\n    HTTP/1.1 502 Bad Gateway\n\n    ---\n    x\nrelated:")})
	if err != nil {
		t.Fatal(err)
	}
	a := site.Collection("http").Articles[1]
	if want := "HTTP/1.1 502 Bad Gateway\n\n---\nx\n"; a.Example.Response != want {
		t.Errorf("response %q, want %q", a.Example.Response, want)
	}
	if want := "Body.\n"; string(a.Body) != want {
		t.Errorf("body %q, want %q", a.Body, want)
	}
}

func loadWith(files map[string]string) (*Site, error) {
	fsys := fstest.MapFS{
		"content/_index.md":      {Data: []byte(siteIndex)},
		"content/http/_index.md": {Data: []byte(httpIndex)},
		"content/http/404.md":    {Data: []byte(otherArticle)},
		"content/http/502.md":    {Data: []byte(validArticle)},
	}
	for name, data := range files {
		if data == "" {
			delete(fsys, name)
			continue
		}
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return Load(fsys, Options{})
}

// edit returns validArticle with each old string replaced by the new one.
func edit(pairs ...string) string {
	return strings.NewReplacer(pairs...).Replace(validArticle)
}

func TestValidation(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"missing causes", map[string]string{"content/http/502.md": edit("causes:\n  - Backend down\n", "")},
			"content/http/502.md:1: causes: at least one cause is required"},
		{"three problems in one file", map[string]string{"content/http/502.md": edit("causes:\n  - Backend down\n", "", "name:", "nmae:", "category: 5xx", "category: 6xx")},
			"content/http/502.md:1: causes: at least one cause is required\n" +
				"content/http/502.md:3: nmae: unknown field; did you mean \"name\"?\n" +
				"content/http/502.md:4: category: unknown category \"6xx\"; content/http/_index.md declares \"4xx\", \"5xx\"; did you mean \"4xx\"?"},
		{"empty causes", map[string]string{"content/http/502.md": edit("causes:\n  - Backend down\n", "causes: []\n")},
			"content/http/502.md:6: causes: at least one cause is required"},
		{"empty steps", map[string]string{"content/http/502.md": edit("  - Restart the backend\n", "  - \"\"\n")},
			"content/http/502.md:9: steps[0]: required"},
		{"misspelled field", map[string]string{"content/http/502.md": edit("category:", "catgory:")},
			"content/http/502.md:4: catgory: unknown field; did you mean \"category\"?"},
		{"unknown field, nothing close", map[string]string{"content/http/502.md": edit("name: Bad Gateway", "name: Bad Gateway\nflavour: sweet")},
			"content/http/502.md:4: flavour: unknown field"},
		{"nested unknown field", map[string]string{"content/http/502.md": edit("  answer:", "  answr:")},
			"content/http/502.md:12: quick_answer.answr: unknown field; did you mean \"answer\"?"},
		{"unknown category", map[string]string{"content/http/502.md": edit("category: 5xx", "category: 5xxx")},
			"content/http/502.md:4: category: unknown category \"5xxx\"; content/http/_index.md declares \"4xx\", \"5xx\"; did you mean \"5xx\"?"},
		{"missing required strings", map[string]string{"content/http/502.md": edit("name: Bad Gateway\n", "", "summary: A proxy got a bad answer from upstream.\n", "")},
			"content/http/502.md:1: name: required\ncontent/http/502.md:1: summary: required"},
		{"wrong type", map[string]string{"content/http/502.md": edit("causes:\n  - Backend down\n", "causes: Backend down\n")},
			"content/http/502.md:6: causes: expected a list, got \"Backend down\""},
		{"unquoted colon", map[string]string{"content/http/502.md": edit("  - Backend down", "  - Note: the backend is down")},
			"content/http/502.md:7: causes[0]: expected a string, got a mapping (quote text that contains \": \")"},
		{"multi-line summary", map[string]string{"content/http/502.md": edit("summary: A proxy got a bad answer from upstream.", "summary: |\n  Two\n  lines")},
			"content/http/502.md:5: summary: must be a single line"},
		{"duplicate code", map[string]string{"content/http/bad-gateway.md": validArticle},
			"content/http/bad-gateway.md:2: code: duplicate code \"502\"; content/http/502.md has it too"},
		{"unknown related", map[string]string{"content/http/502.md": edit(`["404"]`, `["404", "599"]`)},
			"content/http/502.md:13: related[1]: no article with code \"599\" in collection \"http\""},
		{"unknown related collection", map[string]string{"content/http/502.md": edit(`["404"]`, `["grpc/14"]`)},
			"content/http/502.md:13: related[0]: unknown collection \"grpc\" in \"grpc/14\""},
		{"related to itself", map[string]string{"content/http/502.md": edit(`["404"]`, `["http/502"]`)},
			"content/http/502.md:13: related[0]: an article cannot be related to itself"},
		{"reference not http", map[string]string{"content/http/502.md": edit("related:", "references:\n  - title: Spec\n    url: javascript:alert(1)\nrelated:")},
			"content/http/502.md:15: references[0].url: \"javascript:alert(1)\" is not an http(s) URL"},
		{"reference without title", map[string]string{"content/http/502.md": edit("related:", "references:\n  - url: https://example.com/\nrelated:")},
			"content/http/502.md:14: references[0].title: required"},
		{"bad date", map[string]string{"content/http/502.md": edit("related:", "updated: 2026-13-01\nrelated:")},
			"content/http/502.md:13: updated: \"2026-13-01\" is not a date; write YYYY-MM-DD"},
		{"unsafe slug", map[string]string{"content/http/502.md": edit("name:", "slug: ../etc\nname:")},
			"content/http/502.md:3: slug: \"../etc\" is not a safe URL segment; use only a-z, 0-9, '.', '_' and '-', starting with a letter or digit"},
		{"code makes no safe slug", map[string]string{"content/http/502.md": edit(`code: "502"`, `code: "550 5.1.1"`)},
			"content/http/502.md:2: code: \"550 5.1.1\" does not make a safe URL segment; add a slug of a-z, 0-9, '.', '_' and '-'"},
		{"reserved slug", map[string]string{"content/http/502.md": edit("name:", "slug: index\nname:")},
			"content/http/502.md:3: slug: \"index\" is reserved; choose another slug"},
		{"bad fault", map[string]string{"content/http/502.md": edit("related:", "fault: severs\nrelated:")},
			"content/http/502.md:13: fault: \"severs\" is not one of client, network, none, proxy, server; did you mean \"server\"?"},
		{"bad send lang", map[string]string{"content/http/502.md": edit("related:", "send:\n  - {lang: golang, code: x}\n  - {lang: nginx, code: return 502;}\n  - {lang: nginx, code: return 502;}\nrelated:")},
			"content/http/502.md:14: send[0].lang: \"golang\" is not one of apache, csharp, django, dotnet, express, fastapi, flask, go, java, javascript, nginx, node, php, python, rails, spring\n" +
				"content/http/502.md:16: send[2].lang: \"nginx\" is listed twice"},
		{"messages", map[string]string{"content/http/502.md": edit("related:", "messages: [\"upstream prematurely closed connection\", \"two\\nlines\", \"\"]\nrelated:")},
			"content/http/502.md:13: messages[1]: must be a single line\n" +
				"content/http/502.md:13: messages[2]: required"},
		{"unknown status", map[string]string{"content/http/502.md": edit("category:", "status: unsued\ncategory:")},
			"content/http/502.md:4: status: \"unsued\" is not one of deprecated, standard, unofficial, unused; did you mean \"unused\"?"},
		{"unofficial status without source", map[string]string{"content/http/502.md": edit("category:", "status: unofficial\ncategory:")},
			"content/http/502.md:4: status: an unofficial code needs source: who defines it, such as nginx or Cloudflare"},
		{"status contradicts source", map[string]string{"content/http/502.md": edit("category:", "source: nginx\nstatus: standard\ncategory:")},
			"content/http/502.md:5: status: \"standard\", but source \"nginx\" makes the code unofficial; remove one of them"},
		{"empty example", map[string]string{"content/http/502.md": edit("related:", "example: {}\nrelated:")},
			"content/http/502.md:13: example: give a request, a response or both"},
		{"alias", map[string]string{"content/http/502.md": edit("causes:\n  - Backend down\n", "x: &a [lol, lol]\ncauses: [*a, *a]\n")},
			"content/http/502.md:6: x: unknown field\n" +
				"content/http/502.md:7: causes[0]: YAML aliases (*name) are not supported; write the value out\n" +
				"content/http/502.md:7: causes[1]: YAML aliases (*name) are not supported; write the value out"},
		{"invalid YAML", map[string]string{"content/http/502.md": edit("name: Bad Gateway", "name: [Bad")},
			"content/http/502.md:3: invalid YAML: did not find expected ',' or ']'"},
		{"duplicate field", map[string]string{"content/http/502.md": edit("category: 5xx", "category: 5xx\nname: Other")},
			"content/http/502.md:5: name: duplicate field; line 3 has it already"},
		{"duplicate nested field", map[string]string{"content/http/502.md": edit("  answer: A crashed backend.", "  answer: A crashed backend.\n  question: Again?")},
			"content/http/502.md:13: quick_answer.question: duplicate field; line 11 has it already"},
		{"invalid UTF-8", map[string]string{"content/http/502.md": edit("Backend down", "Backend \xff down")},
			"content/http/502.md:7: invalid UTF-8 (byte 0xff); save the file as UTF-8"},
		{"byte order mark", map[string]string{"content/http/502.md": "\uFEFF" + edit("causes:\n  - Backend down\n", "")},
			"content/http/502.md:1: causes: at least one cause is required"},
		{"indented --- stays in its block scalar", map[string]string{"content/http/502.md": edit("related:", "example:\n  response: |\n    ---\n    x\nflavour: sweet\nrelated:")},
			"content/http/502.md:17: flavour: unknown field"},
		{"no front matter", map[string]string{"content/http/502.md": "Just text.\n"},
			"content/http/502.md:1: no front matter: the file must start with a line \"---\", the YAML fields, and another \"---\""},
		{"blank lines before front matter", map[string]string{"content/http/502.md": "\n\n" + edit("causes:\n  - Backend down\n", "causes: []\n")},
			"content/http/502.md:8: causes: at least one cause is required"},
		{"site base_url", map[string]string{"content/_index.md": strings.Replace(siteIndex, "https://example.com/wiki/", "example.com", 1)},
			"content/_index.md:4: base_url: \"example.com\" is not an absolute http(s) URL such as https://user.github.io/repo/"},
		{"site missing", map[string]string{"content/_index.md": ""},
			"content/_index.md: missing: the site's title, description and base_url live here"},
		{"collection without categories", map[string]string{"content/http/_index.md": "---\ntitle: T\nname: N\ndescription: D\n---\n"},
			"content/http/_index.md:1: categories: at least one category is required"},
		{"collection index missing", map[string]string{"content/grpc/14.md": otherArticle},
			"content/grpc/_index.md: missing: every collection directory needs an _index.md with its title, name and categories"},
		{"article outside a collection", map[string]string{"content/502.md": validArticle},
			"content/502.md: articles belong in a collection directory, e.g. content/http/"},
		{"nested directory", map[string]string{"content/http/old/502.md": validArticle},
			"content/http/old: nested directories are not supported; put articles in content/<collection>/"},
		{"not markdown", map[string]string{"content/http/notes.txt": "x"},
			"content/http/notes.txt: not a Markdown file; content/ holds only .md files"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadWith(tc.files)
			if err == nil {
				t.Fatalf("no error; want\n%s", tc.want)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestLint(t *testing.T) {
	site, err := loadWith(map[string]string{
		"content/http/502.md": edit("related:", "references:\n  - title: Spec\n    url: http://example.com/\nrelated:",
			"summary: A proxy got a bad answer from upstream.", "summary: "+strings.Repeat("x", 161)),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `content/http/404.md:1: faq: thin article: 0 question(s) besides the quick answer; give at least 2
content/http/404.md:1: references: a standard code needs a reference to the document that defines it
content/http/404.md:6: causes: thin article: 1 cause(s); give at least 3
content/http/404.md:7: steps: thin article: 1 step(s); give at least 3
content/http/502.md:1: faq: thin article: 0 question(s) besides the quick answer; give at least 2
content/http/502.md:5: summary: 161 characters; keep it under 160 so search results show it whole
content/http/502.md:6: causes: thin article: 1 cause(s); give at least 3
content/http/502.md:8: steps: thin article: 1 step(s); give at least 3
content/http/502.md:15: references[0].url: use https`
	if got := Lint(site).Error(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestSortArticles(t *testing.T) {
	codes := []string{"UNAVAILABLE", "10", "2", "abc", "ABD", "007", "7", "1"}
	var arts []*Article
	for _, c := range codes {
		arts = append(arts, &Article{Code: c})
	}
	sortArticles(arts)
	var got []string
	for _, a := range arts {
		got = append(got, a.Code)
	}
	want := "1 2 007 7 10 abc ABD UNAVAILABLE"
	if strings.Join(got, " ") != want {
		t.Errorf("got %v, want %s", got, want)
	}
	for i := 1; i < len(got); i++ {
		if CompareCodes(got[i-1], got[i]) > 0 {
			t.Errorf("CompareCodes disagrees at %s, %s", got[i-1], got[i])
		}
	}
}

func TestStatusDefaults(t *testing.T) {
	for _, tc := range []struct {
		name, front, want string
	}{
		{"standard by default", "category:", "standard"},
		{"unofficial with a source", "source: nginx\ncategory:", "unofficial"},
		{"unofficial given with a source", "source: nginx\nstatus: unofficial\ncategory:", "unofficial"},
		{"unused", "status: unused\ncategory:", "unused"},
		{"deprecated", "status: deprecated\ncategory:", "deprecated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			site, err := loadWith(map[string]string{"content/http/502.md": edit("category:", tc.front)})
			if err != nil {
				t.Fatal(err)
			}
			a := site.Collection("http").Articles[1]
			if a.Status != tc.want || a.StatusLabel() != Statuses[tc.want] {
				t.Errorf("status %q (%q), want %q", a.Status, a.StatusLabel(), tc.want)
			}
		})
	}
}
