package render

// Structured data for search engines (schema.org as JSON-LD). The template
// writes it inside <script type="application/ld+json">, where html/template
// marshals and escapes it.

type ldThing = map[string]any

// JSONLD is the article's structured data: a TechArticle, its breadcrumb
// trail, and an FAQPage from the quick answer and the FAQ.
func (p *ArticlePage) JSONLD() ldThing {
	a := p.Article
	questions := []ldThing{question(a.QuickAnswer.Question, a.QuickAnswer.Answer)}
	for _, qa := range a.FAQ {
		questions = append(questions, question(qa.Question, qa.Answer))
	}
	article := ldThing{
		"@type":       "TechArticle",
		"headline":    a.Title(),
		"description": a.Summary,
		"url":         p.Canonical(),
		"isPartOf":    ldThing{"@type": "CollectionPage", "name": a.Collection.Title, "url": p.Site.AbsURL(a.Collection.Path())},
		"inLanguage":  p.Site.Language,
	}
	if !a.Updated.IsZero() {
		article["dateModified"] = a.Updated.String()
	}
	return ldThing{
		"@context": "https://schema.org",
		"@graph": []ldThing{
			article,
			p.breadcrumbList(),
			{"@type": "FAQPage", "mainEntity": questions},
		},
	}
}

func question(q, a string) ldThing {
	return ldThing{
		"@type":          "Question",
		"name":           q,
		"acceptedAnswer": ldThing{"@type": "Answer", "text": a},
	}
}

func (p *Page) breadcrumbList() ldThing {
	items := make([]ldThing, len(p.Crumbs))
	for i, c := range p.Crumbs {
		items[i] = ldThing{"@type": "ListItem", "position": i + 1, "name": c.Name, "item": p.Site.AbsURL(c.Path)}
	}
	return ldThing{"@type": "BreadcrumbList", "itemListElement": items}
}
