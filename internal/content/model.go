// Package content reads a site's content tree, decodes the front matter of
// every file strictly and validates it into a typed model: a Site holding
// Collections holding Articles.
//
// It is the first step of the flow (content → render → build → serve) and
// knows nothing of HTML: Markdown bodies are kept as source bytes.
package content

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Site is the whole wiki: content/_index.md and everything below it.
type Site struct {
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
	BaseURL     string `yaml:"base_url"`
	Language    string `yaml:"language"`
	Repository  string `yaml:"repository"`
	CNAME       string `yaml:"cname"`

	File        string // "content/_index.md"
	Digest      Digest // of the front matter: what pages besides the home page show
	Body        []byte // Markdown of the home page introduction
	Collections []*Collection
	Warnings    ErrorList // thin articles; see Lint (a load with a lean Cache leaves them out)

	base   *url.URL
	drafts []*Article // the drafts left out, whose codes and slugs still count
}

// BasePath is the path of BaseURL, with leading and trailing slashes: "/" or "/errwiki/".
func (s *Site) BasePath() string { return s.base.Path }

// AbsURL returns the absolute URL of a site path such as "/http/502/".
func (s *Site) AbsURL(path string) string {
	return s.base.Scheme + "://" + s.base.Host + s.base.Path + strings.TrimPrefix(path, "/")
}

// Collection returns the collection with the given key, or nil.
func (s *Site) Collection(key string) *Collection {
	for _, c := range s.Collections {
		if c.Key == key {
			return c
		}
	}
	return nil
}

// Articles returns every article of every collection, in collection order.
func (s *Site) Articles() []*Article {
	var all []*Article
	for _, c := range s.Collections {
		all = append(all, c.Articles...)
	}
	return all
}

// Collection is one directory of content: content/<key>/_index.md and its articles.
type Collection struct {
	Title       string      `yaml:"title"`
	Name        string      `yaml:"name"`
	Description string      `yaml:"description"`
	Order       int         `yaml:"order"`
	Categories  []*Category `yaml:"categories"`

	Key      string // directory name, e.g. "http"
	File     string
	Digest   Digest     // of the front matter: what pages besides the index show
	Body     []byte     // Markdown of the collection introduction
	Articles []*Article // in the collection's natural order of codes

	pos positions
}

// Path is the collection's site path, e.g. "/http/".
func (c *Collection) Path() string { return "/" + c.Key + "/" }

// Category is one group of a collection, such as "5xx Server Error".
type Category struct {
	Key         string `yaml:"key"`
	Name        string `yaml:"name"`
	Description string `yaml:"description"`

	Articles []*Article // in natural order
}

// Article is one error code: content/<collection>/<code>.md.
type Article struct {
	Code        string           `yaml:"code"`
	Slug        string           `yaml:"slug"`
	Name        string           `yaml:"name"`
	Tagline     string           `yaml:"tagline"`
	CategoryKey string           `yaml:"category"`
	Source      string           `yaml:"source"`
	Status      string           `yaml:"status"`
	Fault       string           `yaml:"fault"`
	Summary     string           `yaml:"summary"`
	RelatedRefs []string         `yaml:"related"`
	Updated     Date             `yaml:"updated"`
	Draft       bool             `yaml:"draft"`
	*Detail     `yaml:",inline"` // nil in an article loaded lean (see Cache.Lean)

	File       string
	Digest     Digest // of the file: tells a changed article from an unchanged one
	Meta       Digest // of the front matter: what pages other than its own show
	Body       []byte // Markdown below the front matter
	Collection *Collection
	Category   *Category
	Related    []*Article // resolved from RelatedRefs
	Prev, Next *Article   // neighbours in the collection's order

	pos positions // field lines, for problems found when the site is linked
}

// Detail is the front matter of an article that only its own page, its
// JSON and the search index show: everything but what other pages show of
// it (code, names, summary, category, links).
type Detail struct {
	Details     []string  `yaml:"details"`
	Causes      []string  `yaml:"causes"`
	Steps       []string  `yaml:"steps"`
	QuickAnswer QA        `yaml:"quick_answer"`
	FAQ         []QA      `yaml:"faq"`
	References  []Link    `yaml:"references"`
	Aliases     []string  `yaml:"aliases"`
	Messages    []string  `yaml:"messages"`
	Example     *Example  `yaml:"example"`
	Send        []Snippet `yaml:"send"`
}

