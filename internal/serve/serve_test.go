package serve

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/tools/txtar"
)

// site is the source every test serves: a site under the base path /errwiki/.
const site = `
-- content/_index.md --
---
title: Test Wiki
description: Codes for tests.
base_url: https://example.github.io/errwiki/
---
Hello.
-- content/http/_index.md --
---
title: HTTP Status Codes
name: HTTP
description: HTTP codes.
categories:
  - key: 5xx
    name: 5xx Server Error
  - key: 4xx
    name: 4xx Client Error
---
-- content/http/502.md --
---
code: "502"
name: Bad Gateway
category: 5xx
summary: A proxy got a bad answer.
causes: [Backend down]
steps: [Restart it]
quick_answer:
  question: What causes 502?
  answer: A crashed backend.
---
-- content/http/404.md --
---
code: "404"
name: Not Found
category: 4xx
summary: Nothing here.
causes: [Typo]
steps: [Check the URL]
quick_answer:
  question: What is 404?
  answer: Nothing there.
---
`

// deadline bounds every wait for the server: a rebuild takes milliseconds.
const deadline = 3 * time.Second

// writeTree writes the files of a txtar archive under dir.
func writeTree(t *testing.T, dir, archive string) {
	t.Helper()
	for _, f := range txtar.Parse([]byte(archive)).Files {
		writeFile(t, filepath.Join(dir, f.Name), string(f.Data))
	}
}

func writeFile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// syncBuffer is the server's terminal.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// start runs a server for the site at src on a free loopback port and
// returns its root URL, "http://127.0.0.1:PORT". The server is stopped, and
// must stop promptly, when the test ends.
func start(t *testing.T, src string) (root string, log *syncBuffer) {
	t.Helper()
	return startServer(t, Options{Src: src})
}

// startServer is start with options; it sets opts.Log.
func startServer(t *testing.T, opts Options) (root string, log *syncBuffer) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	log = &syncBuffer{}
	opts.Log = log
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- New(opts).Run(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(deadline):
			t.Error("Run did not return after its context was cancelled")
		}
	})
	return "http://" + ln.Addr().String(), log
}

// get fetches url; connections made before the server accepts wait in the
// listener's backlog, so no polling is needed.
func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	client := &http.Client{
		Timeout:       deadline,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

func getStatus(t *testing.T, root string) status {
	t.Helper()
	resp, body := get(t, root+"/errwiki/_errwiki/status")
	var st status
	if err := json.Unmarshal([]byte(body), &st); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("status: %d %q: %v", resp.StatusCode, body, err)
	}
	return st
}

type sse struct{ name, data string }

