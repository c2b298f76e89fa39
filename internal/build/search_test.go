package build

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"maps"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/errwiki/errwiki/internal/benchcorpus"
	"github.com/errwiki/errwiki/internal/browsertest"
	"github.com/errwiki/errwiki/internal/content"
)

// searchQueries are what readers type into the search box, with the
// articles ("collection/slug") a reader would accept at the top. A query
// scores by the best-ranked of them.
var searchQueries = []struct {
	kind, query string
	want        []string
}{
	{"code", "502", []string{"http/502"}},
	{"code", "404", []string{"http/404"}},
	{"code", "429", []string{"http/429"}},
	{"code", "418", []string{"http/418"}},
	{"code", "301", []string{"http/301"}},
	{"code", "499", []string{"http/499"}},
	{"code", "520", []string{"http/520"}},
	{"code", "550", []string{"smtp/550"}},
	{"code", "1006", []string{"websocket/1006"}},
	{"code", "1000", []string{"websocket/1000"}},
	{"code", "14", []string{"grpc/unavailable"}},

	{"name", "bad gateway", []string{"http/502"}},
	{"name", "not found", []string{"http/404"}},
	{"name", "service unavailable", []string{"http/503"}},
	{"name", "too many requests", []string{"http/429"}},
	{"name", "gateway timeout", []string{"http/504"}},
	{"name", "internal server error", []string{"http/500"}},
	{"name", "unauthorized", []string{"http/401"}},
	{"name", "forbidden", []string{"http/403"}},
	{"name", "moved permanently", []string{"http/301"}},
	{"name", "abnormal closure", []string{"websocket/1006"}},
	{"name", "mailbox unavailable", []string{"smtp/550"}},
	{"name", "UNAVAILABLE", []string{"grpc/unavailable"}},
	{"name", "DEADLINE_EXCEEDED", []string{"grpc/deadline_exceeded"}},
	{"name", "deadline exceeded", []string{"grpc/deadline_exceeded"}},
	{"name", "permission denied", []string{"grpc/permission_denied", "http/403"}},
	{"name", "resource exhausted", []string{"grpc/resource_exhausted"}},
	{"name", "policy violation", []string{"websocket/1008"}},
	{"name", "message too big", []string{"websocket/1009"}},
	{"name", "gateway", []string{"http/502", "http/504"}},

	{"old name", "Payload Too Large", []string{"http/413"}},
	{"old name", "Request Entity Too Large", []string{"http/413"}},
	{"old name", "Unprocessable Entity", []string{"http/422"}},
	{"old name", "Requested Range Not Satisfiable", []string{"http/416"}},
	{"old name", "moved temporarily", []string{"http/302"}},
	{"old name", "Request-URI Too Long", []string{"http/414"}},

	{"alias", "teapot", []string{"http/418"}},
	{"alias", "rate limited", []string{"http/429"}},
	{"alias", "captive portal", []string{"http/511"}},
	{"alias", "mailbox full", []string{"smtp/552"}},
	{"alias", "codes.Unavailable", []string{"grpc/unavailable"}},
	{"alias", "CLOSE_GOING_AWAY", []string{"websocket/1001"}},
	{"alias", "grpc-status 14", []string{"grpc/unavailable"}},
	{"alias", "user unknown", []string{"smtp/550"}},
	{"alias", "greylisted", []string{"smtp/450"}},
	{"alias", "relay access denied", []string{"smtp/554"}},

	{"enhanced code", "5.7.1", []string{"smtp/550"}},
	{"enhanced code", "5.1.1", []string{"smtp/550"}},
	{"enhanced code", "4.7.0", []string{"smtp/421"}},
	{"enhanced code", "5.3.4", []string{"smtp/552"}},
	{"enhanced code", "4.2.0", []string{"smtp/450"}},
	{"enhanced code", "550 5.1.1", []string{"smtp/550"}},

	{"log line", "upstream prematurely closed connection", []string{"http/502"}},
	{"log line", "upstream timed out", []string{"http/504"}},
	{"log line", "client intended to send too large body", []string{"http/413"}},
	{"log line", "plain HTTP request was sent to HTTPS port", []string{"http/497"}},
	{"log line", "request header or cookie too large", []string{"http/494"}},
	{"log line", "554 5.7.1 Relay access denied", []string{"smtp/554"}},

	{"symptom", "timeout", []string{"http/408", "http/504", "grpc/deadline_exceeded"}},
	{"symptom", "rate limit", []string{"http/429"}},
	{"symptom", "disk full", []string{"http/507", "smtp/552"}},
	{"symptom", "upload too large", []string{"http/413"}},
	{"symptom", "server overloaded", []string{"http/503", "websocket/1013"}},
	{"symptom", "redirect", []string{"http/301", "http/302", "http/307", "http/308"}},

	{"typo", "bad gatway", []string{"http/502"}},
	{"typo", "not foud", []string{"http/404"}},
	{"typo", "unavailabel", []string{"grpc/unavailable", "http/503"}},
	{"typo", "too many requets", []string{"http/429"}},
	{"typo", "internal sever error", []string{"http/500"}},
	{"typo", "unauthorised", []string{"http/401"}},
	{"typo", "forbiden", []string{"http/403"}},
	{"typo", "deadline exeeded", []string{"grpc/deadline_exceeded"}},

	{"collection", "grpc 14", []string{"grpc/unavailable"}},
	{"collection", "grpc 5", []string{"grpc/not_found"}},
	{"collection", "grpc not found", []string{"grpc/not_found"}},
	{"collection", "grpc internal", []string{"grpc/internal"}},
	{"collection", "smtp 550", []string{"smtp/550"}},
	{"collection", "smtp 421", []string{"smtp/421"}},
	{"collection", "smtp 502", []string{"smtp/502"}},
	{"collection", "http 421", []string{"http/421"}},
	{"collection", "nginx 499", []string{"http/499"}},
	{"collection", "cloudflare 522", []string{"http/522"}},
	{"collection", "websocket 1011", []string{"websocket/1011"}},
	{"collection", "websocket bad gateway", []string{"websocket/1014"}},

	{"log line", "connection refused", []string{"http/502", "grpc/unavailable"}},
	{"log line", "empty reply from server", []string{"http/444"}},
	{"log line", "context deadline exceeded", []string{"grpc/deadline_exceeded"}},
	{"log line", "received message larger than max", []string{"grpc/resource_exhausted"}},
	{"log line", "need rcpt command", []string{"smtp/503"}},
	{"name", "method not allowed", []string{"http/405"}},
	{"name", "tls handshake", []string{"websocket/1015"}},
	{"alias", "ssl handshake failed", []string{"http/525", "websocket/1015"}},
	{"alias", "login timeout", []string{"http/440"}},
	{"alias", "100 continue", []string{"http/100"}},
	{"alias", "origin unreachable", []string{"http/523"}},
	{"symptom", "quota exceeded", []string{"http/507"}},
	{"symptom", "too many connections", []string{"smtp/421"}},
	{"collection", "websocket 1006", []string{"websocket/1006"}},
	{"collection", "smtp 5.7.1", []string{"smtp/550", "smtp/554"}},
	{"typo", "bad reqest", []string{"http/400"}},
	{"typo", "servcie unavailable", []string{"http/503"}},
	{"typo", "gatway timeout", []string{"http/504"}},

	{"prefix", "gatew", []string{"http/502", "http/504"}},
	{"prefix", "teap", []string{"http/418"}},
	{"prefix", "unavail", []string{"grpc/unavailable", "http/503"}},
	{"prefix", "too man", []string{"http/429"}},
}