// packText puts the strings of the fields other pages show of a, and of
// its related codes, in one allocation: kept for every article of a large
// site, they would otherwise be one allocation each.
func (a *Article) packText() {
	fields := []*string{&a.Code, &a.Slug, &a.Name, &a.Tagline, &a.Summary}
	for i := range a.RelatedRefs {
		fields = append(fields, &a.RelatedRefs[i])
	}
	n := 0
	for _, f := range fields {
		n += len(*f)
	}
	var b strings.Builder
	b.Grow(n)
	for _, f := range fields {
		b.WriteString(*f)
	}
	text := b.String()
	for _, f := range fields {
		*f, text = text[:len(*f)], text[len(*f):]
	}
}

// Title is "{collection name} {code} {name} — {tagline}", the tagline part
// left out when there is none.
func (a *Article) Title() string {
	t := a.Collection.Name + " " + a.Code + " " + a.Name
	if a.Tagline != "" {
		t += " — " + a.Tagline
	}
	return t
}

// ShortTitle is "{collection name} {code} {name}".
func (a *Article) ShortTitle() string { return a.Collection.Name + " " + a.Code + " " + a.Name }

// Path is the article's site path, e.g. "/http/502/".
func (a *Article) Path() string { return "/" + a.Collection.Key + "/" + a.Slug + "/" }

// Standard reports whether the code is defined by the collection's standard
// rather than by one vendor, whatever its Status.
func (a *Article) Standard() bool { return a.Source == "" }

// QA is one question and its answer.
type QA struct {
	Question string `yaml:"question" json:"question"`
	Answer   string `yaml:"answer" json:"answer"`
}

// Link is a titled external reference.
type Link struct {
	Title string `yaml:"title" json:"title"`
	URL   string `yaml:"url" json:"url"`
}

// Example is a real exchange showing the code, as raw protocol text.
type Example struct {
	Request  string `yaml:"request" json:"request"`
	Response string `yaml:"response" json:"response"`
}

// Snippet shows how to send the code in one language or server.
type Snippet struct {
	Lang string `yaml:"lang" json:"lang"`
	Code string `yaml:"code" json:"code"`
}

// Languages names the valid Snippet languages, as shown to readers.
var Languages = map[string]string{
	"go":      "Go",
	"express": "Node.js (Express)",
	"flask":   "Python (Flask)",
	"django":  "Python (Django)",
	"fastapi": "Python (FastAPI)",
	"spring":  "Java (Spring)",
	"dotnet":  "C# (ASP.NET Core)",
	"nginx":   "nginx",
	"apache":  "Apache httpd",
	"php":     "PHP",
	"rails":   "Ruby on Rails",
	// Languages for codes outside HTTP frameworks (gRPC, WebSocket, …).
	"python":     "Python",
	"java":       "Java",
	"csharp":     "C#",
	"node":       "Node.js",
	"javascript": "JavaScript (browser)",
}

// Faults are the valid values of Article.Fault, each naming who has to
// change something for the code to go away, with its badge.
var Faults = map[string]string{
	"client":  "Client must fix the request",
	"server":  "Server must be fixed",
	"proxy":   "Proxy or its upstream must be fixed",
	"network": "Network path must be fixed",
	"none":    "Nothing to fix",
}

// Statuses are the valid values of Article.Status, with how each is shown.
// A code whose standard marks it unused or deprecated keeps the standard as
// its definition; an unofficial one names its definer in Source.
var Statuses = map[string]string{
	"standard":   "Standard",
	"unused":     "Unused (reserved)",
	"deprecated": "Deprecated",
	"unofficial": "Unofficial",
}

// StatusLabel is how the article's status is shown to readers.
func (a *Article) StatusLabel() string { return Statuses[a.Status] }

// Date is a calendar date written YYYY-MM-DD.
type Date struct{ time.Time }

// UnmarshalYAML accepts only YYYY-MM-DD.
func (d *Date) UnmarshalYAML(n *yaml.Node) error {
	t, err := time.Parse(time.DateOnly, n.Value)
	if err != nil || n.Kind != yaml.ScalarNode {
		return fmt.Errorf("%q is not a date; write YYYY-MM-DD", n.Value)
	}
	d.Time = t
	return nil
}

// MarshalJSON writes the date as "YYYY-MM-DD", or null when unset.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.Format(time.DateOnly) + `"`), nil
}

// String is the date as YYYY-MM-DD, or "" when unset.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Format(time.DateOnly)
}