// subscribe opens the event stream and returns its events. When it
// returns, the server has registered the stream.
func subscribe(t *testing.T, url string) <-chan sse {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || ct != "text/event-stream" {
		t.Fatalf("events: %d %s", resp.StatusCode, ct)
	}
	events := make(chan sse, 16)
	readDone := make(chan struct{})
	t.Cleanup(func() { cancel(); <-readDone })
	go func() {
		defer close(readDone)
		defer resp.Body.Close()
		var e sse
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if e.name != "" {
					select {
					case events <- e:
					case <-ctx.Done():
						return
					}
				}
				e = sse{}
			case strings.HasPrefix(line, "event: "):
				e.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				e.data = strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	return events
}

// next returns the next event, failing the test if none comes in time.
func next(t *testing.T, events <-chan sse) sse {
	t.Helper()
	select {
	case e := <-events:
		return e
	case <-time.After(deadline):
		t.Fatal("no event from the server")
		return sse{}
	}
}

var scriptRE = regexp.MustCompile(`<script src="/errwiki/_errwiki/reload.js" data-build="([^"]+)"></script></body>`)

// TestWritersLoop edits, breaks and fixes a site while a page listens, as a
// writer with errwiki serve open does.
func TestWritersLoop(t *testing.T) {
	src := t.TempDir()
	writeTree(t, src, site)
	root, log := start(t, src)
	page := root + "/errwiki/http/502/"

	resp, body := get(t, page)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("GET %s: %d %s", page, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	m := scriptRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no reload script before </body>:\n%s", body)
	}
	firstBuild := m[1]
	if st := getStatus(t, root); st != (status{Build: firstBuild}) {
		t.Errorf("status %+v, want build %s and no error", st, firstBuild)
	}
	resp, js := get(t, root+"/errwiki/_errwiki/reload.js")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") || js != string(reloadJS) {
		t.Errorf("reload.js: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if !strings.Contains(log.String(), "rebuilt in ") || !strings.Contains(log.String(), " (5 pages)") {
		t.Errorf("terminal does not report the first build:\n%s", log)
	}

	events := subscribe(t, root+"/errwiki/_errwiki/events")
	file := filepath.Join(src, "content", "http", "502.md")
	good := strings.Replace(txtarFile(t, site, "content/http/502.md"), "Bad Gateway", "Very Bad Gateway", 1)

	t.Run("edit reloads", func(t *testing.T) {
		writeFile(t, file, good) // truncate, then write
		if e := next(t, events); e.name != "reload" {
			t.Fatalf("event %+v, want reload", e)
		}
		_, body := get(t, page)
		if !strings.Contains(body, "Very Bad Gateway") {
			t.Errorf("page does not show the edit:\n%s", body)
		}
		if m := scriptRE.FindStringSubmatch(body); m == nil || m[1] == firstBuild {
			t.Errorf("page does not carry the new build's ID")
		}
	})

	t.Run("save without a change does not reload", func(t *testing.T) {
		writeFile(t, file, good)
		waitFor(t, func() bool { return strings.Contains(log.String(), "no change") })
		// The next subtest's first event is the error, not a reload.
	})

	t.Run("broken edit keeps the last good build", func(t *testing.T) {
		broken := strings.Replace(good, "category: 5xx\n", "category: 5xx\ncatgory: 5xx\n", 1)
		writeFile(t, file, broken)
		e := next(t, events)
		const want = `content/http/502.md:5: catgory: unknown field; did you mean \"category\"?`
		if e.name != "error" || !strings.Contains(e.data, want) {
			t.Fatalf("event %+v, want error with %s", e, want)
		}
		var msg string
		if err := json.Unmarshal([]byte(e.data), &msg); err != nil {
			t.Errorf("error data is not a JSON string: %v", err)
		}
		resp, body := get(t, page)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Very Bad Gateway") {
			t.Errorf("last good page not served: %d", resp.StatusCode)
		}
		if st := getStatus(t, root); st.Error != msg {
			t.Errorf("status error %q, want %q", st.Error, msg)
		}
		if !strings.Contains(log.String(), strings.ReplaceAll(want, `\"`, `"`)+"\n1 problem(s) found") {
			t.Errorf("terminal does not show the error:\n%s", log)
		}
	})

	t.Run("fix clears the error", func(t *testing.T) {
		// Saved as many editors do: a new file renamed over the old one.
		// The output equals the last good build's, and still the pages
		// reload, to clear their overlay.
		tmp := filepath.Join(src, "content", "http", ".502.md.swp")
		writeFile(t, tmp, good)
		if err := os.Rename(tmp, file); err != nil {
			t.Fatal(err)
		}
		if e := next(t, events); e.name != "reload" {
			t.Fatalf("event %+v, want reload", e)
		}
		if st := getStatus(t, root); st.Error != "" {
			t.Errorf("status still has error %q", st.Error)
		}
	})

	t.Run("new directory is watched", func(t *testing.T) {
		writeTree(t, src, `
-- content/grpc/_index.md --
---
title: gRPC Status Codes
name: gRPC
description: gRPC codes.
categories: [{key: error, name: Errors}]
---
-- content/grpc/14.md --
---
code: "14"
name: UNAVAILABLE
category: error
summary: The service is down.
causes: [Overload]
steps: [Retry]
quick_answer:
  question: Should I retry?
  answer: With backoff.
---
`)
		if e := next(t, events); e.name != "reload" {
			t.Fatalf("event %+v, want reload", e)
		}
		// An edit inside the new directory is seen too.
		grpc := filepath.Join(src, "content", "grpc", "14.md")
		data, err := os.ReadFile(grpc)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, grpc, strings.Replace(string(data), "UNAVAILABLE", "Unavailable", 1))
		if e := next(t, events); e.name != "reload" {
			t.Fatalf("event %+v, want reload", e)
		}
		if _, body := get(t, root+"/errwiki/grpc/14/"); !strings.Contains(body, "gRPC 14 Unavailable") {
			t.Errorf("edit in the new directory not served:\n%s", body)
		}
	})
}

