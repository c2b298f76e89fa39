package content

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// reloadArticle returns an article that passes lint, in category cat of
// its collection, related to the given codes.
func reloadArticle(code, name, cat string, related ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ncode: %q\nname: %s\ncategory: %s\nsummary: What %s means.\n", code, name, cat, code)
	b.WriteString("causes: [One, Two, Three]\nsteps: [One, Two, Three]\n")
	fmt.Fprintf(&b, "quick_answer:\n  question: What is %s?\n  answer: A code.\n", code)
	b.WriteString("faq:\n  - question: Why?\n    answer: Because.\n  - question: How?\n    answer: Like so.\n")
	b.WriteString("references:\n  - title: The spec\n    url: https://example.com/spec\n")
	if len(related) > 0 {
		fmt.Fprintf(&b, "related: [%s]\n", strings.Join(related, ", "))
	}
	fmt.Fprintf(&b, "---\nAbout %s.\n", code)
	return b.String()
}

// reloadSite is a small site with what linking and linting read: two
// collections, related codes within and across them, a draft with a link
// to it, a slug, and articles with warnings.
func reloadSite() fstest.MapFS {
	files := map[string]string{
		"content/_index.md":      siteIndex,
		"content/http/_index.md": httpIndex,
		"content/grpc/_index.md": "---\ntitle: gRPC Status Codes\nname: gRPC\ndescription: Status codes.\norder: 2\n" +
			"categories:\n  - key: client\n    name: Client errors\n  - key: server\n    name: Server errors\n---\n",
		"content/http/400.md": reloadArticle("400", "Bad Request", "4xx", `"404"`, `"418"`),
		"content/http/404.md": reloadArticle("404", "Not Found", "4xx", `"400"`, `"grpc/5"`),
		"content/http/418.md": strings.Replace(reloadArticle("418", "I'm a Teapot", "4xx"), "\n---\n", "\ndraft: true\n---\n", 1),
		"content/http/502.md": validArticle, // thin: warnings
		"content/http/503.md": strings.Replace(reloadArticle("503", "Service Unavailable", "5xx", `"502"`), "https://example.com/spec", "http://example.com/spec", 1),
		"content/grpc/5.md":   strings.Replace(reloadArticle("5", "NOT_FOUND", "client", `"http/404"`, `"14"`), "\nname:", "\nslug: not-found\nname:", 1),
		"content/grpc/14.md":  reloadArticle("14", "UNAVAILABLE", "server", `"not-found"`),
	}
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}

