package content

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxSummary is the longest summary, in characters, that still fits a
// search result snippet.
const MaxSummary = 160

// Lint returns the warnings found when the site was loaded: articles that
// are valid but thin.
func Lint(s *Site) ErrorList { return s.Warnings }

// lint reports articles that are valid but thin: too few causes, steps or
// questions, an overlong summary, a standard code without a reference, or a
// reference that is not https. Its findings are warnings, not errors.
func lint(s *Site) ErrorList {
	var warns ErrorList
	for _, a := range s.Articles() {
		lintArticle(a, &warns)
	}
	return warns.sorted()
}

// lintArticle appends the warnings about one article. They depend on the
// article alone, so a reload can lint only the articles that changed.
func lintArticle(a *Article, warns *ErrorList) {
	c := checker{a.File, a.pos, warns}
	if n := len(a.Causes); n < 3 {
		c.fail("causes", "thin article: %d cause(s); give at least 3", n)
	}
	if n := len(a.Steps); n < 3 {
		c.fail("steps", "thin article: %d step(s); give at least 3", n)
	}
	if n := len(a.FAQ); n < 2 {
		c.fail("faq", "thin article: %d question(s) besides the quick answer; give at least 2", n)
	}
	if n := utf8.RuneCountInString(a.Summary); n > MaxSummary {
		c.fail("summary", "%d characters; keep it under %d so search results show it whole", n, MaxSummary)
	}
	if a.Standard() && len(a.References) == 0 {
		c.fail("references", "a standard code needs a reference to the document that defines it")
	}
	for i, r := range a.References {
		if strings.HasPrefix(r.URL, "http://") {
			c.fail(fmt.Sprintf("references[%d].url", i), "use https")
		}
	}
}

func (l ErrorList) sorted() ErrorList {
	l.Sort()
	return l
}
