package build

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/errwiki/errwiki/internal/content"
)

var jsonLDRE = regexp.MustCompile(`(?s)<script type=application/ld\+json>(.*?)</script>`)

// TestJSONLD parses the structured data of every article page: valid JSON,
// the expected types, and FAQPage questions equal to the article's.
func TestJSONLD(t *testing.T) {
	site, out := buildShipped(t)
	for _, a := range site.Articles() {
		page, _ := out.File(a.Collection.Key + "/" + a.Slug + "/index.html")
		m := jsonLDRE.FindSubmatch(page)
		if m == nil {
			t.Errorf("%s: no JSON-LD", a.File)
			continue
		}
		var ld struct {
			Context string `json:"@context"`
			Graph   []struct {
				Type       string `json:"@type"`
				Headline   string `json:"headline"`
				URL        string `json:"url"`
				MainEntity []struct {
					Type   string `json:"@type"`
					Name   string `json:"name"`
					Answer struct {
						Text string `json:"text"`
					} `json:"acceptedAnswer"`
				} `json:"mainEntity"`
				Items []struct {
					Position int    `json:"position"`
					Item     string `json:"item"`
				} `json:"itemListElement"`
			} `json:"@graph"`
		}
		if err := json.Unmarshal(m[1], &ld); err != nil {
			t.Errorf("%s: JSON-LD does not parse: %v\n%s", a.File, err, m[1])
			continue
		}
		if ld.Context != "https://schema.org" || len(ld.Graph) != 3 {
			t.Fatalf("%s: unexpected JSON-LD shape: %s", a.File, m[1])
		}
		article, crumbs, faq := ld.Graph[0], ld.Graph[1], ld.Graph[2]
		if article.Type != "TechArticle" || article.Headline != a.Title() || article.URL != site.AbsURL(a.Path()) {
			t.Errorf("%s: TechArticle = %+v", a.File, article)
		}
		if crumbs.Type != "BreadcrumbList" || len(crumbs.Items) != 3 || crumbs.Items[2].Item != site.AbsURL(a.Path()) {
			t.Errorf("%s: BreadcrumbList = %+v", a.File, crumbs)
		}
		want := append([]content.QA{a.QuickAnswer}, a.FAQ...)
		if faq.Type != "FAQPage" || len(faq.MainEntity) != len(want) {
			t.Errorf("%s: FAQPage has %d questions, want %d", a.File, len(faq.MainEntity), len(want))
			continue
		}
		for i, q := range faq.MainEntity {
			if q.Type != "Question" || q.Name != want[i].Question || q.Answer.Text != want[i].Answer {
				t.Errorf("%s: question %d = %+v, want %+v", a.File, i, q, want[i])
			}
		}
	}
}