// waitFor polls cond until it holds, failing the test after the deadline.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	end := time.Now().Add(deadline)
	for !cond() {
		if time.Now().After(end) {
			t.Fatal("timed out")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func txtarFile(t *testing.T, archive, name string) string {
	t.Helper()
	for _, f := range txtar.Parse([]byte(archive)).Files {
		if f.Name == name {
			return string(f.Data)
		}
	}
	t.Fatalf("no %s in the archive", name)
	return ""
}

// TestFirstBuildBroken starts on a site that does not build: every page
// says so with status 503, and the first good build replaces it.
func TestFirstBuildBroken(t *testing.T) {
	src := t.TempDir()
	writeTree(t, src, site)
	file := filepath.Join(src, "content", "http", "502.md")
	good := txtarFile(t, site, "content/http/502.md")
	writeFile(t, file, strings.Replace(good, "causes: [Backend down]", "causes: []", 1))
	root, _ := start(t, src)

	resp, body := get(t, root+"/errwiki/http/502/")
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, `<script src="/_errwiki/reload.js" data-build=""></script></body>`) {
		t.Fatalf("GET before a good build: %d\n%s", resp.StatusCode, body)
	}
	resp, body = get(t, root+"/_errwiki/status")
	const want = "content/http/502.md:6: causes: at least one cause is required"
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, want) {
		t.Fatalf("status: %d %s; want %q", resp.StatusCode, body, want)
	}
	// Until the site builds, its base path is unknown, and the server's
	// own files are under "/".
	events := subscribe(t, root+"/_errwiki/events")
	writeFile(t, file, good)
	if e := next(t, events); e.name != "reload" {
		t.Fatalf("event %+v, want reload", e)
	}
	if resp, _ := get(t, root+"/errwiki/http/502/"); resp.StatusCode != http.StatusOK {
		t.Errorf("GET after the fix: %d", resp.StatusCode)
	}
}

