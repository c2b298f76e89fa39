package build

import (
	"encoding/xml"

	"github.com/errwiki/errwiki/internal/content"
)

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// sitemapOf is the sitemap protocol's urlset: the home page, every
// collection and every article, with lastmod from the article's updated date.
func sitemapOf(s *content.Site) *urlSet {
	urls := []sitemapURL{{Loc: s.AbsURL("/")}}
	for _, c := range s.Collections {
		var latest content.Date
		for _, a := range c.Articles {
			if a.Updated.After(latest.Time) {
				latest = a.Updated
			}
		}
		urls = append(urls, sitemapURL{Loc: s.AbsURL(c.Path()), LastMod: latest.String()})
		for _, a := range c.Articles {
			urls = append(urls, sitemapURL{Loc: s.AbsURL(a.Path()), LastMod: a.Updated.String()})
		}
	}
	return &urlSet{NS: "http://www.sitemaps.org/schemas/sitemap/0.9", URLs: urls}
}

type urlSet struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}
