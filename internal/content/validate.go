package content

import (
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

// reservedSlugs would collide with files the build writes into a collection directory.
var reservedSlugs = []string{"index", "index.json", "feed.xml"}

// checker appends an error at the line of a field.
type checker struct {
	file string
	pos  positions
	errs *ErrorList
}

func (c checker) fail(field, format string, args ...any) {
	if c.pos.bad[field] {
		return
	}
	*c.errs = append(*c.errs, &Error{File: c.file, Line: c.pos.line(field), Field: field, Msg: fmt.Sprintf(format, args...)})
}

func (c checker) required(field, value string) {
	if strings.TrimSpace(value) == "" {
		c.fail(field, "required")
	}
}

func (c checker) oneLine(field, value string) {
	if strings.ContainsAny(value, "\n\r") {
		c.fail(field, "must be a single line")
	}
}

func (c checker) httpURL(field, value string) {
	u, err := url.Parse(value)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		c.fail(field, "%q is not an http(s) URL", value)
	}
}

func validateSite(s *Site, pos positions, errs *ErrorList) {
	c := checker{s.File, pos, errs}
	c.required("title", s.Title)
	c.required("description", s.Description)
	c.required("base_url", s.BaseURL)
	if s.Language == "" {
		s.Language = "en"
	}
	if s.BaseURL != "" {
		u, err := url.Parse(s.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			c.fail("base_url", "%q is not an absolute http(s) URL such as https://user.github.io/repo/", s.BaseURL)
		} else {
			if !strings.HasSuffix(u.Path, "/") {
				u.Path += "/"
			}
			s.base = u
			s.BaseURL = u.String()
		}
	}
	if s.base == nil {
		s.base = &url.URL{Scheme: "http", Host: "localhost", Path: "/"}
	}
	if s.Repository != "" {
		c.httpURL("repository", s.Repository)
	}
	if s.CNAME != "" && (strings.ContainsAny(s.CNAME, "/: ") || !strings.Contains(s.CNAME, ".")) {
		c.fail("cname", "%q is not a domain name such as wiki.example.com", s.CNAME)
	}
}

func validateCollection(col *Collection, errs *ErrorList) {
	c := checker{col.File, col.pos, errs}
	if !slugRE.MatchString(col.Key) {
		c.fail("", "directory name %q is not a safe URL segment; use only a-z, 0-9, '.', '_' and '-'", col.Key)
	}
	c.required("title", col.Title)
	c.required("name", col.Name)
	c.required("description", col.Description)
	if len(col.Categories) == 0 {
		c.fail("categories", "at least one category is required")
	}
	seen := map[string]bool{}
	for i, cat := range col.Categories {
		f := fmt.Sprintf("categories[%d]", i)
		c.required(f+".key", cat.Key)
		c.required(f+".name", cat.Name)
		if seen[cat.Key] {
			c.fail(f+".key", "duplicate category %q", cat.Key)
		}
		seen[cat.Key] = true
	}
}

func validateArticle(a *Article, errs *ErrorList) {
	c := checker{a.File, a.pos, errs}
	c.required("code", a.Code)
	c.oneLine("code", a.Code)
	c.required("name", a.Name)
	c.oneLine("name", a.Name)
	c.oneLine("tagline", a.Tagline)
	c.required("category", a.CategoryKey)
	c.required("summary", a.Summary)
	c.oneLine("summary", a.Summary)
	if a.Slug == "" {
		a.Slug = strings.ToLower(a.Code)
		if a.Code != "" && !slugRE.MatchString(a.Slug) {
			c.fail("code", "%q does not make a safe URL segment; add a slug of a-z, 0-9, '.', '_' and '-'", a.Code)
		}
	} else if !slugRE.MatchString(a.Slug) {
		c.fail("slug", "%q is not a safe URL segment; use only a-z, 0-9, '.', '_' and '-', starting with a letter or digit", a.Slug)
	}
	if slices.Contains(reservedSlugs, a.Slug) {
		c.fail("slug", "%q is reserved; choose another slug", a.Slug)
	}
	if len(a.Causes) == 0 {
		c.fail("causes", "at least one cause is required")
	}
	if len(a.Steps) == 0 {
		c.fail("steps", "at least one step is required")
	}
	items := func(field string, list []string) {
		for i, s := range list {
			c.required(fmt.Sprintf("%s[%d]", field, i), s)
		}
	}
	items("details", a.Details)
	items("causes", a.Causes)
	items("steps", a.Steps)
	items("aliases", a.Aliases)
	items("messages", a.Messages)
	for i, m := range a.Messages {
		c.oneLine(fmt.Sprintf("messages[%d]", i), m)
	}
	items("related", a.RelatedRefs)
	c.required("quick_answer.question", a.QuickAnswer.Question)
	c.required("quick_answer.answer", a.QuickAnswer.Answer)
	for i, qa := range a.FAQ {
		c.required(fmt.Sprintf("faq[%d].question", i), qa.Question)
		c.required(fmt.Sprintf("faq[%d].answer", i), qa.Answer)
	}
	for i, r := range a.References {
		f := fmt.Sprintf("references[%d]", i)
		c.required(f+".title", r.Title)
		c.required(f+".url", r.URL)
		if r.URL != "" {
			c.httpURL(f+".url", r.URL)
		}
	}
	validateStatus(c, a)
	if a.Fault != "" && Faults[a.Fault] == "" {
		c.fail("fault", "%q is not one of %s%s", a.Fault, strings.Join(slices.Sorted(maps.Keys(Faults)), ", "), suggest(a.Fault, slices.Collect(maps.Keys(Faults))))
	}
	if a.Example != nil && strings.TrimSpace(a.Example.Request) == "" && strings.TrimSpace(a.Example.Response) == "" {
		c.fail("example", "give a request, a response or both")
	}
	langs := map[string]bool{}
	for i, s := range a.Send {
		f := fmt.Sprintf("send[%d]", i)
		c.required(f+".code", s.Code)
		switch {
		case s.Lang == "":
			c.fail(f+".lang", "required")
		case Languages[s.Lang] == "":
			c.fail(f+".lang", "%q is not one of %s%s", s.Lang, strings.Join(slices.Sorted(maps.Keys(Languages)), ", "), suggest(s.Lang, slices.Collect(maps.Keys(Languages))))
		case langs[s.Lang]:
			c.fail(f+".lang", "%q is listed twice", s.Lang)
		}
		langs[s.Lang] = true
	}
}