// TestPaths asks for paths that try to leave the build, and for the files of
// the build, over a real connection so that the request line is sent as
// written.
func TestPaths(t *testing.T) {
	dir := t.TempDir()
	const secret = "TOP SECRET"
	writeFile(t, filepath.Join(dir, "secret.txt"), secret)
	src := filepath.Join(dir, "site")
	writeTree(t, src, site)
	writeFile(t, filepath.Join(src, "secret.txt"), secret)
	root, _ := start(t, src)
	addr := strings.TrimPrefix(root, "http://")

	for _, tc := range []struct {
		method, target string
		code           int
		ctype          string // prefix of the Content-Type
		location       string
	}{
		{"GET", "/../etc/passwd", 400, "", ""},
		{"GET", "/%2e%2e/%2e%2e/etc/passwd", 400, "", ""},
		{"GET", "/..%2f..%2fetc/passwd", 400, "", ""},
		{"GET", "/http/..%2f..%2f", 400, "", ""},
		{"GET", "/errwiki/http/..%2f..%2f", 400, "", ""},
		{"GET", "/errwiki/../secret.txt", 400, "", ""},
		{"GET", "/errwiki/%2e%2e/secret.txt", 400, "", ""},
		{"GET", "/errwiki/.%2E/secret.txt", 400, "", ""},
		{"GET", "/errwiki/..%5csecret.txt", 400, "", ""},
		{"GET", "/errwiki/./http/502/", 400, "", ""},
		{"GET", "/errwiki/http%00/", 400, "", ""},
		{"GET", "//etc/passwd", 404, "text/html", ""},
		{"GET", "/etc/passwd", 404, "text/html", ""},
		{"GET", "/secret.txt", 404, "text/html", ""},
		{"GET", "/errwiki/secret.txt", 404, "text/html", ""},
		{"GET", "/errwiki/content/http/502.md", 404, "text/html", ""},
		{"GET", "/errwiki/nope/", 404, "text/html", ""},
		{"GET", "/errwiki/_errwiki/nope", 404, "text/plain", ""},
		{"GET", "/", 302, "", "/errwiki/"},
		{"GET", "/errwiki", 302, "", "/errwiki/"},
		{"GET", "/errwiki/http/502", 302, "", "/errwiki/http/502/"},
		{"GET", "/errwiki/", 200, "text/html", ""},
		{"GET", "//errwiki//http/502/", 200, "text/html", ""},
		{"GET", "/errwiki/http/", 200, "text/html", ""},
		{"GET", "/errwiki/http/502/index.html", 200, "text/html", ""},
		{"GET", "/errwiki/style.css", 200, "text/css", ""},
		{"GET", "/errwiki/favicon.svg", 200, "image/svg+xml", ""},
		{"GET", "/errwiki/robots.txt", 200, "text/plain", ""},
		{"GET", "/errwiki/sitemap.xml", 200, "application/xml", ""},
		{"HEAD", "/errwiki/http/502/", 200, "text/html", ""},
		{"POST", "/errwiki/http/502/", 405, "text/plain", ""},
	} {
		t.Run(tc.method+" "+tc.target, func(t *testing.T) {
			conn, err := net.DialTimeout("tcp", addr, deadline)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(deadline))
			fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", tc.method, tc.target, addr)
			req, _ := http.NewRequest(tc.method, root, nil)
			resp, err := http.ReadResponse(bufio.NewReader(conn), req)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tc.code {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.code)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tc.ctype) {
				t.Errorf("Content-Type %q, want %s", ct, tc.ctype)
			}
			if loc := resp.Header.Get("Location"); loc != tc.location {
				t.Errorf("Location %q, want %q", loc, tc.location)
			}
			if bytes.Contains(body, []byte(secret)) || bytes.Contains(body, []byte("root:")) {
				t.Errorf("served a file from outside the build:\n%s", body)
			}
			switch {
			case tc.code == 404 && tc.ctype == "text/html":
				if !bytes.Contains(body, []byte("Page not found")) || !scriptRE.Match(body) {
					t.Errorf("not the site's 404 page with the reload script:\n%s", body)
				}
			case tc.method == "HEAD" && len(body) != 0:
				t.Errorf("HEAD answered with a body")
			}
		})
	}
}

