// Package browsertest starts the headless Chromium that the browser tests
// of build and serve drive, and decides what happens when there is none:
// the test is skipped with a message, unless ERRWIKI_BROWSER_TESTS=require
// (as in CI), where that is a failure. It is used by tests only.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Find returns the Chromium to drive: $ERRWIKI_CHROMIUM, or the first of
// the usual names on PATH, or "".
func Find() string {
	if p := os.Getenv("ERRWIKI_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Context starts a fresh headless Chromium for t and returns a chromedp
// context on its first tab, cancelled after timeout or when t ends. Without
// a browser, or with -short, t is skipped (or fails, see the package doc).
func Context(t testing.TB, timeout time.Duration) context.Context {
	t.Helper()
	browser := Find()
	if browser == "" {
		if os.Getenv("ERRWIKI_BROWSER_TESTS") == "require" {
			t.Fatal("no Chromium found and ERRWIKI_BROWSER_TESTS=require; install chromium or set ERRWIKI_CHROMIUM")
		}
		t.Skip("no Chromium found: install chromium (or set ERRWIKI_CHROMIUM) to run the browser test")
	}
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser),
		chromedp.NoSandbox,
		// Without these, Chromium reaches for the network, which CI refuses.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
	)
	ctx, cancelTimeout := context.WithTimeout(context.Background(), timeout)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	ctx, cancelTab := chromedp.NewContext(ctx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		cancelTimeout()
	})
	return ctx
}