// searchResults is the script that reads the result list once it shows the
// results of what the search box holds: each hit's path, in order.
const searchResults = `(() => {
  const input = document.querySelector("#q"), list = document.querySelector("#q-results");
  if (list.getAttribute("data-query") !== input.value) return null;
  return Array.from(list.querySelectorAll("[role=option] a"), a => new URL(a.href).pathname);
})()`

// TestSearchRelevance types every query of searchQueries into the search
// box of the built wiki in Chromium and reads the result list. At least
// 95% of the queries must have an expected article in the top 3, and the
// mean reciprocal rank of the expected articles must be at least 0.85.
func TestSearchRelevance(t *testing.T) {
	ctx := browsertest.Context(t, 3*time.Minute)
	_, out := buildShipped(t)
	ts := httptest.NewServer(serveMemory(out, "/wiki/"))
	defer ts.Close()
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/wiki/"), chromedp.WaitVisible(chromedp.CSS("#q"))); err != nil {
		t.Fatal(err)
	}

	// The script splits text into words as searchWords does.
	script, err := os.ReadFile("../../static/search.js")
	if err != nil {
		t.Fatal(err)
	}
	word := regexp.MustCompile(`var WORD = (/.*/gu);`).FindSubmatch(script)
	if word == nil {
		t.Fatal("no WORD pattern in static/search.js")
	}
	stop := regexp.MustCompile(`"([a-z ]+)"\.split\(" "\)\.forEach`).FindSubmatch(script)
	if stop == nil || fmt.Sprint(strings.Fields(string(stop[1]))) != fmt.Sprint(slices.Sorted(maps.Keys(searchStopWords))) {
		t.Errorf("static/search.js leaves out other stop words than searchStopWords: %q", stop)
	}
	for _, tc := range searchWordCases {
		js := fmt.Sprintf("JSON.stringify(%q.toLowerCase().match(%s) || [])", tc.text, word[1])
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatal(err)
		}
		if want, _ := json.Marshal(nonNil(tc.want)); got != string(want) {
			t.Errorf("%s: search.js splits %q into %s; searchWords into %s", tc.name, tc.text, got, want)
		}
	}

	// The keyboard: "/" focuses the box, arrows move the selection that
	// aria-activedescendant names, Escape empties the box and closes the
	// list.
	state := `[document.activeElement.id, document.querySelector("#q").value,
	  document.querySelector("#q").getAttribute("aria-expanded"),
	  document.querySelector("#q").getAttribute("aria-activedescendant") || "",
	  document.querySelectorAll("#q-results [aria-selected=true]").length + ""]`
	for _, step := range []struct {
		name string
		keys string
		want []string
	}{
		{"slash", "/", []string{"q", "", "false", "", "0"}}, // the box was empty
		{"typing", "gateway", []string{"q", "gateway", "true", "q-result-0", "1"}},
		{"arrow down", kb.ArrowDown, []string{"q", "gateway", "true", "q-result-1", "1"}},
		{"arrow up", kb.ArrowUp, []string{"q", "gateway", "true", "q-result-0", "1"}},
		{"arrow up from the first", kb.ArrowUp, nil}, // wraps to the last
		{"escape", kb.Escape, []string{"q", "", "false", "", "0"}},
	} {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(step.keys)); err != nil {
			t.Fatal(err)
		}
		if step.keys == "/" {
			// The protocol sends the character apart from the key down
			// whose default the script prevents, so the box gets it.
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.querySelector("#q").value = "", true)`)); err != nil {
				t.Fatal(err)
			}
		}
		if step.keys == "gateway" {
			if _, err := chromedp.Run(ctx, chromedp.Poll[[]string](searchResults)); err != nil {
				t.Fatal(err)
			}
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](state))
		if err != nil {
			t.Fatal(err)
		}
		if step.want == nil {
			if got[3] == "q-result-0" || got[3] == "" {
				t.Errorf("%s: active descendant %q; want the last hit", step.name, got[3])
			}
		} else if fmt.Sprint(got) != fmt.Sprint(step.want) {
			t.Errorf("%s: [focus value expanded activedescendant selected] = %q, want %q", step.name, got, step.want)
		}
	}

	// A search the form submitted before the script ran (or without it)
	// lands on a page with ?q=, where the script shows its results.
	err = chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/wiki/http/?q=bad+gatway"), chromedp.WaitVisible(chromedp.CSS("#q-result-0")))
	if err != nil {
		t.Fatal(err)
	}
	if hits, err := chromedp.Run(ctx, chromedp.Poll[[]string](searchResults)); err != nil || len(hits) == 0 || hits[0] != "/wiki/http/502/" {
		t.Errorf("?q=bad+gatway shows %v (%v); want /wiki/http/502/ first", hits, err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/wiki/"), chromedp.WaitVisible(chromedp.CSS("#q"))); err != nil {
		t.Fatal(err)
	}

	var top3, rr float64
	kinds := map[string]bool{}
	for _, q := range searchQueries {
		kinds[q.kind] = true
		_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.querySelector("#q").value = "", true)`))
		if err == nil {
			err = chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#q"), q.query))
		}
		var hits []string
		if err == nil {
			hits, err = chromedp.Run(ctx, chromedp.Poll[[]string](searchResults, chromedp.WithPollingTimeout(10*time.Second)))
		}
		if err != nil {
			t.Fatalf("search %q: %v", q.query, err)
		}
		rank := 0
		for i, h := range hits {
			for _, w := range q.want {
				if h == "/wiki/"+w+"/" && rank == 0 {
					rank = i + 1
				}
			}
		}
		if rank > 0 {
			rr += 1 / float64(rank)
			if rank <= 3 {
				top3++
			}
		}
		if rank == 0 || rank > 3 {
			t.Logf("%s %q: expected %v at rank %d (0: not listed); got %v", q.kind, q.query, q.want, rank, firstN(hits, 5))
		}
	}
	if len(searchQueries) < 60 || len(kinds) < 9 {
		t.Fatalf("%d queries of %d kinds; the table needs at least 60 of every kind", len(searchQueries), len(kinds))
	}
	n := float64(len(searchQueries))
	t.Logf("%d queries: top-3 hit rate %.1f%%, mean reciprocal rank %.3f", len(searchQueries), 100*top3/n, rr/n)
	if top3/n < 0.95 || rr/n < 0.85 {
		t.Errorf("top-3 hit rate %.1f%% and MRR %.3f; want at least 95%% and 0.85", 100*top3/n, rr/n)
	}
}

