package build

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/errwiki/errwiki/internal/browsertest"
)

// TestScreenshots writes PNGs of the home page, the HTTP index and 502 on a
// desktop, a phone and a desktop in dark mode into $ERRWIKI_SCREENSHOTS
// (make screenshots), each of the first screen and of the whole page, and
// the first screen of 502's code blocks. It
// is skipped when that variable is unset.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("ERRWIKI_SCREENSHOTS")
	if dir == "" {
		t.Skip("set ERRWIKI_SCREENSHOTS to a directory to write screenshots (make screenshots)")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx := browsertest.Context(t, 120*time.Second)
	_, _, base := serveShipped(t)
	pages := []struct{ name, path string }{{"home", ""}, {"http", "http/"}, {"502", "http/502/"}, {"502-code", "http/502/#more"}}
	screens := []struct {
		name          string
		width, height int64
		mobile, dark  bool
	}{
		{"desktop", 1280, 800, false, false},
		{"phone", 390, 844, true, false},
		{"dark", 1280, 800, false, true},
	}
	for _, s := range screens {
		scheme := "light"
		if s.dark {
			scheme = "dark"
		}
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		if err != nil {
			t.Fatal(err)
		}
		view := chromedp.EmulateViewport(s.width, s.height)
		if s.mobile {
			view = chromedp.EmulateViewport(s.width, s.height, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateScale(2))
		}
		for _, p := range pages {
			if err := chromedp.Do(ctx, view, chromedp.Navigate(base+p.path)); err != nil {
				t.Fatal(err)
			}
			first, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			full, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			for suffix, png := range map[string][]byte{"": first, "-full": full} {
				name := filepath.Join(dir, fmt.Sprintf("%s-%s%s.png", p.name, s.name, suffix))
				if err := os.WriteFile(name, png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}