func TestRelevant(t *testing.T) {
	src := filepath.Join("site", "src")
	w := &watcher{src: src}
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"content", true},
		{"content/http/502.md", true},
		{"content/http", true},
		{"templates/article.html", true},
		{"static/style.css", true},
		{"static/.well-known/security.txt", true}, // the build copies it
		{"content/http/.502.md.swp", false},       // the loader skips it
		{"content/.git/HEAD", false},
		{"public/http/502/index.html", false},
		{"README.md", false},
		{"contented/x.md", false},
		{"../content/x.md", false},
	} {
		if got := w.relevant(filepath.Join(src, filepath.FromSlash(tc.name))); got != tc.want {
			t.Errorf("relevant(%s) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// loop is a page template that never ends: html/template has no way to
// stop it.
const loop = `{{define "main"}}{{range 100000000000000}}{{end}}<h1>Never shown</h1>{{end}}`

// TestRunawayTemplate saves templates that loop without end while pages
// listen: a render is given up on at its deadline, the error reaches the
// terminal and the pages, the last good build stays up, and fixing the
// template rebuilds. When the test ends the server must stop promptly,
// the loops still running. It comes last: they keep cores busy until the
// test binary exits.
func TestRunawayTemplate(t *testing.T) {
	src := t.TempDir()
	writeTree(t, src, site)
	root, log := startServer(t, Options{Src: src, RenderTimeout: time.Second})
	page, missing := root+"/errwiki/http/502/", root+"/errwiki/nope/"

	resp, body := get(t, missing)
	m := scriptRE.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "Page not found") || m == nil {
		t.Fatalf("GET %s: %d\n%s", missing, resp.StatusCode, body)
	}
	good := m[1]
	events := subscribe(t, root+"/errwiki/_errwiki/events")
	tmpl := filepath.Join(src, "templates", "404.html")

	t.Run("loop is reported", func(t *testing.T) {
		writeFile(t, tmpl, loop)
		e := next(t, events)
		const want = "rendering /404.html with templates/404.html took longer than 1s; a template may loop without end"
		if e.name != "error" || e.data != `"`+want+`"` {
			t.Fatalf("event %+v, want error %q", e, want)
		}
		if !strings.Contains(log.String(), want+"\n") {
			t.Errorf("terminal does not show the error:\n%s", log)
		}
		if st := getStatus(t, root); st != (status{Build: good, Error: want}) {
			t.Errorf("status %+v, want build %s and the error", st, good)
		}
	})

	t.Run("last good build stays up", func(t *testing.T) {
		for _, tc := range []struct {
			url  string
			code int
			text string
		}{
			{page, http.StatusOK, "Bad Gateway"},
			{missing, http.StatusNotFound, "Page not found"},
		} {
			resp, body := get(t, tc.url)
			m := scriptRE.FindStringSubmatch(body)
			if resp.StatusCode != tc.code || !strings.Contains(body, tc.text) || m == nil || m[1] != good {
				t.Errorf("GET %s: %d, want %d with %q from build %s:\n%s", tc.url, resp.StatusCode, tc.code, tc.text, good, body)
			}
		}
	})

	t.Run("fix rebuilds", func(t *testing.T) {
		writeFile(t, tmpl, `{{define "main"}}<h1>Nothing at this address</h1>{{end}}`)
		if e := next(t, events); e.name != "reload" {
			t.Fatalf("event %+v, want reload", e)
		}
		resp, body := get(t, missing)
		m := scriptRE.FindStringSubmatch(body)
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "Nothing at this address") || m == nil || m[1] == good {
			t.Errorf("GET %s after the fix: %d\n%s", missing, resp.StatusCode, body)
		}
		if st := getStatus(t, root); st.Error != "" || st.Build == good {
			t.Errorf("status %+v, want a new build and no error", st)
		}
	})

	// The collection index is rendered only when a reader asks for it.
	t.Run("loop in a page that is asked for", func(t *testing.T) {
		tmpl := filepath.Join(src, "templates", "collection.html")
		writeFile(t, tmpl, loop)
		if e := next(t, events); e.name != "reload" {
			t.Fatalf("event %+v, want reload", e)
		}
		const want = "rendering /http/ with templates/collection.html took longer than 1s; a template may loop without end"
		resp, body := get(t, root+"/errwiki/http/")
		if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(body, "<pre>"+want+"</pre>") || !scriptRE.MatchString(body) {
			t.Errorf("GET /errwiki/http/: %d, want 500 with %q and the reload script:\n%s", resp.StatusCode, want, body)
		}
		if !strings.Contains(log.String(), want+"\n") {
			t.Errorf("terminal does not show the error:\n%s", log)
		}
		writeFile(t, tmpl, `{{define "main"}}<h1>All HTTP codes</h1>{{end}}`)
		if e := next(t, events); e.name != "reload" {
			t.Fatalf("event %+v, want reload", e)
		}
		if resp, body := get(t, root+"/errwiki/http/"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "All HTTP codes") {
			t.Errorf("GET /errwiki/http/ after the fix: %d\n%s", resp.StatusCode, body)
		}
	})
}
