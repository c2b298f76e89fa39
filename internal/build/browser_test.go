package build

import (
	"fmt"
	"math"
	"mime"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/errwiki/errwiki/internal/browsertest"
	"github.com/errwiki/errwiki/internal/content"
)

// serveMemory serves a built site under prefix the way GitHub Pages does:
// directories by their index.html, unknown paths by 404.html with status 404.
func serveMemory(out *Memory, prefix string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := strings.CutPrefix(r.URL.Path, prefix)
		if !ok {
			http.NotFound(w, r)
			return
		}
		if name == "" || strings.HasSuffix(name, "/") {
			name += "index.html"
		}
		status := http.StatusOK
		data, found := out.File(name)
		if !found {
			status, name = http.StatusNotFound, "404.html"
			data, _ = out.File(name)
		}
		w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
		w.WriteHeader(status)
		w.Write(data)
	})
}

// buildShipped builds the shipped wiki in memory under the sub-path /wiki/.
func buildShipped(t *testing.T) (*content.Site, *Memory) {
	t.Helper()
	src := DirSource("../..")
	site, r, err := Load(src, content.Options{BaseURL: "https://example.github.io/wiki/"})
	if err != nil {
		t.Fatal(err)
	}
	var out Memory
	if _, err := Generate(site, r, src.Static, &out); err != nil {
		t.Fatal(err)
	}
	return site, &out
}

// serveShipped builds the shipped wiki in memory and serves it under /wiki/
// for the length of t; it returns the site, its files and the URL of its
// home page.
func serveShipped(t *testing.T) (*content.Site, *Memory, string) {
	t.Helper()
	site, out := buildShipped(t)
	ts := httptest.NewServer(serveMemory(out, "/wiki/"))
	t.Cleanup(ts.Close)
	return site, out, ts.URL + "/wiki/"
}

// TestBrowser drives a real Chromium through the wiki served under a
// sub-path: search for a code, follow the first hit, read the answer, and
// check the dark theme. Without a browser it is skipped, unless
// ERRWIKI_BROWSER_TESTS=require (as in CI), where that is a failure.
func TestBrowser(t *testing.T) {
	ctx := browsertest.Context(t, 90*time.Second)
	site, _, base := serveShipped(t)
	ts := struct{ URL string }{strings.TrimSuffix(base, "/wiki/")}
	a502 := site.Collection("http").Articles[0]
	for _, a := range site.Collection("http").Articles {
		if a.Code == "502" {
			a502 = a
		}
	}

	// The first hit for each query, typed into the search box of the home page.
	for _, query := range []string{"bad gateway", "502", "gateway"} {
		var first string
		err := chromedp.Do(ctx,
			chromedp.Navigate(ts.URL+"/wiki/"),
			chromedp.WaitVisible(chromedp.CSS("#q")),
			chromedp.SendKeys(chromedp.CSS("#q"), query),
			chromedp.WaitVisible(chromedp.CSS("#q-result-0")),
		)
		if err == nil {
			first, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#q-result-0 strong")))
		}
		if err != nil {
			t.Fatalf("search %q: %v", query, err)
		}
		if first != "HTTP 502 Bad Gateway" {
			t.Errorf("search %q: first hit %q, want HTTP 502 Bad Gateway", query, first)
		}
	}

	// Enter follows the selected (first) hit.
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/wiki/"),
		chromedp.WaitVisible(chromedp.CSS("#q")),
		chromedp.SendKeys(chromedp.CSS("#q"), "bad gateway"),
		chromedp.WaitVisible(chromedp.CSS("#q-result-0")),
		chromedp.SendKeys(chromedp.CSS("#q"), "\n"),
		chromedp.WaitVisible(chromedp.CSS(".quick-answer")),
	)
	if err != nil {
		t.Fatal(err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || loc != ts.URL+"/wiki/http/502/" {
		t.Errorf("after Enter at %q (%v), want %s/wiki/http/502/", loc, err, ts.URL)
	}
	// The answer is inline Markdown; its code spans show without backticks.
	want := strings.ReplaceAll(a502.QuickAnswer.Answer, "`", "")
	answer, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".quick-answer .answer")))
	if err != nil || answer != want {
		t.Errorf("quick answer %q (%v), want %q", answer, err, want)
	}

	// Dark mode: the page follows prefers-color-scheme and stays readable.
	_, err = chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(".quick-answer"))); err != nil {
		t.Fatal(err)
	}
	colors, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color, getComputedStyle(document.querySelector("a")).color]`))
	if err != nil {
		t.Fatal(err)
	}
	bg, fg, link := luminance(t, colors[0]), luminance(t, colors[1]), luminance(t, colors[2])
	if bg > 0.05 {
		t.Errorf("dark mode background %s is not dark", colors[0])
	}
	if c := contrast(fg, bg); c < 7 {
		t.Errorf("dark mode text contrast %.1f:1 (%s on %s); want at least 7:1", c, colors[1], colors[0])
	}
	if c := contrast(link, bg); c < 4.5 {
		t.Errorf("dark mode link contrast %.1f:1 (%s on %s); want at least 4.5:1", c, colors[2], colors[0])
	}
}

// luminance is the WCAG relative luminance of a CSS rgb() color.
func luminance(t *testing.T, css string) float64 {
	t.Helper()
	var r, g, b float64
	if _, err := fmt.Sscanf(css, "rgb(%g, %g, %g)", &r, &g, &b); err != nil {
		t.Fatalf("color %q: %v", css, err)
	}
	lin := func(c float64) float64 {
		c /= 255
		if c <= 0.03928 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func contrast(a, b float64) float64 { return (max(a, b) + 0.05) / (min(a, b) + 0.05) }
