package content

import (
	"crypto/sha256"
	"io/fs"
	"slices"
	"strings"
)

// A linkPlan records how the last good load of a watched site linked its
// articles, by position rather than by name. After an edit that leaves
// every code, slug, category, draft flag and related list as it was, the
// next load links exactly as the last one did: it can copy the articles and
// wire them up from the plan, without walking the tree, sorting, looking
// codes up or linting the articles that did not change.
type linkPlan struct {
	drafts  bool   // Options.Drafts of the load
	baseURL string // Options.BaseURL of the load
	site    *Site  // the site the load returned; read, never changed

	// files holds every article file of the tree, each with its position
	// in arts, or -1 for a draft the site leaves out.
	files map[string]int
	arts  []plannedArticle // the site's articles, in site order
}

// A plannedArticle is one article of a linkPlan.
type plannedArticle struct {
	entry   *cacheEntry
	col     int   // position of its collection in Site.Collections
	cat     int   // position of its category in Collection.Categories, or -1
	related []int // positions in linkPlan.arts of its related articles
}

// plan records how site, which Load has just linked without errors from
// the files listed (collection directory → article files), links, for the
// next load.
func (c *Cache) plan(site *Site, listed map[string][]string, opts Options) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := &linkPlan{drafts: opts.Drafts, baseURL: opts.BaseURL, site: site, files: map[string]int{}}
	at := map[*Article]int{}
	for ci, col := range site.Collections {
		for _, a := range col.Articles {
			e := c.entries[a.File]
			if e == nil || e.body == nil {
				return // not read through the cache: leave no plan
			}
			at[a] = len(p.arts)
			p.files[a.File] = len(p.arts)
			p.arts = append(p.arts, plannedArticle{entry: e, col: ci, cat: slices.Index(col.Categories, a.Category)})
		}
	}
	i := 0
	for _, col := range site.Collections {
		for _, a := range col.Articles {
			for _, r := range a.Related {
				p.arts[i].related = append(p.arts[i].related, at[r])
			}
			i++
		}
	}
	for _, files := range listed {
		for _, f := range files {
			if _, ok := p.files[f]; !ok {
				p.files[f] = -1
			}
		}
	}
	c.last = p
}

// sameLinks reports whether a links exactly as b does: the fields that
// link, sorting and the draft filter read are equal.
func sameLinks(a, b *Article) bool {
	return a.Code == b.Code && a.Slug == b.Slug && a.CategoryKey == b.CategoryKey &&
		a.Draft == b.Draft && slices.Equal(a.RelatedRefs, b.RelatedRefs)
}

