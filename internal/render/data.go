package render

import (
	"strings"

	"github.com/errwiki/errwiki/internal/content"
)

// The data a template sees holds values, not the content model: a page's
// own article, the link data of the articles it lists or links, and the
// site's and collections' own fields, never a pointer from which a
// template could reach the rest of the site. So a page is made from its
// data alone, and a digest of that data (build's output keys) changes
// whenever the page can.

// Site is what every page may show of the site: its front matter and its
// collections' (with counts, not articles).
type Site struct {
	Title, Description, BaseURL, Language, Repository, CNAME string
	Collections                                              []*Collection

	basePath string // "/errwiki/"
	root     string // "https://user.github.io/errwiki/"
	byKey    map[string]*Collection
	sidebars map[string]*Sidebar // by collection key, made once for its articles
}

// Collection is what pages may show of a collection besides its index.
type Collection struct {
	Key, Title, Name, Description, Path string
	Order, Count                        int // Count is its number of articles
	Categories                          []*Category
}

// Category is one group of a collection, with its number of articles.
type Category struct {
	Key, Name, Description string
	Count                  int
}

// Article is an article page's own article: its front matter, file and
// digest, and its collection and category; its neighbours and related
// articles are not reachable from it.
type Article struct {
	content.Article // a copy, with no body and no links to other articles

	Title, ShortTitle, Path string
	Collection              *Collection
	Category                *Category
	FileDigest              content.Digest // of the file, which holds the body

	src *content.Article // for the body, read when the page is made
}

// NewSite returns what pages may show of s.
func NewSite(s *content.Site) *Site {
	v := &Site{
		Title: s.Title, Description: s.Description, BaseURL: s.BaseURL, Language: s.Language,
		Repository: s.Repository, CNAME: s.CNAME,
		basePath: s.BasePath(), root: s.AbsURL("/"), byKey: make(map[string]*Collection, len(s.Collections)),
		sidebars: make(map[string]*Sidebar, len(s.Collections)),
	}
	for _, c := range s.Collections {
		vc := &Collection{Key: c.Key, Title: c.Title, Name: c.Name, Description: c.Description,
			Path: c.Path(), Order: c.Order, Count: len(c.Articles)}
		for _, cat := range c.Categories {
			vc.Categories = append(vc.Categories, &Category{cat.Key, cat.Name, cat.Description, len(cat.Articles)})
		}
		v.Collections = append(v.Collections, vc)
		v.byKey[c.Key] = vc
		v.sidebars[c.Key] = newSidebar(v, c)
	}
	return v
}

// BasePath is the path of BaseURL, with leading and trailing slashes: "/"
// or "/errwiki/".
func (s *Site) BasePath() string { return s.basePath }

// AbsURL returns the absolute URL of a site path such as "/http/502/".
func (s *Site) AbsURL(path string) string { return s.root + strings.TrimPrefix(path, "/") }

// sidebar returns the sidebar of c, the same for each of its articles.
func (s *Site) sidebar(c *content.Collection) *Sidebar { return s.sidebars[c.Key] }

// article returns the view of a, an article of the site s was made from.
func (s *Site) article(a *content.Article) *Article {
	v := &Article{Article: *a, Title: a.Title(), ShortTitle: a.ShortTitle(), Path: a.Path(), FileDigest: a.Digest, src: a}
	v.Article.Body = nil
	v.Article.Collection, v.Article.Category = nil, nil
	v.Article.Related, v.Article.Prev, v.Article.Next = nil, nil, nil
	v.Collection = s.byKey[a.Collection.Key]
	if a.Category != nil && v.Collection != nil {
		for _, cat := range v.Collection.Categories {
			if cat.Key == a.Category.Key {
				v.Category = cat
			}
		}
	}
	return v
}

// link is what a page shows of another article.
func (p *Page) link(r *content.Article) *RelatedLink {
	if r == nil {
		return nil
	}
	return &RelatedLink{r.Code, r.Name, r.ShortTitle(), p.URL(r.Path()), r.Summary}
}
