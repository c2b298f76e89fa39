package serve

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/errwiki/errwiki/internal/browsertest"
)

// TestBrowserReload runs reload.js in a real Chromium: a broken edit shows
// the overlay, as text, on an open page and on one loaded afterwards; the fix
// reloads the page and clears it. Without a browser it is skipped, unless
// ERRWIKI_BROWSER_TESTS=require (as in CI), where that is a failure.
func TestBrowserReload(t *testing.T) {
	ctx := browsertest.Context(t, 60*time.Second)
	src := t.TempDir()
	writeTree(t, src, site)
	root, _ := start(t, src)
	page := root + "/errwiki/http/502/"
	file := filepath.Join(src, "content", "http", "502.md")
	good := txtarFile(t, site, "content/http/502.md")

	const overlay = "#errwiki-build-error"
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
		t.Fatal(err)
	}
	// The page is listening once its script has asked for the status.
	waitStreams(t, ctx)

	// A field name that is markup must show as text, not become an element.
	writeFile(t, file, strings.Replace(good, "category: 5xx\n", "category: 5xx\n\"<b id=injected>x</b>\": 1\n", 1))
	const want = `content/http/502.md:5: <b id=injected>x</b>: unknown field`
	for _, when := range []string{"open page", "page loaded while broken"} {
		if when != "open page" {
			if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
				t.Fatal(err)
			}
		}
		if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(overlay))); err != nil {
			t.Fatalf("%s: no overlay: %v", when, err)
		}
		text, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(overlay)))
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		if !strings.Contains(text, want) {
			t.Errorf("%s: overlay %q does not contain %q", when, text, want)
		}
		injected, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("injected") !== null`))
		if err != nil || injected {
			t.Errorf("%s: the error's markup became an element (%v)", when, err)
		}
	}

	waitStreams(t, ctx)
	writeFile(t, file, strings.Replace(good, "Bad Gateway", "Fixed Gateway", 1))
	// The page reloads, which ends any one evaluation: ask again until
	// the new page answers.
	end := time.Now().Add(deadline)
	for {
		fixed, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
			`document.querySelector("h1").textContent.includes("Fixed Gateway") && !document.getElementById("errwiki-build-error")`))
		if err == nil && fixed {
			break
		}
		if time.Now().After(end) {
			t.Fatalf("fix did not reload the page and clear the overlay (%v)", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitStreams waits until the page's event stream is open and its status
// check done, so that no edit happens before the page listens.
func waitStreams(t *testing.T, ctx context.Context) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](
		`performance.getEntriesByType("resource").some(e => e.name.endsWith("/_errwiki/status"))`,
		chromedp.WithPollingTimeout(deadline)))
	if err != nil {
		t.Fatalf("the page never checked the server's status: %v", err)
	}
}
