package content

import (
	"bytes"
	"crypto/sha256"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// A linkPlan is what the last good load of a watched site leaves for the
// next one. After an edit that leaves every code, slug and draft flag as it
// was, the next load orders and finds articles exactly as the last one did:
// it can copy the last site's articles and link the copies by position,
// resolving only the edited articles' categories and related codes, without
// walking the tree, sorting or linting the articles that did not change.
type linkPlan struct {
	drafts  bool                // Options.Drafts of the load
	baseURL string              // Options.BaseURL of the load
	site    *Site               // the site the load returned; never changed after
	listed  map[string][]string // collection directory → article files, drafts too
	at      map[*Article]int    // position of each article in site.Articles()
}

// plan keeps what the next load needs from site, which Load has just
// linked without errors from the files listed.
func (c *Cache) plan(site *Site, listed map[string][]string, opts Options) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.last = &linkPlan{drafts: opts.Drafts, baseURL: opts.BaseURL, site: site, listed: listed, at: articlePositions(site)}
}

// articlePositions maps each article of site to its position in site.Articles().
func articlePositions(site *Site) map[*Article]int {
	at := map[*Article]int{}
	for _, a := range site.Articles() {
		at[a] = len(at)
	}
	return at
}

// sameOrder reports whether a sorts, is found and is left out as b is: its
// code, slug and draft flag are b's.
func sameOrder(a, b *Article) bool {
	return a.Code == b.Code && a.Slug == b.Slug && a.Draft == b.Draft
}

// A change is one edited article of a reload, with its category and related
// articles as articles of the last site.
type change struct {
	entry    *cacheEntry
	category *Category
	related  []*Article
}

// reload is Load for a watched site after an edit that moves no article.
// It applies when the last load succeeded, and every content file named by
// Watched is an article of that load, still a regular file, that parses
// without problems, keeps its code, slug and draft flag, and has a known
// category and related codes that link finds. Then the site is the last
// one with those articles replaced, and everything else is as the last
// load made it: the same listing, order, neighbours, and links of the other
// articles; no link errors (the last load had none, no article's code or
// slug changed, and the edited ones link without problems); and the
// warnings of the other articles. ok is false when reload does not apply,
// and Load must do the work.
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
	prev := p.site
	all := prev.Articles()

	// Read the named articles into new entries, changing nothing yet: if
	// reload gives up, Load reads them again and counts them as changed.
	entries := map[string]*cacheEntry{}
	edited := map[int]*change{} // position in all → the edit
	var byCode, bySlug map[linkKey]*Article
	for name := range dirty {
		if !strings.HasPrefix(name, Dir+"/") {
			continue // templates and static files are not content
		}
		if !slices.Contains(p.listed[path.Dir(name)], name) {
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
		if old == nil || old.body == nil {
			return nil, false
		}
		sum := sha256.Sum256(data)
		if sum == old.digest {
			continue // saved without a change
		}
		var errs ErrorList
		a := parseArticle(name, data, sum, &errs)
		if len(errs) > 0 || !sameOrder(a, old.article) {
			return nil, false
		}
		if !c.lines {
			a.pos = positions{}
		}
		bodyAt := len(data) - len(a.Body)
		e := &cacheEntry{digest: sum, bodyAt: bodyAt, article: a, size: fi.Size(), mod: fi.ModTime().UnixNano(), body: bytes.Clone(a.Body)}
		a.Body = nil // as Cache.article keeps it
		entries[name] = e

		// Resolve the category and related codes as link does, in the last
		// site, whose codes and slugs are still those of every file.
		i := slices.IndexFunc(all, func(a *Article) bool { return a.File == name })
		col := prev.Collection(path.Base(path.Dir(name)))
		ed := &change{entry: e}
		if i >= 0 {
			ed.category, ed.related = all[i].Category, all[i].Related
		}
		if a.CategoryKey != old.article.CategoryKey {
			j := slices.IndexFunc(col.Categories, func(c *Category) bool { return c.Key == a.CategoryKey })
			if j < 0 {
				return nil, false // an unknown category
			}
			ed.category = col.Categories[j]
		}
		if i < 0 {
			continue // a draft left out: it is in no page, and its related codes are not read
		}
		if !slices.Equal(a.RelatedRefs, old.article.RelatedRefs) {
			if byCode == nil {
				byCode, bySlug = lookupTables(prev)
			}
			a.Collection = col
			broken := false
			ed.related = resolveRelated(prev, a, byCode, bySlug, opts.Drafts, func(string, string, ...any) { broken = true })
			a.Collection = nil
			if broken {
				return nil, false // a full load reports it at its line
			}
		}
		edited[i] = ed
	}

	// Copy the site, its collections and categories, and every article;
	// then link the copies as the originals are linked.
	s := *prev
	s.Collections = make([]*Collection, len(prev.Collections))
	cols := make([]Collection, len(prev.Collections))
	for i, col := range prev.Collections {
		cols[i] = *col
		cols[i].Categories = make([]*Category, len(col.Categories))
		cats := make([]Category, len(col.Categories))
		for j, cat := range col.Categories {
			cats[j] = *cat
			cats[j].Articles = make([]*Article, 0, len(cat.Articles))
			cols[i].Categories[j] = &cats[j]
		}
		cols[i].Articles = make([]*Article, 0, len(col.Articles))
		s.Collections[i] = &cols[i]
	}
	nrel := 0
	for _, a := range all {
		nrel += len(a.Related)
	}
	for i, ed := range edited {
		nrel += len(ed.related) - len(all[i].Related)
	}
	arts := make([]Article, len(all))
	related := make([]*Article, nrel)
	for ci, old := range prev.Collections {
		col := s.Collections[ci]
		for _, o := range old.Articles {
			i := p.at[o]
			a := &arts[i]
			*a = *o
			cat, rel := o.Category, o.Related
			if ed := edited[i]; ed != nil {
				*a = *ed.entry.article
				a.Body, a.Digest = ed.entry.body, ed.entry.digest
				cat, rel = ed.category, ed.related
			}
			a.Collection, a.Category, a.Related, a.Prev, a.Next = col, nil, nil, nil, nil
			if j := slices.Index(old.Categories, cat); j >= 0 {
				a.Category = col.Categories[j]
				a.Category.Articles = append(a.Category.Articles, a)
			}
			if n := len(col.Articles); n > 0 {
				a.Prev, col.Articles[n-1].Next = col.Articles[n-1], a
			}
			col.Articles = append(col.Articles, a)
			if n := len(rel); n > 0 {
				a.Related, related = related[:n:n], related[n:]
				for k, r := range rel {
					a.Related[k] = &arts[p.at[r]]
				}
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
	for name, e := range entries {
		c.entries[name] = e
	}
	c.changed = len(entries)
	c.trusted, c.dirty = false, nil
	c.last = &linkPlan{drafts: p.drafts, baseURL: p.baseURL, site: &s, listed: p.listed, at: articlePositions(&s)}
	return &s, true
}

// lookupTables returns the tables link finds related codes in, for the
// articles of site and the drafts it left out.
func lookupTables(site *Site) (byCode, bySlug map[linkKey]*Article) {
	all := append(site.Articles(), site.drafts...)
	byCode = make(map[linkKey]*Article, len(all))
	bySlug = make(map[linkKey]*Article, len(all))
	for _, a := range all {
		byCode[linkKey{a.Collection.Key, strings.ToLower(a.Code)}] = a
		bySlug[linkKey{a.Collection.Key, a.Slug}] = a
	}
	return byCode, bySlug
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
