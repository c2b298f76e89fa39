// Package serve previews a site while it is being written: it builds the
// site in memory, serves it over HTTP under the site's base path, watches
// the source for changes, rebuilds, and reloads open pages.
//
// It is the last step of the flow (content → render → build → serve). A
// broken edit never stops it: the last good build stays up, the error goes
// to the terminal and to an overlay on every open page, and the next good
// build clears it. Neither does a template that loops without end: a render
// that runs past its deadline is given up on and reported as an error.
package serve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/errwiki/errwiki/internal/build"
	"github.com/errwiki/errwiki/internal/content"
)

// Options say what to serve.
type Options struct {
	Src    string    // site source directory, holding content/
	Drafts bool      // include draft articles
	Log    io.Writer // the terminal: rebuild times and build errors

	// RenderTimeout is how long a file may take to render before the
	// server gives up on it and reports an error; 0 means
	// DefaultRenderTimeout.
	RenderTimeout time.Duration
}

// A Server serves the latest good build of a site and rebuilds it when the
// source changes. Create one with New; it is an http.Handler.
type Server struct {
	opts    Options
	events  hub
	renders *renders

	runID string // tells this run's builds from those of an earlier one

	cache  *content.Cache // parsed articles, so a rebuild parses only what changed
	inputs string         // templates and static files of the last good build

	mu       sync.RWMutex
	current  *snapshot // the last good build; nil until there is one
	buildErr string    // why the last build failed; "" after a good one
	builds   int       // good builds so far, numbering snapshot IDs

	logMu sync.Mutex // one message at a time on the terminal
}

// A snapshot is one good build, served as it is until the next good one
// replaces it.
type snapshot struct {
	id     string       // tells a page whether it is the latest build
	base   string       // the site's base path, "/" or "/errwiki/"
	files  *build.Pages // rendered as they are asked for
	pages  int
	script []byte // the tag injected into every HTML page
}

// New returns a server for the site described by opts. It builds nothing
// until Run.
func New(opts Options) *Server {
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	return &Server{
		opts:    opts,
		renders: newRenders(opts.RenderTimeout),
		runID:   strconv.FormatInt(time.Now().UnixNano(), 36),
		cache:   content.NewCache(true),
	}
}

// Run builds the site, starts watching its source and serves it on ln until
// ctx is done, then shuts the HTTP server down gracefully. Requests are only
// accepted once the first build and the watches are in place, so a client
// that got an answer knows every later edit will be seen. Content errors are
// reported, never returned: Run returns nil once ctx is done, or an error if
// the listener fails. It returns promptly once ctx is done, whatever a
// template is doing: no render is waited for past that.
func (s *Server) Run(ctx context.Context, ln net.Listener) error {
	w, err := newWatcher(s.opts.Src)
	if err != nil {
		ln.Close()
		return err
	}
	defer w.close()
	s.rebuild(ctx, nil)
	s.logf("serving %s at http://%s%s (Ctrl+C to stop)\n", s.opts.Src, ln.Addr(), s.basePath())

	// Every request's context derives from runCtx: cancelling it ends the
	// event streams, which would otherwise keep Shutdown waiting.
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	watchDone := make(chan struct{})
	go func() {
		defer close(watchDone)
		w.run(runCtx, debounce, func(changed []string) { s.rebuild(runCtx, changed) }, s.logf)
	}()
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		// No WriteTimeout: an event stream stays open as long as its page.
		BaseContext: func(net.Listener) context.Context { return runCtx },
	}
	serveDone := make(chan error, 1)
	go func() { serveDone <- srv.Serve(ln) }()

	select {
	case err = <-serveDone:
	case <-ctx.Done():
	}
	stop()
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if sErr := srv.Shutdown(shutCtx); sErr != nil && err == nil {
		err = sErr
	}
	<-watchDone // a rebuild in progress finishes before Run returns
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// debounce is how long the source must be quiet before a rebuild. Editors
// that save by writing a temporary file and renaming it, or by truncating
// and then writing, send several events per save; rebuilding once they have
// stopped means the build never reads a half-written file.
const debounce = 50 * time.Millisecond

