package build

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"slices"
	"time"

	"github.com/errwiki/errwiki/internal/content"
)

// The JSON API: /<collection>/index.json lists a collection's codes,
// /<collection>/<slug>.json is one article's typed data (the search box's
// index is in search.go). URLs in them are site paths under the base path,
// ready to use as links.

type apiCategory struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

type apiEntry struct {
	Code     string      `json:"code"`
	Name     string      `json:"name"`
	Title    string      `json:"title"`
	Category apiCategory `json:"category"`
	Source   string      `json:"source,omitempty"`
	Fault    string      `json:"fault,omitempty"`
	Summary  string      `json:"summary"`
	URL      string      `json:"url"`
	JSON     string      `json:"json"`
}

type apiRelated struct {
	Code  string `json:"code"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

type apiArticle struct {
	apiEntry
	Collection  string            `json:"collection"`
	Tagline     string            `json:"tagline,omitempty"`
	Details     []string          `json:"details"`
	Causes      []string          `json:"causes"`
	Steps       []string          `json:"steps"`
	QuickAnswer content.QA        `json:"quick_answer"`
	FAQ         []content.QA      `json:"faq"`
	Related     []apiRelated      `json:"related"`
	References  []content.Link    `json:"references"`
	Aliases     []string          `json:"aliases"`
	Messages    []string          `json:"messages"`
	Updated     content.Date      `json:"updated"`
	Example     *content.Example  `json:"example,omitempty"`
	Send        []content.Snippet `json:"send"`
}

func entry(s *content.Site, a *content.Article) apiEntry {
	e := apiEntry{
		Code:    a.Code,
		Name:    a.Name,
		Title:   a.Title(),
		Source:  a.Source,
		Fault:   a.Fault,
		Summary: a.Summary,
		URL:     s.BasePath() + a.Collection.Key + "/" + a.Slug + "/",
		JSON:    s.BasePath() + a.Collection.Key + "/" + a.Slug + ".json",
	}
	if a.Category != nil {
		e.Category = apiCategory{a.Category.Key, a.Category.Name}
	}
	return e
}

func writeJSON(w io.Writer, v any) error { return json.NewEncoder(w).Encode(v) }

// writeXML writes v after the XML declaration.
func writeXML(w io.Writer, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	return xml.NewEncoder(w).Encode(v)
}

type apiCollection struct {
	Key         string     `json:"key"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Codes       []apiEntry `json:"codes"`
}

func collectionJSON(s *content.Site, c *content.Collection) *apiCollection {
	entries := make([]apiEntry, len(c.Articles))
	for i, a := range c.Articles {
		entries[i] = entry(s, a)
	}
	return &apiCollection{c.Key, c.Title, c.Description, entries}
}

func articleJSON(s *content.Site, a *content.Article) *apiArticle {
	out := &apiArticle{
		apiEntry:    entry(s, a),
		Collection:  a.Collection.Key,
		Tagline:     a.Tagline,
		Details:     nonNil(a.Details),
		Causes:      a.Causes,
		Steps:       a.Steps,
		QuickAnswer: a.QuickAnswer,
		FAQ:         nonNil(a.FAQ),
		Related:     []apiRelated{},
		References:  nonNil(a.References),
		Aliases:     nonNil(a.Aliases),
		Messages:    nonNil(a.Messages),
		Updated:     a.Updated,
		Example:     a.Example,
		Send:        nonNil(a.Send),
	}
	for _, r := range a.Related {
		out.Related = append(out.Related, apiRelated{r.Code, r.ShortTitle(), s.BasePath() + r.Collection.Key + "/" + r.Slug + "/"})
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// feedSize is how many articles the Atom feed carries.
const feedSize = 50

type feedLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
}

type feedEntry struct {
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Link    feedLink `xml:"link"`
	Updated string   `xml:"updated"`
	Summary string   `xml:"summary"`
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Links   []feedLink  `xml:"link"`
	Updated string      `xml:"updated"`
	Author  string      `xml:"author>name"`
	Entries []feedEntry `xml:"entry"`
}

// feedOf is an Atom feed of the most recently updated articles.
func feedOf(s *content.Site) *atomFeed {
	articles := slices.Clone(s.Articles())
	articles = slices.DeleteFunc(articles, func(a *content.Article) bool { return a.Updated.IsZero() })
	slices.SortStableFunc(articles, func(a, b *content.Article) int { return b.Updated.Compare(a.Updated.Time) })
	articles = articles[:min(len(articles), feedSize)]

	feed := &atomFeed{
		Title:  s.Title,
		ID:     s.AbsURL("/"),
		Links:  []feedLink{{Href: s.AbsURL("/")}, {Href: s.AbsURL("/feed.xml"), Rel: "self"}},
		Author: s.Title,
	}
	updated := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, a := range articles {
		if a.Updated.After(updated) {
			updated = a.Updated.Time
		}
		feed.Entries = append(feed.Entries, feedEntry{
			Title:   a.Title(),
			ID:      s.AbsURL(a.Path()),
			Link:    feedLink{Href: s.AbsURL(a.Path())},
			Updated: a.Updated.Format(time.RFC3339),
			Summary: a.Summary,
		})
	}
	feed.Updated = updated.Format(time.RFC3339)
	return feed
}