// reload is Load for a watched site after an edit that changes no link. It
// applies when the last load succeeded and left a plan, and every content
// file named by Watched is an article of that load, still a regular file,
// that parses without problems and links as it did. Then the site is the
// last one with those articles replaced, and everything else follows the
// plan: the same listing, order, categories, neighbours and related
// articles, no link errors (the last load had none, and no input of
// linking changed), and the warnings of the other articles as they were.
// ok is false when reload does not apply, and Load must do the work.
func (c *Cache) reload(fsys fs.FS, opts Options) (site *Site, ok bool) {
	c.mu.Lock()
	p, trusted, dirty := c.last, c.trusted, c.dirty
	c.last = nil // a load that fails leaves no plan
	c.mu.Unlock()
	if p == nil || !trusted || p.drafts != opts.Drafts || p.baseURL != opts.BaseURL {
		return nil, false
	}
	if _, ok := fsys.(fs.ReadLinkFS); !ok {
		return nil, false // it could not tell a file replaced by a link
	}

	// Read the named articles into new entries, changing nothing yet: if
	// reload gives up, Load reads them again and counts them as changed.
	edited := map[int]*cacheEntry{}    // position in p.arts → new entry
	drafts := map[string]*cacheEntry{} // edited drafts the site leaves out
	for name := range dirty {
		if !strings.HasPrefix(name, Dir+"/") {
			continue // templates and static files are not content
		}
		i, known := p.files[name]
		if !known {
			return nil, false // an index, or a file the last load did not list
		}
		fi, err := fs.Lstat(fsys, name)
		if err != nil || !fi.Mode().IsRegular() {
			return nil, false // removed or replaced: the listing changed
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, false
		}
		c.mu.Lock()
		old := c.entries[name]
		c.mu.Unlock()
		sum := sha256.Sum256(data)
		if old != nil && old.body != nil && sum == old.Digest {
			continue // saved without a change
		}
		var errs ErrorList
		a := parseArticle(name, data, sum, &errs)
		if len(errs) > 0 || old == nil || !sameLinks(a, old.Article) {
			return nil, false
		}
		if !c.lines {
			a.pos = positions{}
		}
		bodyAt := len(data) - len(a.Body)
		e := &cacheEntry{Digest: sum, BodyAt: bodyAt, Article: a, size: fi.Size(), mod: fi.ModTime(), body: data[bodyAt:]}
		if i < 0 {
			drafts[name] = e
		} else {
			edited[i] = e
		}
	}

	// Copy the site, its collections and categories, and every article;
	// then link the copies as the plan says.
	prev := p.site
	s := *prev
	s.Collections = make([]*Collection, len(prev.Collections))
	cols := make([]Collection, len(prev.Collections))
	counts := make([][]int, len(prev.Collections)) // articles per category
	for i, col := range prev.Collections {
		cols[i] = *col
		cols[i].Categories = make([]*Category, len(col.Categories))
		cats := make([]Category, len(col.Categories))
		for j, cat := range col.Categories {
			cats[j] = *cat
			cats[j].Articles = nil
			cols[i].Categories[j] = &cats[j]
		}
		cols[i].Articles = make([]*Article, 0, len(col.Articles))
		counts[i] = make([]int, len(col.Categories))
		s.Collections[i] = &cols[i]
	}
	nrel := 0
	for i, pa := range p.arts {
		if e := edited[i]; e != nil {
			p.arts[i].entry = e
		}
		if pa.cat >= 0 {
			counts[pa.col][pa.cat]++
		}
		nrel += len(pa.related)
	}
	for i, col := range s.Collections {
		for j, cat := range col.Categories {
			cat.Articles = make([]*Article, 0, counts[i][j])
		}
	}
	arts := make([]Article, len(p.arts))
	related := make([]*Article, nrel)
	for i, pa := range p.arts {
		a := &arts[i]
		*a = *pa.entry.Article
		a.Body, a.Digest = pa.entry.body, pa.entry.Digest
		col := s.Collections[pa.col]
		a.Collection = col
		if pa.cat >= 0 {
			a.Category = col.Categories[pa.cat]
			a.Category.Articles = append(a.Category.Articles, a)
		}
		if n := len(col.Articles); n > 0 {
			a.Prev, col.Articles[n-1].Next = col.Articles[n-1], a
		}
		col.Articles = append(col.Articles, a)
		if len(pa.related) > 0 {
			a.Related, related = related[:len(pa.related):len(pa.related)], related[len(pa.related):]
			for k, r := range pa.related {
				a.Related[k] = &arts[r]
			}
		}
	}

	// Lint the edited articles again; the others' warnings stand.
	files := map[string]bool{}
	var fresh ErrorList
	for i := range edited {
		files[arts[i].File] = true
		lintArticle(&arts[i], &fresh)
	}
	s.Warnings = mergeWarnings(prev.Warnings, files, fresh.sorted())

	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range edited {
		c.entries[arts[i].File] = e
	}
	for name, e := range drafts {
		c.entries[name] = e
	}
	c.changed = len(edited) + len(drafts)
	c.trusted, c.dirty = false, nil
	p.site = &s
	c.last = p
	return &s, true
}

// mergeWarnings returns the sorted warnings of old, less those about files,
// merged with the sorted warnings fresh.
func mergeWarnings(old ErrorList, files map[string]bool, fresh ErrorList) ErrorList {
	var merged ErrorList
	for _, w := range old {
		if files[w.File] {
			continue
		}
		for len(fresh) > 0 && compareErrors(fresh[0], w) < 0 {
			merged, fresh = append(merged, fresh[0]), fresh[1:]
		}
		merged = append(merged, w)
	}
	return append(merged, fresh...)
}
