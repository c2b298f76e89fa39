package serve

import (
	"bytes"
	_ "embed"
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
)

// internalDir holds the server's own files, under the base path. No site
// file can be there: collection and article paths start with a letter or a
// digit.
const internalDir = "_errwiki/"

// reloadJS is served as internalDir + "reload.js".
//
//go:embed reload.js
var reloadJS []byte

// noBuildPage stands in for every page until the site first builds; its
// script shows why it does not and reloads once it does.
const noBuildPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>errwiki serve: the site does not build yet</title>
</head>
<body>
<main>
<h1>The site does not build yet</h1>
<p>The errors are on the terminal and below. This page reloads as soon as the site builds.</p>
</main>
</body>
</html>
`

// ServeHTTP serves the latest good build, its pages with the reload script
// added, and the server's own files under <base>_errwiki/.
//
// Every file comes from the build in memory, looked up by its exact name, so
// no request can read the disk whatever its path; malformed and traversing
// paths are refused all the same, so that they are seen for what they are.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p, ok := cleanPath(r.URL)
	if !ok {
		http.Error(w, "bad request: malformed path", http.StatusBadRequest)
		return
	}
	snap, _ := s.state()
	base := "/"
	if snap != nil {
		base = snap.base
	}
	switch {
	case p != base && (p == "/" || p+"/" == base):
		redirect(w, r, base)
		return
	case !strings.HasPrefix(p, base):
		s.notFound(w, r, snap)
		return
	}
	rel := p[len(base):]
	if name, ok := strings.CutPrefix(rel, internalDir); ok {
		s.serveInternal(w, r, name)
		return
	}
	if snap == nil {
		serveBytes(w, r, http.StatusServiceUnavailable, "text/html; charset=utf-8", inject([]byte(noBuildPage), scriptTag(nil)))
		return
	}
	name := rel
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	data, ok, err := s.renders.file(r.Context(), snap.files, name)
	if err != nil {
		s.renderFailed(w, r, err, snap)
		return
	}
	if !ok {
		if _, dir, _ := s.renders.file(r.Context(), snap.files, name+"/index.html"); dir {
			// As GitHub Pages does.
			redirect(w, r, base+rel+"/")
			return
		}
		s.notFound(w, r, snap)
		return
	}
	s.serveFile(w, r, http.StatusOK, name, data, snap)
}

// cleanPath returns the cleaned path of u, with its trailing slash kept, or
// false when the path is malformed: not absolute, with a "." or ".."
// segment, a backslash or NUL, or an encoded slash, backslash, dot or NUL
// that could hide one of those.
func cleanPath(u *url.URL) (string, bool) {
	raw := strings.ToLower(u.EscapedPath())
	for _, enc := range []string{"%2f", "%5c", "%2e", "%00"} {
		if strings.Contains(raw, enc) {
			return "", false
		}
	}
	p := u.Path
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return "", false
	}
	for seg := range strings.SplitSeq(p, "/") {
		if seg == "." || seg == ".." {
			return "", false
		}
	}
	clean := path.Clean(p) // what is left to clean: repeated slashes
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	return clean, true
}

// redirect sends the client to the site path p, for now: the preview
// changes, so no redirect is permanent.
func redirect(w http.ResponseWriter, r *http.Request, p string) {
	target := (&url.URL{Path: p}).EscapedPath()
	// Never "//host/...": that would send the browser to another host.
	target = "/" + strings.TrimLeft(target, "/")
	http.Redirect(w, r, target, http.StatusFound)
}

func (s *Server) serveInternal(w http.ResponseWriter, r *http.Request, name string) {
	switch name {
	case "reload.js":
		serveBytes(w, r, http.StatusOK, "text/javascript; charset=utf-8", reloadJS)
	case "status":
		s.serveStatus(w, r)
	case "events":
		if r.Method == http.MethodHead {
			w.Header().Set("Content-Type", "text/event-stream")
			return
		}
		s.serveEvents(w, r)
	default:
		http.NotFound(w, r)
	}
}

// notFound serves the site's 404.html with status 404.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request, snap *snapshot) {
	if snap != nil {
		if data, ok, err := s.renders.file(r.Context(), snap.files, "404.html"); ok && err == nil {
			s.serveFile(w, r, http.StatusNotFound, "404.html", data, snap)
			return
		}
	}
	http.NotFound(w, r)
}

// renderFailedTmpl is the page served for a page that failed to render. It
// carries the reload script, so that the next build reloads it.
var renderFailedTmpl = template.Must(template.New("failed").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>errwiki serve: this page does not render</title>
</head>
<body>
<main>
<h1>This page does not render</h1>
<pre>{{.}}</pre>
<p>This page reloads with the next build.</p>
</main>
</body>
</html>
`))

// renderFailed reports a page that failed to render, on the terminal and to
// the reader. A request that went away meanwhile needs no answer.
func (s *Server) renderFailed(w http.ResponseWriter, r *http.Request, err error, snap *snapshot) {
	if r.Context().Err() != nil {
		return
	}
	s.logf("%v\n", err)
	var b bytes.Buffer
	if tErr := renderFailedTmpl.Execute(&b, err.Error()); tErr != nil {
		panic(tErr) // the template and its data are fixed
	}
	serveBytes(w, r, http.StatusInternalServerError, "text/html; charset=utf-8", inject(b.Bytes(), snap.script))
}

// serveFile serves a file of the build, HTML pages with the reload script.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, code int, name string, data []byte, snap *snapshot) {
	ctype := contentType(name, data)
	if strings.HasPrefix(ctype, "text/html") {
		data = inject(data, snap.script)
	}
	serveBytes(w, r, code, ctype, data)
}

// inject returns page with tag added before its </body>, or at its end when
// it has none.
func inject(page, tag []byte) []byte {
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		i = bytes.LastIndex(bytes.ToLower(page), []byte("</body>"))
	}
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+len(tag))
	out = append(out, page[:i]...)
	out = append(out, tag...)
	return append(out, page[i:]...)
}

// types are the media types of the files a build writes, the same on every
// machine; mime.TypeByExtension depends on the system's tables.
var types = map[string]string{
	".html":  "text/html; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".json":  "application/json",
	".xml":   "application/xml",
	".svg":   "image/svg+xml",
	".txt":   "text/plain; charset=utf-8",
	".ico":   "image/x-icon",
	".png":   "image/png",
	".webp":  "image/webp",
	".woff2": "font/woff2",
}

func contentType(name string, data []byte) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := types[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return http.DetectContentType(data)
}

// serveBytes answers with data, never cached: the preview changes on every save.
func serveBytes(w http.ResponseWriter, r *http.Request, code int, ctype string, data []byte) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
}
