package content

import (
	"crypto/sha256"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// A linkPlan is what the last good load of a watched site leaves for the
// next one. After an edit that leaves every code, slug, category, draft flag
// and related list as it was, the next load links exactly as the last one
// did: it can copy the last site's articles and link the copies by
// position, without walking the tree, sorting, looking codes up or linting
// the articles that did not change.
type linkPlan struct {
	drafts  bool                // Options.Drafts of the load
	baseURL string              // Options.BaseURL of the load
	site    *Site               // the site the load returned; never changed after
	listed  map[string][]string // collection directory → article files, drafts too
}

// plan keeps what the next load needs from site, which Load has just
// linked without errors from the files listed.
func (c *Cache) plan(site *Site, listed map[string][]string, opts Options) {
	i := 0
	for _, col := range site.Collections {
		for _, a := range col.Articles {
			a.at = i
			i++
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.last = &linkPlan{drafts: opts.Drafts, baseURL: opts.BaseURL, site: site, listed: listed}
}

// sameLinks reports whether a links exactly as b does: the fields that
// link, sorting and the draft filter read are equal.
func sameLinks(a, b *Article) bool {
	return a.Code == b.Code && a.Slug == b.Slug && a.CategoryKey == b.CategoryKey &&
		a.Draft == b.Draft && slices.Equal(a.RelatedRefs, b.RelatedRefs)
}

// reload is Load for a watched site after an edit that changes no link. It
// applies when the last load succeeded, and every content file named by
// Watched is an article of that load, still a regular file, that parses
// without problems and links as it did. Then the site is the last one with
// those articles replaced, and everything else is as the last load made
// it: the same listing, order, categories, neighbours and related articles,
// no link errors (the last load had none, and no input of linking
// changed), and the warnings of the other articles. ok is false when
// reload does not apply, and Load must do the work.
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
	edited := map[int]*cacheEntry{} // position in all → new entry
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
		if sum == old.Digest {
			continue // saved without a change
		}
		var errs ErrorList
		a := parseArticle(name, data, sum, &errs)
		if len(errs) > 0 || !sameLinks(a, old.Article) {
			return nil, false
		}
		if !c.lines {
			a.pos = positions{}
		}
		bodyAt := len(data) - len(a.Body)
		e := &cacheEntry{Digest: sum, BodyAt: bodyAt, Article: a, size: fi.Size(), mod: fi.ModTime(), body: data[bodyAt:]}
		entries[name] = e
		// A draft the site leaves out is in no page: only its entry changes.
		if i := slices.IndexFunc(all, func(a *Article) bool { return a.File == name }); i >= 0 {
			edited[i] = e
		}
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
	arts := make([]Article, len(all))
	related := make([]*Article, nrel)
	for ci, old := range prev.Collections {
		col := s.Collections[ci]
		for _, o := range old.Articles {
			i := o.at
			a := &arts[i]
			if e := edited[i]; e != nil {
				*a = *e.Article
				a.Body, a.Digest, a.at = e.body, e.Digest, i
			} else {
				*a = *o
			}
			a.Collection, a.Category, a.Related, a.Prev, a.Next = col, nil, nil, nil, nil
			if j := slices.Index(old.Categories, o.Category); j >= 0 {
				a.Category = col.Categories[j]
				a.Category.Articles = append(a.Category.Articles, a)
			}
			if n := len(col.Articles); n > 0 {
				a.Prev, col.Articles[n-1].Next = col.Articles[n-1], a
			}
			col.Articles = append(col.Articles, a)
			if n := len(o.Related); n > 0 {
				a.Related, related = related[:n:n], related[n:]
				for k, r := range o.Related {
					a.Related[k] = &arts[r.at]
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
	c.last = &linkPlan{drafts: p.drafts, baseURL: p.baseURL, site: &s, listed: p.listed}
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