// validateStatus checks status against source, then fills it in when it is
// left out: unofficial with a source, standard without.
func validateStatus(c checker, a *Article) {
	switch {
	case a.Status == "" && a.Source != "":
		a.Status = "unofficial"
	case a.Status == "":
		a.Status = "standard"
	case Statuses[a.Status] == "":
		c.fail("status", "%q is not one of %s%s", a.Status, strings.Join(slices.Sorted(maps.Keys(Statuses)), ", "), suggest(a.Status, slices.Collect(maps.Keys(Statuses))))
	case a.Status == "unofficial" && a.Source == "":
		c.fail("status", "an unofficial code needs source: who defines it, such as nginx or Cloudflare")
	case a.Status != "unofficial" && a.Source != "":
		c.fail("status", "%q, but source %q makes the code unofficial; remove one of them", a.Status, a.Source)
	}
}

// link resolves what ties files together: categories, related codes,
// duplicates and neighbours. Drafts are checked like any article, then left
// out unless drafts is set; links to them are dropped.
func link(s *Site, drafts bool, errs *ErrorList) {
	n := 0
	for _, col := range s.Collections {
		n += len(col.Articles)
	}
	byCode := make(map[linkKey]*Article, n)
	bySlug := make(map[linkKey]*Article, n)
	for _, col := range s.Collections {
		cats := map[string]*Category{}
		var catKeys []string
		for _, cat := range col.Categories {
			cats[cat.Key] = cat
			catKeys = append(catKeys, cat.Key)
		}
		slugs := make(map[string]*Article, len(col.Articles))
		for _, a := range col.Articles {
			c := checker{a.File, a.pos, errs}
			if a.CategoryKey != "" && len(catKeys) > 0 {
				if a.Category = cats[a.CategoryKey]; a.Category == nil {
					c.fail("category", "unknown category %q; %s declares %s%s", a.CategoryKey, col.File, quoteAll(catKeys), suggest(a.CategoryKey, catKeys))
				}
			}
			k := linkKey{col.Key, strings.ToLower(a.Code)}
			if other := byCode[k]; other != nil && a.Code != "" {
				c.fail("code", "duplicate code %q; %s has it too", a.Code, other.File)
			} else {
				byCode[k] = a
			}
			if other := slugs[a.Slug]; other != nil && a.Slug != "" && !strings.EqualFold(other.Code, a.Code) {
				c.fail("slug", "duplicate slug %q; %s has it too", a.Slug, other.File)
			}
			slugs[a.Slug] = a
			bySlug[linkKey{col.Key, a.Slug}] = a
		}
		if !drafts {
			for _, a := range col.Articles {
				if a.Draft {
					s.drafts = append(s.drafts, a)
				}
			}
			col.Articles = slices.DeleteFunc(col.Articles, func(a *Article) bool { return a.Draft })
		}
		for i, a := range col.Articles {
			if a.Category != nil {
				a.Category.Articles = append(a.Category.Articles, a)
			}
			if i > 0 {
				a.Prev, col.Articles[i-1].Next = col.Articles[i-1], a
			}
		}
	}
	for _, a := range s.Articles() {
		c := checker{a.File, a.pos, errs}
		a.Related = nil
		for i, ref := range a.RelatedRefs {
			target, colKey, code := lookup(ref, a.Collection.Key, byCode, bySlug)
			switch {
			case ref == "":
			case target == nil && s.Collection(colKey) == nil:
				c.fail(fmt.Sprintf("related[%d]", i), "unknown collection %q in %q", colKey, ref)
			case target == nil:
				c.fail(fmt.Sprintf("related[%d]", i), "no article with code %q in collection %q", code, colKey)
			case target == a:
				c.fail(fmt.Sprintf("related[%d]", i), "an article cannot be related to itself")
			case target.Draft && !drafts:
			default:
				a.Related = append(a.Related, target)
			}
		}
	}
}

// A linkKey finds an article by its collection's key and its code, in lower
// case, or its slug.
type linkKey struct{ collection, code string }

// lookup returns the article that ref, a related code of an article in the
// collection from, names, or nil; and the collection and code ref names.
// ref is "code", "slug", "collection/code" or "collection/slug".
func lookup(ref, from string, byCode, bySlug map[linkKey]*Article) (target *Article, colKey, code string) {
	colKey, code, cross := strings.Cut(ref, "/")
	if !cross {
		colKey, code = from, ref
	}
	target = byCode[linkKey{colKey, strings.ToLower(code)}]
	if target == nil {
		target = bySlug[linkKey{colKey, code}]
	}
	return target, colKey, code
}

func quoteAll(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