// rebuild loads the site again, parsing only the files that changed, and
// serves it; pages are rendered when they are asked for. changed names the
// files the watcher saw change, or is nil when every file must be checked.
// On success open pages reload; on failure the last good build stays and
// open pages show the error. A few pages are rendered first, each under the
// render deadline, to find templates that fail or loop. Once ctx is done it
// returns without waiting for them and changes nothing. Only the watcher and
// Run call it, never two at once.
func (s *Server) rebuild(ctx context.Context, changed []string) {
	start := time.Now()
	s.cache.Watched(changed)
	src := build.DirSource(s.opts.Src)
	opts := content.Options{Drafts: s.opts.Drafts, Cache: s.cache}
	inputs := fingerprint(s.opts.Src)
	site, r, err := build.Load(src, opts)
	var files *build.Pages
	if err == nil {
		files, err = build.NewPages(site, r, src.Static)
	}
	if err == nil {
		for _, name := range files.Probes() {
			if _, _, err = s.renders.file(ctx, files, name); err != nil {
				break
			}
		}
	}
	if ctx.Err() != nil {
		return // stopping
	}
	if err != nil {
		s.fail(err)
		return
	}
	took := time.Since(start).Round(time.Millisecond)

	s.mu.Lock()
	prev, hadErr := s.current, s.buildErr != ""
	if prev != nil && !hadErr && s.cache.Changed() == 0 && inputs == s.inputs {
		// Saved without a change: leave open pages alone.
		s.mu.Unlock()
		s.logf("rebuilt in %v (%d pages), no change\n", took, prev.pages)
		return
	}
	s.builds++
	snap := &snapshot{
		id:    s.runID + "-" + strconv.Itoa(s.builds),
		base:  site.BasePath(),
		files: files,
		pages: len(site.Articles()) + len(site.Collections) + 2, // and the home and 404 pages
	}
	snap.script = scriptTag(snap)
	s.current, s.buildErr, s.inputs = snap, "", inputs
	s.mu.Unlock()

	s.logf("rebuilt in %v (%d pages)\n", took, snap.pages)
	s.events.send(event{name: "reload", data: snap.id})
}

// fingerprint names, sizes and times every file of the site's templates/
// and static/: the inputs besides content that change what a page shows.
func fingerprint(src string) string {
	var b strings.Builder
	for _, dir := range []string{"templates", "static"} {
		root := filepath.Join(src, dir)
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil // a missing directory means the embedded defaults
			}
			if fi, err := d.Info(); err == nil && !d.IsDir() {
				fmt.Fprintf(&b, "%s %d %d\n", p, fi.Size(), fi.ModTime().UnixNano())
			}
			return nil
		})
	}
	return b.String()
}

// fail keeps the last good build and reports err on the terminal and to
// every open page.
func (s *Server) fail(err error) {
	msg := err.Error()
	var list content.ErrorList
	if errors.As(err, &list) {
		msg = fmt.Sprintf("%s\n%d problem(s) found", list, len(list))
	}
	s.mu.Lock()
	s.buildErr = msg
	s.mu.Unlock()
	s.logf("%s\n", msg)
	s.events.send(event{name: "error", data: msg})
}

// state returns the build being served and the current build error.
func (s *Server) state() (*snapshot, string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.current, s.buildErr
}

func (s *Server) basePath() string {
	if snap, _ := s.state(); snap != nil {
		return snap.base
	}
	return "/"
}

func (s *Server) logf(format string, args ...any) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.opts.Log, format, args...)
}

// scriptTmpl is the tag added to every served page; html/template escapes
// the base path and the build ID for their attributes.
var scriptTmpl = template.Must(template.New("script").Parse(
	`<script src="{{.Base}}_errwiki/reload.js" data-build="{{.ID}}"></script>`))

func scriptTag(snap *snapshot) []byte {
	var b bytes.Buffer
	data := struct{ Base, ID string }{"/", ""}
	if snap != nil {
		data.Base, data.ID = snap.base, snap.id
	}
	if err := scriptTmpl.Execute(&b, data); err != nil {
		panic(err) // the template and its data are fixed
	}
	return b.Bytes()
}
