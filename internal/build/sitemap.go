package build

import (
	"encoding/xml"
	"io"

	"github.com/errwiki/errwiki/internal/content"
)

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// writeSitemap writes the sitemap protocol's urlset: the home page, every
// collection and every article, with lastmod from the article's updated date.
func writeSitemap(w io.Writer, s *content.Site) error {
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
	set := struct {
		XMLName xml.Name     `xml:"urlset"`
		NS      string       `xml:"xmlns,attr"`
		URLs    []sitemapURL `xml:"url"`
	}{NS: "http://www.sitemaps.org/schemas/sitemap/0.9", URLs: urls}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	return xml.NewEncoder(w).Encode(set)
}