func firstN(s []string, n int) string {
	return fmt.Sprint(s[:min(n, len(s))])
}

// TestSearchBytes measures, in Chromium, what the search box fetches: no
// part of the index with the page, the meta file on first focus, and then
// for a query, typed a character at a time, the term and document files
// each keystroke needs. At 10,000 articles (benchcorpus) all that a query
// fetches until its results, not only until the first hit, must stay
// under 300 KB, compressed as a web server would.
func TestSearchBytes(t *testing.T) {
	ctx := browsertest.Context(t, 5*time.Minute)
	bench := t.TempDir()
	if err := benchcorpus.WriteDir(bench, benchcorpus.Options{Articles: 10000}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		src     Source
		queries []string
		limit   int
	}{
		{"shipped", DirSource("../.."), []string{"502", "bad gatway", "timeout", "5.7.1", "upstream prematurely closed connection", "grpc 14"}, 300 << 10},
		{"10000 articles", DirSource(bench), []string{"10003", "upstream", "timeout", "stale upstream gateway", "upstrem", "http 10050", "connection", "the request", "retires",
			"the connection pool drops the idle connection after a deploy", "a misconfigured proxy times out on the handshake behind a corporate proxy"}, 300 << 10},
	} {
		site, r, err := Load(tc.src, content.Options{BaseURL: "https://example.github.io/wiki/"})
		if err != nil {
			t.Fatal(err)
		}
		pages, err := NewPages(site, r, tc.src.Static)
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var fetched []string
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			name := strings.TrimPrefix(req.URL.Path, "/wiki/")
			if name == "" {
				name = "index.html"
			}
			data, ok, err := pages.File(name)
			if !ok || err != nil {
				http.Error(w, fmt.Sprint(err), http.StatusNotFound)
				return
			}
			if strings.HasPrefix(name, "_search/") {
				mu.Lock()
				fetched = append(fetched, name)
				mu.Unlock()
			}
			w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
			w.Write(data)
		}))
		take := func() (names []string, gz int) {
			mu.Lock()
			defer mu.Unlock()
			names, fetched = fetched, nil
			for _, name := range names {
				data, _, _ := pages.File(name)
				gz += gzipSize(t, data)
			}
			return names, gz
		}
		largest, firstMost := 0, 0
		for _, q := range tc.queries {
			err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/wiki/"), chromedp.WaitVisible(chromedp.CSS("#q")))
			if err != nil {
				t.Fatal(err)
			}
			if names, _ := take(); len(names) > 0 {
				t.Errorf("%s: the page fetched %v before the search box was focused", tc.name, names)
			}
			// Type one character at a time, waiting for each one's
			// results: first is what was fetched when the first hit showed.
			var hits, names []string
			first, gz := -1, 0
			for _, r := range q {
				if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#q"), string(r))); err != nil {
					t.Fatal(err)
				}
				hits, err = chromedp.Run(ctx, chromedp.Poll[[]string](searchResults, chromedp.WithPollingTimeout(30*time.Second)))
				if err != nil {
					t.Fatalf("%s: search %q: %v", tc.name, q, err)
				}
				more, n := take()
				names, gz = append(names, more...), gz+n
				if first < 0 && len(hits) > 0 {
					first = gz
				}
			}
			largest, firstMost = max(largest, gz), max(firstMost, first)
			t.Logf("%s: %q: first hit after %d bytes gzip-compressed; %d hits after %d files, %d bytes", tc.name, q, first, len(hits), len(names), gz)
			if len(hits) == 0 {
				t.Errorf("%s: %q found nothing", tc.name, q)
			}
			if gz > tc.limit {
				t.Errorf("%s: %q fetched %d bytes of index (gzip) before its results, over %d", tc.name, q, gz, tc.limit)
			}
		}
		t.Logf("%s: at most %d bytes gzip-compressed of index before a query's first hit, %d until its results", tc.name, firstMost, largest)
		ts.Close()
	}
}

// gzipSize is the size of data compressed by gzip at its default level,
// as web servers send it.
func gzipSize(t *testing.T, data []byte) int {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Len()
}
