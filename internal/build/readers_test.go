package build

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/errwiki/errwiki/internal/browsertest"
)

// pageCheck runs in every page of the wiki and reports what a reader would
// trip on: a page wider than the screen, a link to an anchor that is not
// on the page, a code block in a known language without highlighting, and
// a section or body heading that does not link to itself. Plain text
// (SMTP dialogues, log lines) is left as it is.
const pageCheck = `(() => {
	const problems = [];
	const doc = document.documentElement;
	if (doc.scrollWidth > window.innerWidth) {
		const wide = [...document.querySelectorAll("main *")]
			.filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
			.filter(e => !e.parentElement.closest("pre, table, .site-header nav"))
			.map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : "") + ": " + e.textContent.slice(0, 40));
		problems.push("page is " + doc.scrollWidth + " px wide on a " + window.innerWidth + " px screen: " + wide.slice(-3).join(" | "));
	}
	for (const a of document.querySelectorAll('a[href^="#"]')) {
		const id = decodeURIComponent(a.getAttribute("href").slice(1));
		if (!document.getElementById(id)) problems.push("link " + a.getAttribute("href") + " (" + a.textContent + ") goes nowhere");
	}
	for (const pre of document.querySelectorAll("pre.chroma[class*=language-]:not(.language-text)")) {
		if (!pre.querySelector("code span[class]:not(.line):not(.cl)")) problems.push("code block not highlighted: " + pre.textContent.slice(0, 40));
	}
	for (const h of document.querySelectorAll("main h2[id], main h3[id], main h4[id]")) {
		if (h.closest(".page-toc, .sidebar")) continue;
		const a = h.querySelector('a[href^="#"]');
		if (!a && !h.querySelector("a")) problems.push("heading " + h.id + " has no link to itself");
		if (a && a.getAttribute("href") !== "#" + h.id) problems.push("heading " + h.id + " links to " + a.getAttribute("href"));
	}
	return problems;
})()`

// TestReaders drives a real Chromium through every page of the wiki as a
// reader on a phone would: no page is wider than a 360 px screen, every
// anchor link (the table of contents, the headings) resolves and code is
// highlighted; on 502, the Quick Answer starts on the first screen of a
// 390×844 phone, the table of contents leads to the sections, and the copy
// button puts a block's code on the clipboard.
func TestReaders(t *testing.T) {
	ctx := browsertest.Context(t, 180*time.Second)
	site, out, base := serveShipped(t)

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulatePortrait, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	pages := 0
	for _, name := range out.Names() {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		path := strings.TrimSuffix(name, "index.html")
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path)); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		problems, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](pageCheck))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, p := range problems {
			t.Errorf("/%s: %s", path, p)
		}
		pages++
	}
	if pages < 150 {
		t.Errorf("checked %d pages, want every page", pages)
	}
	// The check sees a page that is too wide and a link that goes nowhere.
	problems, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
		const p = document.querySelector("main p");
		p.style.whiteSpace = "nowrap";
		p.textContent = "x".repeat(200);
		const a = document.createElement("a");
		a.href = "#nowhere";
		p.after(a);
	})(), `+pageCheck))
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 2 || !strings.Contains(problems[0], "wide") || !strings.Contains(problems[1], "#nowhere") {
		t.Errorf("on a page made too wide with a broken link, the check reports %q", problems)
	}

	// 502 on a 390×844 phone: the Quick Answer starts on the first screen.
	err = chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulatePortrait, chromedp.EmulateMobile),
		chromedp.Navigate(base+"http/502/"),
		chromedp.WaitVisible(chromedp.CSS(".quick-answer")),
	)
	if err != nil {
		t.Fatal(err)
	}
	top, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector(".quick-answer").getBoundingClientRect().top`))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("on a 390×844 phone the Quick Answer of 502 starts at %.0f px", top)
	if top <= 0 || top > 844-100 {
		t.Errorf("on a 390×844 phone the Quick Answer starts at %.0f px, want it on the first screen (with room to read it)", top)
	}

	// Every entry of the table of contents leads to its section.
	entries, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".page-toc a")].map(a => a.getAttribute("href"))`))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 8 {
		t.Errorf("table of contents of 502 has %d entries: %q", len(entries), entries)
	}
	for _, href := range []string{"#causes", "#steps"} {
		err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.page-toc a[href="`+href+`"]`)))
		if err != nil {
			t.Fatal(err)
		}
		at, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.getElementById("`+href[1:]+`").getBoundingClientRect().top`))
		if err != nil {
			t.Fatal(err)
		}
		if at < -1 || at > 100 {
			t.Errorf("after following %s in the table of contents, its section starts at %.0f px, want the top of the screen", href, at)
		}
	}

	// The "who must act" filter hides the categories it leaves empty.
	var wantCats []string
	for _, cat := range site.Collection("http").Categories {
		for _, a := range cat.Articles {
			if a.Fault == "proxy" {
				wantCats = append(wantCats, cat.Key)
				break
			}
		}
	}
	err = chromedp.Do(ctx, chromedp.Navigate(base+"http/"), chromedp.Click(chromedp.CSS("#f-proxy")))
	if err != nil {
		t.Fatal(err)
	}
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".category")].filter(s => s.offsetParent).map(s => s.getAttribute("aria-labelledby"))`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(shown, " ") != strings.Join(wantCats, " ") || len(wantCats) == 0 {
		t.Errorf("with the proxy filter, the HTTP index shows the categories %q, want %q", shown, wantCats)
	}

	// The copy button copies the block's code.
	for _, perm := range []string{"clipboard-read", "clipboard-write"} {
		_, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: perm, AllowWithoutSanitization: true},
			Setting:    browser.PermissionSettingGranted,
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	const block = `document.querySelector(".body .code-block pre")`
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"http/502/"),
		chromedp.WaitVisible(chromedp.CSS(".body .copy")),
		chromedp.Click(chromedp.CSS(".body .copy")),
	)
	if err == nil {
		_, err = chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector(".body .copy").textContent === "Copied"`, chromedp.WithPollingTimeout(5*time.Second)))
	}
	if err != nil {
		t.Fatalf("copy button: %v", err)
	}
	want, err := chromedp.Run(ctx, chromedp.Evaluate[string](block+`.textContent`))
	if err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if got == "" || got != strings.TrimSuffix(want, "\n") {
		t.Errorf("copied %q, want the block's code %q", got, want)
	}
}
