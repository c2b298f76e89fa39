package content

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
)

// ScaffoldFile returns the file that a new article for code in collection
// belongs in, such as "content/http/418.md", after checking that the
// collection exists in fsys and that the code makes a safe file name. Whether
// the file exists already is for the caller to find out as it creates it.
func ScaffoldFile(fsys fs.FS, collection, code string) (string, error) {
	slug, err := checkScaffold(collection, code)
	if err != nil {
		return "", err
	}
	if _, err := fs.Stat(fsys, path.Join(Dir, collection, "_index.md")); errors.Is(err, fs.ErrNotExist) {
		have := collectionKeys(fsys)
		msg := fmt.Sprintf("no collection %q: %s/%s/_index.md does not exist", collection, Dir, collection)
		if len(have) > 0 {
			msg += "; the collections are " + strings.Join(have, ", ") + suggest(collection, have)
		}
		return "", errors.New(msg)
	} else if err != nil {
		return "", err
	}
	return path.Join(Dir, collection, slug+".md"), nil
}

// collectionKeys lists the directories of content/ that hold an _index.md.
func collectionKeys(fsys fs.FS) []string {
	entries, _ := fs.ReadDir(fsys, Dir)
	var keys []string
	for _, e := range entries {
		if _, err := fs.Stat(fsys, path.Join(Dir, e.Name(), "_index.md")); e.IsDir() && err == nil {
			keys = append(keys, e.Name())
		}
	}
	return keys
}

// checkScaffold returns the slug of code, or why collection or code cannot
// name a new article file.
func checkScaffold(collection, code string) (string, error) {
	if !slugRE.MatchString(collection) || strings.Contains(collection, "..") {
		return "", fmt.Errorf("collection %q is not a collection directory name; use only a-z, 0-9, '.', '_' and '-'", collection)
	}
	slug := strings.ToLower(code)
	switch {
	case code == "":
		return "", errors.New("the code is empty")
	case strings.ContainsAny(code, `/\`) || strings.Contains(code, ".."):
		return "", fmt.Errorf("code %q would make a file outside content/%s/; a code holds no '/', '\\' or '..'", code, collection)
	case !slugRE.MatchString(slug):
		return "", fmt.Errorf("code %q does not make a safe file name; the lower-cased code must use only a-z, 0-9, '.', '_' and '-', starting with a letter or digit", code)
	case slices.Contains(reservedSlugs, slug):
		return "", fmt.Errorf("code %q would take the reserved name %q; create the file by hand with another name and set slug", code, slug)
	}
	return slug, nil
}

// Scaffold returns the text of a new article file for code in collection:
// every field present and explained in a comment, the required ones first.
// The required fields other than code are left empty rather than filled
// with placeholders, so that check lists what is still to write, file and
// line, instead of passing an article that says "TODO".
func Scaffold(collection, code string) ([]byte, error) {
	if _, err := checkScaffold(collection, code); err != nil {
		return nil, err
	}
	r := strings.NewReplacer(
		"{{collection}}", collection,
		"{{code}}", code,
		"{{faults}}", strings.Join(slices.Sorted(maps.Keys(Faults)), ", "),
		"{{statuses}}", strings.Join(slices.Sorted(maps.Keys(Statuses)), ", "),
		"{{langs}}", wrapComment(strings.Join(slices.Sorted(maps.Keys(Languages)), ", "), "#   "),
	)
	return []byte(r.Replace(scaffold)), nil
}

// wrapComment breaks a comma-separated list into comment lines of at most
// about 80 characters, each starting with prefix.
func wrapComment(list, prefix string) string {
	var b strings.Builder
	line := prefix
	for i, word := range strings.SplitAfter(list, ", ") {
		if i > 0 && len(line)+len(word) > 80 {
			b.WriteString(strings.TrimRight(line, " ") + "\n")
			line = prefix
		}
		line += word
	}
	b.WriteString(line)
	return b.String()
}

// scaffold is the article template. The code is quoted: checkScaffold lets
// through only letters, digits, '.', '_' and '-'.
const scaffold = `---
# A new article: content/{{collection}}/. Fill in every field marked TODO, then
# run "make check", or keep "make serve" open: it lists what is still missing,
# file and line. Lines starting with # are comments; delete them as you go.
# Below the closing --- you may add a Markdown body, shown after the sections.

# ---- Required ----------------------------------------------------------

# The code as readers see it, quoted so that YAML keeps it text.
code: "{{code}}"
# TODO: the code's name, e.g. Bad Gateway.
name: ""
# TODO: the key of one of the categories in content/{{collection}}/_index.md.
category: ""
# TODO: one line under 160 characters: the lead of the page, its meta
# description and its row in the collection's index.
summary: ""
# TODO: why it happens, one cause per item; give three or more, e.g.
#   causes:
#     - Backend server crashed or is down
#     - Load balancer cannot reach the backend
causes: []
# TODO: how to fix it, in order; give three or more, e.g.
#   steps:
#     - Wait and retry; it is often temporary
#     - Check that the backend server is running
steps: []
# TODO: the Quick Answer box: the question readers ask first, answered in a
# sentence or two.
quick_answer:
  question: ""
  answer: ""

# ---- Optional: fill in or leave empty ----------------------------------

# The URL segment; empty means the lower-cased code. Only a-z 0-9 . _ -
slug: ""
# Shown after an em dash in the title, e.g. Upstream Server Error.
tagline: ""
# Who defines a non-standard code, e.g. nginx or Cloudflare; marks the code
# unofficial. Leave empty for a code of the collection's standard.
source: ""
# One of {{statuses}}: unused or deprecated when the code's
# standard says so. Empty means unofficial with a source, standard without.
status: ""
# Who must act: one of {{faults}}.
fault: ""
# Key Details bullets; Status and Category are added from the fields above.
details: []
# More questions; give two or more, e.g.
#   faq:
#     - question: What is the difference between 502 and 504?
#       answer: 502 is a bad answer from upstream; 504 is no answer in time.
faq: []
# Codes in this collection, or collection/code in another; each must exist,
# e.g. related: ["503", "http/504"]
related: []
# Specs and vendor docs, https URLs; a standard code needs one, e.g.
#   references:
#     - title: "RFC 9110 §15.6.3: 502 Bad Gateway"
#       url: https://www.rfc-editor.org/rfc/rfc9110#section-15.6.3
references: []
# Other names readers search for, e.g. aliases: [bad gateway, nginx 502]
aliases: []
# The exact log lines and error messages this code explains, as the software
# writes them, one line each; search finds the article by them, e.g.
#   messages: ["upstream prematurely closed connection while reading response header from upstream"]
messages: []
# The day you last changed the article, YYYY-MM-DD; the sitemap's lastmod.
updated:
# true leaves the article out of the build; "errwiki serve -drafts" shows it.
draft: false
# A real exchange as raw protocol text, shown as code blocks, e.g.
#   example:
#     request: |
#       GET /api/orders HTTP/1.1
#       Host: shop.example.com
#     response: |
#       HTTP/1.1 502 Bad Gateway
example:
# How to answer with the code, e.g.
#   send:
#     - lang: go
#       code: w.WriteHeader(http.StatusBadGateway)
# where lang is one of
{{langs}}.
send: []
---
`
