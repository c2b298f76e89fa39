package render

// Structured data for search engines (schema.org as JSON-LD). The template
// writes it inside <script type="application/ld+json">, where html/template
// marshals and escapes it. Typed structs, not maps: they marshal in a
// fraction of the time, and every article page carries one.

type ldGraph struct {
	Context string `json:"@context"`
	Graph   []any  `json:"@graph"`
}

type ldArticle struct {
	Type         string       `json:"@type"`
	Headline     string       `json:"headline"`
	Description  string       `json:"description"`
	URL          string       `json:"url"`
	IsPartOf     ldCollection `json:"isPartOf"`
	InLanguage   string       `json:"inLanguage"`
	DateModified string       `json:"dateModified,omitempty"`
}

type ldCollection struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

type ldBreadcrumbs struct {
	Type  string    `json:"@type"`
	Items []ldCrumb `json:"itemListElement"`
}

type ldCrumb struct {
	Type     string `json:"@type"`
	Position int    `json:"position"`
	Name     string `json:"name"`
	Item     string `json:"item"`
}

type ldFAQ struct {
	Type       string       `json:"@type"`
	MainEntity []ldQuestion `json:"mainEntity"`
}

type ldQuestion struct {
	Type           string   `json:"@type"`
	Name           string   `json:"name"`
	AcceptedAnswer ldAnswer `json:"acceptedAnswer"`
}

type ldAnswer struct {
	Type string `json:"@type"`
	Text string `json:"text"`
}

// JSONLD is the article's structured data: a TechArticle, its breadcrumb
// trail, and an FAQPage from the quick answer and the FAQ.
func (p *ArticlePage) JSONLD() ldGraph {
	a := p.Article
	questions := make([]ldQuestion, 0, 1+len(a.FAQ))
	questions = append(questions, question(a.QuickAnswer.Question, a.QuickAnswer.Answer))
	for _, qa := range a.FAQ {
		questions = append(questions, question(qa.Question, qa.Answer))
	}
	return ldGraph{
		Context: "https://schema.org",
		Graph: []any{
			ldArticle{
				Type:         "TechArticle",
				Headline:     a.Title,
				Description:  a.Summary,
				URL:          p.Canonical,
				IsPartOf:     ldCollection{"CollectionPage", a.Collection.Title, p.Site.AbsURL(a.Collection.Path)},
				InLanguage:   p.Site.Language,
				DateModified: a.Updated.String(),
			},
			p.breadcrumbList(),
			ldFAQ{"FAQPage", questions},
		},
	}
}

func question(q, a string) ldQuestion {
	return ldQuestion{"Question", q, ldAnswer{"Answer", a}}
}

func (p *Page) breadcrumbList() ldBreadcrumbs {
	items := make([]ldCrumb, len(p.Crumbs))
	for i, c := range p.Crumbs {
		items[i] = ldCrumb{"ListItem", i + 1, c.Name, p.Site.AbsURL(c.Path)}
	}
	return ldBreadcrumbs{"BreadcrumbList", items}
}