// dumpSite describes everything a load returns, with every link by file
// name, so that two loads of the same files describe alike.
func dumpSite(s *Site) string {
	if s == nil {
		return "<nil>"
	}
	var b strings.Builder
	site := *s
	site.Collections, site.Warnings, site.base, site.drafts = nil, nil, nil, nil
	fmt.Fprintf(&b, "site %+v %s\nwarnings:\n%v\ndrafts left out:", site, s.BasePath(), s.Warnings)
	for _, a := range s.drafts {
		fmt.Fprintf(&b, " %s %s %s", a.File, a.Code, a.Slug)
	}
	b.WriteString("\n")
	file := func(a *Article) string {
		if a == nil {
			return "-"
		}
		return a.File
	}
	for _, col := range s.Collections {
		c := *col
		c.Categories, c.Articles = nil, nil
		fmt.Fprintf(&b, "collection %+v\n", c)
		for _, cat := range col.Categories {
			fmt.Fprintf(&b, "  category %s %q %q:", cat.Key, cat.Name, cat.Description)
			for _, a := range cat.Articles {
				fmt.Fprintf(&b, " %s", a.File)
			}
			b.WriteString("\n")
		}
		for _, a := range col.Articles {
			art := *a
			art.Collection, art.Category, art.Related, art.Prev, art.Next, art.Detail = nil, nil, nil, nil, nil, nil
			fmt.Fprintf(&b, "  article %+v\n", art)
			if a.Detail != nil {
				d := *a.Detail
				d.Example = nil
				fmt.Fprintf(&b, "    detail %+v\n", d)
			}
			if a.Example != nil {
				fmt.Fprintf(&b, "    example %+v\n", *a.Example)
			}
			cat := "-"
			if a.Category != nil {
				cat = a.Category.Key
			}
			fmt.Fprintf(&b, "    in %s/%s, prev %s, next %s, related", a.Collection.Key, cat, file(a.Prev), file(a.Next))
			for _, r := range a.Related {
				fmt.Fprintf(&b, " %s", r.File)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// TestReloadMatchesLoad edits a watched site step by step and checks that
// every load through the cache returns what a load from scratch does, and
// that it takes the quick path exactly when no link can have changed.
func TestReloadMatchesLoad(t *testing.T) {
	// Each write gets a new time, as on a disk, so that a load that checks
	// every file sees the change.
	var clock int64
	set := func(fsys fstest.MapFS, name, data string) {
		clock++
		fsys[name] = &fstest.MapFile{Data: []byte(data), ModTime: time.Unix(clock, 0)}
	}
	replace := func(fsys fstest.MapFS, name, old, new string) {
		data := string(fsys[name].Data)
		if !strings.Contains(data, old) {
			t.Fatalf("%s has no %q", name, old)
		}
		set(fsys, name, strings.Replace(data, old, new, 1))
	}
	var deleted *fstest.MapFile
	type step struct {
		name    string
		edit    func(fsys fstest.MapFS) []string // returns the files changed, as the watcher names them
		quick   bool                             // the load can reuse the last one's links
		changed int                              // Cache.Changed after the load
		broken  bool                             // the load fails
	}
	steps := []step{
		{"edit a name", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/http/404.md", "name: Not Found", "name: Nothing Found")
			return []string{"content/http/404.md"}
		}, true, 1, false},
		{"edit a body", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/grpc/5.md", "About 5.", "All about 5.")
			return []string{"content/grpc/5.md"}
		}, true, 1, false},
		{"save without a change", func(fsys fstest.MapFS) []string {
			return []string{"content/grpc/5.md", "templates/base.html"}
		}, true, 0, false},
		{"shift lines and thin an article", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/http/400.md", "causes: [One, Two, Three]\n", "details: [A, B]\ncauses:\n  - One\n")
			replace(fsys, "content/http/502.md", "steps:\n", "tagline: Upstream failed\nsteps:\n")
			return []string{"content/http/400.md", "content/http/502.md"}
		}, true, 2, false},
		{"fix warnings", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/http/503.md", "http://", "https://")
			return []string{"content/http/503.md"}
		}, true, 1, false},
		{"edit a draft", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/http/418.md", "name: I'm a Teapot", "name: Teapot")
			return []string{"content/http/418.md"}
		}, true, 1, false},
		{"relate to a draft", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/http/503.md", `related: ["502"]`, `related: ["502", "418"]`)
			return []string{"content/http/503.md"}
		}, true, 1, false},
		{"move a draft to another category", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/http/418.md", "category: 4xx", "category: 5xx")
			return []string{"content/http/418.md"}
		}, true, 1, false},
		{"give a draft an unknown category", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/http/418.md", "category: 5xx", "category: 9xx")
			return []string{"content/http/418.md"}
		}, false, 1, true},
		{"give it a known one", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/http/418.md", "category: 9xx", "category: 4xx")
			return []string{"content/http/418.md"}
		}, false, 1, false},
		{"relate a draft to an unknown code", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/http/418.md", "\n---\n", "\nrelated: [\"999\"]\n---\n")
			return []string{"content/http/418.md"}
		}, true, 1, false}, // left out, its related codes are not read; shown, they are
		{"relate it to a known one", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/http/418.md", `related: ["999"]`, `related: ["404"]`)
			return []string{"content/http/418.md"}
		}, true, 1, false},
		{"publish a draft", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/http/418.md", "draft: true\n", "")
			return []string{"content/http/418.md"}
		}, false, 1, false},
		{"edit related codes", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/grpc/14.md", `related: ["not-found"]`, `related: ["not-found", "http/503"]`)
			return []string{"content/grpc/14.md"}
		}, true, 1, false},
		{"edit after a full load", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/grpc/14.md", "name: UNAVAILABLE", "name: Unavailable")
			return []string{"content/grpc/14.md"}
		}, true, 1, false},
		{"change a category", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/http/503.md", "category: 5xx", "category: 4xx")
			return []string{"content/http/503.md"}
		}, true, 1, false},
		{"relate by slug, across collections", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/http/400.md", `related: ["404", "418"]`, `related: ["grpc/not-found", "404", "418"]`)
			return []string{"content/http/400.md"}
		}, true, 1, false},
		{"unknown category", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/http/503.md", "category: 4xx", "category: 3xx")
			return []string{"content/http/503.md"}
		}, false, 1, true},
		{"known category", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/http/503.md", "category: 3xx", "category: 5xx")
			return []string{"content/http/503.md"}
		}, false, 1, false},
		{"relate an article to itself", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/grpc/14.md", `"not-found", "http/503"`, `"not-found", "14"`)
			return []string{"content/grpc/14.md"}
		}, false, 1, true},
		{"relate it to another", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/grpc/14.md", `"not-found", "14"`, `"not-found", "http/503"`)
			return []string{"content/grpc/14.md"}
		}, false, 1, false},
		{"change a code and a link to it", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/http/400.md", `code: "400"`, `code: "410"`)
			replace(fsys, "content/http/404.md", `"400"`, `"410"`)
			return []string{"content/http/400.md", "content/http/404.md"}
		}, false, 2, false},
		{"introduce an error", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/http/404.md", "name: Nothing Found", "name: Nothing Found\nfault: nobody")
			return []string{"content/http/404.md"}
		}, false, 1, true},
		{"edit another file while broken", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/grpc/5.md", "All about 5.", "About 5.")
			return []string{"content/grpc/5.md"}
		}, false, 1, true},
		{"fix the error", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/http/404.md", "\nfault: nobody", "")
			return []string{"content/http/404.md"}
		}, false, 1, false},
		{"edit after the fix", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/http/404.md", "name: Nothing Found", "name: Not Found")
			return []string{"content/http/404.md"}
		}, true, 1, false},
		{"break a link", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/http/404.md", `"grpc/5"`, `"grpc/6"`)
			return []string{"content/http/404.md"}
		}, false, 1, true},
		{"edit while the link is broken", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/http/404.md", "name: Not Found", "name: Nothing Found")
			return []string{"content/http/404.md"}
		}, false, 1, true},
		{"mend the link", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/http/404.md", `"grpc/6"`, `"grpc/5"`)
			return []string{"content/http/404.md"}
		}, false, 1, false},
		{"an error and a quick edit at once", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/http/404.md", "name: Nothing Found", "name: Not Found")
			replace(fsys, "content/grpc/5.md", "steps: [One, Two, Three]", "steps: []")
			return []string{"content/http/404.md", "content/grpc/5.md"}
		}, false, 2, true},
		{"fix it", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/grpc/5.md", "steps: []", "steps: [One, Two, Three]")
			return []string{"content/grpc/5.md"}
		}, false, 1, false},
		{"rename a file", func(fsys fstest.MapFS) []string {
			fsys["content/grpc/unavailable.md"] = fsys["content/grpc/14.md"]
			delete(fsys, "content/grpc/14.md")
			return []string{"content/grpc/14.md", "content/grpc/unavailable.md"}
		}, false, 2, false},
		{"create a file", func(fsys fstest.MapFS) []string {
			set(fsys, "content/grpc/2.md", reloadArticle("2", "UNKNOWN", "server", `"14"`))
			return []string{"content/grpc/2.md"}
		}, false, 1, false},
		{"delete a file and the link to it", func(fsys fstest.MapFS) []string {
			delete(fsys, "content/http/502.md")
			replace(fsys, "content/http/503.md", `related: ["502", "418"]`, `related: ["418"]`)
			return []string{"content/http/502.md", "content/http/503.md"}
		}, false, 2, false},
		{"delete a file others link to", func(fsys fstest.MapFS) []string {
			deleted = fsys["content/grpc/5.md"]
			delete(fsys, "content/grpc/5.md")
			return []string{"content/grpc/5.md"}
		}, false, 1, true},
		{"bring it back", func(fsys fstest.MapFS) []string {
			set(fsys, "content/grpc/5.md", string(deleted.Data))
			return []string{"content/grpc/5.md"}
		}, false, 1, false},
		{"replace a file with a link", func(fsys fstest.MapFS) []string {
			fsys["content/http/503.md"] = &fstest.MapFile{Data: []byte("404.md"), Mode: fs.ModeSymlink | 0o777}
			return []string{"content/http/503.md"}
		}, false, 1, true},
		{"replace the link with the file", func(fsys fstest.MapFS) []string {
			set(fsys, "content/http/503.md", reloadArticle("503", "Service Unavailable", "5xx"))
			return []string{"content/http/503.md"}
		}, false, 1, false},
		{"edit a collection", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/grpc/_index.md", "order: 2", "order: 0")
			return []string{"content/grpc/_index.md"}
		}, false, 1, false},
		{"edit the site", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/_index.md", "title: Test Wiki", "title: Tested Wiki")
			return []string{"content/_index.md"}
		}, false, 1, false},
		{"add a stray file", func(fsys fstest.MapFS) []string {
			set(fsys, "content/http/notes.txt", "notes")
			return []string{"content/http/notes.txt"}
		}, false, 0, true},
		{"remove it", func(fsys fstest.MapFS) []string {
			delete(fsys, "content/http/notes.txt")
			return []string{"content/http/notes.txt"}
		}, false, 0, false},
		{"edit after a rescan", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/grpc/5.md", "name: NOT_FOUND", "name: Not Found")
			return nil
		}, false, 1, false},
		{"edit once more", func(fsys fstest.MapFS) []string {
			replace(fsys, "content/grpc/5.md", "name: Not Found", "name: NOT_FOUND")
			return []string{"content/grpc/5.md"}
		}, true, 1, false},
	}
	for _, drafts := range []bool{false, true} {
		t.Run(fmt.Sprintf("drafts=%v", drafts), func(t *testing.T) {
			fsys := reloadSite()
			opts := Options{Drafts: drafts, Cache: NewCache(true)}
			prev, err := Load(fsys, opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range steps {
				prevDump := dumpSite(prev)
				opts.Cache.Watched(st.edit(fsys))
				got, quick := opts.Cache.reload(fsys, opts)
				var gotErr error
				if !quick {
					got, gotErr = Load(fsys, opts)
				}
				// A new cache keeps field lines too, so they are compared.
				want, wantErr := Load(fsys, Options{Drafts: drafts, Cache: NewCache(true)})
				if drafts {
					switch st.name {
					case "relate a draft to an unknown code":
						st.quick, st.broken = false, true
					case "relate it to a known one":
						st.quick = false
					}
				}
				if quick != st.quick {
					t.Errorf("%s: quick reload %v, want %v", st.name, quick, st.quick)
				}
				if gotErr != nil && !st.broken {
					t.Errorf("%s: %v", st.name, gotErr)
				}
				if g, w := errString(gotErr), errString(wantErr); g != w {
					t.Errorf("%s: error\n%s\nwant\n%s", st.name, g, w)
				}
				if g, w := dumpSite(got), dumpSite(want); g != w {
					t.Errorf("%s: site\n%s\nwant\n%s", st.name, g, w)
				}
				if n := opts.Cache.Changed(); n != st.changed {
					t.Errorf("%s: Changed() = %d, want %d", st.name, n, st.changed)
				}
				if prev != nil && dumpSite(prev) != prevDump {
					t.Errorf("%s: the previous site changed", st.name)
				}
				if got != nil {
					prev = got
				}
			}
		})
	}
}
