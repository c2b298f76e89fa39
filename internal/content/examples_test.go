package content

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The HTTP examples are read by net/http itself, so that an example a reader
// copies is a message a real parser accepts, with the framing it claims.
//
// How an example is written, and so what these tests read:
//   - Each message is a head (start line and header fields, one per line),
//     then, after a blank line, the body exactly as sent. Lines end in LF in
//     the file; the head is given to net/http with CRLF, the body is counted
//     as shown, without the last line break that a YAML block adds.
//   - A line that starts with "(" opens a note, which runs to the line that
//     ends with ")". Notes say what an example cannot show (a stalled upload,
//     a TLS handshake) and are not part of the message. A body that is only a
//     note stands for content that is not shown, and its length is not
//     checked; a response that is only a note means nothing went on the wire.
//   - A response may be several messages: any number of 1xx interim
//     responses, each followed by a blank line, and then the final one.

// requireClean fails for each problem of a shipped article.
func requireClean(t *testing.T, a *Article, problems []string) {
	t.Helper()
	for _, p := range problems {
		t.Errorf("%s: %s", a.File, p)
	}
}

func TestShippedHTTPExamples(t *testing.T) {
	for _, a := range loadShipped(t).Collection("http").Articles {
		if a.Example == nil {
			continue
		}
		requireClean(t, a, checkHTTPExample(a))
	}
}

// requiredField is a header field RFC 9110 requires in a response with a
// given status code.
type requiredField struct {
	name string
	// or, when set, satisfies the requirement instead: RFC 9110 §15.3.7.2
	// lets a multipart 206 carry its ranges in the body.
	or  func(http.Header) bool
	why string
}

// requiredFields are the fields RFC 9110 requires for a status code. A
// SHOULD counts here too: an example shows what a server ought to send. 201
// is not listed: §15.3.2 lets the target URI identify the new resource when
// Location is absent. Neither are 300 (§15.4.1: only "if the server has a
// preferred choice") and 305 (§15.4.6: deprecated).
var requiredFields = map[int]requiredField{
	// §15.2.2: "The server MUST generate an Upgrade header field in the response".
	101: {name: "Upgrade", why: "RFC 9110 §15.2.2: the server MUST generate an Upgrade header field"},
	// §15.3.7.1: "If a single part is being transferred, the server generating
	// the 206 response MUST generate a Content-Range header field".
	206: {name: "Content-Range", or: multipartByteranges, why: "RFC 9110 §15.3.7: a single-part 206 MUST carry Content-Range, a multipart one multipart/byteranges"},
	// §15.4.2, §15.4.3, §15.4.8, §15.4.9: "The server SHOULD generate a
	// Location header field in the response"; §15.4.4: 303 redirects "as
	// indicated by a URI in the Location header field".
	301: {name: "Location", why: "RFC 9110 §15.4.2: the server SHOULD generate a Location header field"},
	302: {name: "Location", why: "RFC 9110 §15.4.3: the server SHOULD generate a Location header field"},
	303: {name: "Location", why: "RFC 9110 §15.4.4: 303 redirects to the URI in the Location header field"},
	307: {name: "Location", why: "RFC 9110 §15.4.8: the server SHOULD generate a Location header field"},
	308: {name: "Location", why: "RFC 9110 §15.4.9: the server SHOULD generate a Location header field"},
	// §15.5.2: "The server generating a 401 response MUST send a
	// WWW-Authenticate header field".
	401: {name: "WWW-Authenticate", why: "RFC 9110 §15.5.2: a 401 MUST send a WWW-Authenticate header field"},
	// §15.5.6 and §10.2.1: "An origin server MUST generate an Allow header
	// field in a 405 (Method Not Allowed) response".
	405: {name: "Allow", why: "RFC 9110 §15.5.6: the origin server MUST generate an Allow header field"},
	// §15.5.8: "The proxy MUST send a Proxy-Authenticate header field".
	407: {name: "Proxy-Authenticate", why: "RFC 9110 §15.5.8: the proxy MUST send a Proxy-Authenticate header field"},
	// §15.5.17: "A server that generates a 416 response to a byte-range
	// request SHOULD generate a Content-Range header field specifying the
	// current length of the selected representation".
	416: {name: "Content-Range", why: "RFC 9110 §15.5.17: a 416 to a byte-range request SHOULD carry Content-Range with the current length"},
	// §15.5.22: "The server MUST send an Upgrade header field in a 426 response".
	426: {name: "Upgrade", why: "RFC 9110 §15.5.22: the server MUST send an Upgrade header field in a 426"},
}

func multipartByteranges(h http.Header) bool {
	return strings.HasPrefix(strings.ToLower(h.Get("Content-Type")), "multipart/byteranges")
}

// wireStatus are codes that a server logs but replaces on the wire: nginx
// answers its 494–497 with 400 (src/http/ngx_http_special_response.c,
// ngx_http_special_response_handler: "r->err_status = NGX_HTTP_BAD_REQUEST").
var wireStatus = map[string]int{"494": 400, "495": 400, "496": 400, "497": 400}

// serverPhrases are the reason phrases a server writes whatever the
// standard says, keyed by the product token its Server header starts with.
var serverPhrases = map[string]func(code int) string{
	"nginx": nginxPhrase,
	// Cloudflare's Workers runtime reports the status text of a 525 as
	// "Origin SSL Handshake Error" (github.com/cloudflare/workerd/issues/776).
	"cloudflare": func(code int) string {
		if code == 525 {
			return "Origin SSL Handshake Error"
		}
		return ""
	},
}

// nginxPhrases is ngx_http_status_lines of nginx's
// src/http/ngx_http_header_filter_module.c (1.31).
var nginxPhrases = map[int]string{
	200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 206: "Partial Content",
	301: "Moved Permanently", 302: "Moved Temporarily", 303: "See Other", 304: "Not Modified",
	307: "Temporary Redirect", 308: "Permanent Redirect",
	400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden",
	404: "Not Found", 405: "Not Allowed", 406: "Not Acceptable", 407: "Proxy Authentication Required",
	408: "Request Time-out", 409: "Conflict", 410: "Gone", 411: "Length Required",
	412: "Precondition Failed", 413: "Request Entity Too Large", 414: "Request-URI Too Large",
	415: "Unsupported Media Type", 416: "Requested Range Not Satisfiable", 421: "Misdirected Request",
	429: "Too Many Requests",
	500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway",
	503: "Service Temporarily Unavailable", 504: "Gateway Time-out", 505: "HTTP Version Not Supported",
	507: "Insufficient Storage",
}

// nginxPhrase is what nginx writes after the code: its own phrase, or nothing
// for a code outside its table (ngx_http_header_filter: "%03ui ").
func nginxPhrase(code int) string { return nginxPhrases[code] }

// reasonPhrases returns the reason phrases a status line for code may carry
// in the article a: net/http's, the article's name for its own code, and
// "status code N", which net/http writes for a code it has no text for
// (net/http server.go, writeStatusLine). A server in serverPhrases writes
// its own phrase and nothing else.
func reasonPhrases(code int, a *Article, h http.Header) []string {
	product, _, _ := strings.Cut(strings.ToLower(h.Get("Server")), "/")
	if phrase := serverPhrases[product]; phrase != nil {
		if p := phrase(code); p != "" || product == "nginx" {
			return []string{p}
		}
	}
	var ok []string
	if text := http.StatusText(code); text != "" {
		ok = append(ok, text)
	} else {
		ok = append(ok, "status code "+strconv.Itoa(code))
	}
	if strconv.Itoa(code) == a.Code {
		ok = append(ok, a.Name)
	}
	return ok
}

// stripNotes removes the notes of text and returns what is left and the
// notes.
func stripNotes(text string) (kept, notes string) {
	var k, n []string
	inNote := false
	for _, line := range strings.SplitAfter(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if !inNote && strings.HasPrefix(trimmed, "(") {
			inNote = true
		}
		if inNote {
			n = append(n, line)
			inNote = !strings.HasSuffix(trimmed, ")")
			continue
		}
		k = append(k, line)
	}
	return strings.Join(k, ""), strings.Join(n, "")
}

// splitMessage cuts text into a head, given to net/http with CRLF line ends
// and its blank line, and what follows the blank line.
func splitMessage(text string) (head, rest string) {
	h, rest, _ := strings.Cut(text, "\n\n")
	h, _ = stripNotes(strings.TrimRight(h, "\n") + "\n")
	return strings.ReplaceAll(h, "\n", "\r\n") + "\r\n", rest
}

// shownBody is the body as shown: rest without the YAML block's last line
// break; elided is true when it is only a note.
func shownBody(rest string) (body string, elided bool) {
	body = strings.TrimSuffix(rest, "\n")
	kept, notes := stripNotes(rest)
	return body, notes != "" && strings.TrimSpace(kept) == ""
}

// checkBody reads the body of a message through net/http's framing and
// describes a mismatch with what is shown: n is what net/http read, left what
// it left unread. what names the message ("request", "response 404").
func checkBody(what string, declared int64, hasLength bool, n int64, readErr error, left int, body string) string {
	shown := len(body)
	switch {
	case readErr == nil && left == 0:
		return ""
	case hasLength && shown == 0:
		return fmt.Sprintf("%s: Content-Length: %d, but no body is shown; show the body or leave Content-Length out", what, declared)
	case hasLength:
		return fmt.Sprintf("%s: Content-Length: %d, but the body shown has %d bytes", what, declared, shown)
	case readErr != nil:
		return fmt.Sprintf("%s: body does not parse: %v", what, readErr)
	default:
		return fmt.Sprintf("%s: a body of %d bytes is shown, but the message has none by its framing (%d bytes read)", what, shown, n)
	}
}

// unsupportedTE tells net/http's refusal of a transfer coding it does not
// implement, which is what a 501 example shows (RFC 9112 §6.1: a server that
// receives a transfer coding it does not understand SHOULD respond with 501).
func unsupportedTE(err error) bool {
	return err != nil && strings.Contains(err.Error(), "unsupported transfer encoding")
}

// checkHTTPExample returns what is wrong with the example of the HTTP
// article a.
func checkHTTPExample(a *Article) []string {
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	ex := a.Example
	code, err := strconv.Atoi(a.Code)
	if err != nil {
		return []string{fmt.Sprintf("code %q is not a number", a.Code)}
	}

	req := &http.Request{Method: http.MethodGet}
	if strings.TrimSpace(ex.Request) != "" {
		head, rest := splitMessage(ex.Request)
		body, elided := shownBody(rest)
		br := bufio.NewReader(strings.NewReader(head + body))
		r, err := http.ReadRequest(br)
		switch {
		case unsupportedTE(err) && code == http.StatusNotImplemented:
		case err != nil:
			fail("request does not parse as HTTP/1.1: %v", err)
		default:
			req = r
			_, hasLength := r.Header["Content-Length"]
			// RFC 9110 §10.1.1: a client that sends Expect: 100-continue
			// waits for the interim response before sending the content.
			waits := strings.EqualFold(r.Header.Get("Expect"), "100-continue") && body == ""
			if !elided && !waits {
				n, readErr := io.Copy(io.Discard, r.Body)
				left, _ := io.Copy(io.Discard, br)
				if p := checkBody("request", r.ContentLength, hasLength, n, readErr, int(left), body); p != "" {
					fail("%s", p)
				}
			}
		}
	}

	kept, notes := stripNotes(ex.Response)
	if strings.TrimSpace(kept) == "" {
		// Nothing on the wire: only an unofficial code that a server logs
		// but never sends (nginx 444 and 499, AWS 460) can say so.
		switch {
		case a.Standard():
			fail("response: only a note; a standard code is sent in a status line")
		case !strings.Contains(notes, a.Code):
			fail("response: a response shown only as a note must name %s", a.Code)
		}
		return problems
	}

	want := code
	if w, ok := wireStatus[a.Code]; ok {
		want = w
	}
	found := false
	for text, i := ex.Response, 1; strings.TrimSpace(text) != ""; i++ {
		head, rest := splitMessage(text)
		body, elided := shownBody(rest)
		interim := false
		if r, err := http.ReadResponse(bufio.NewReader(strings.NewReader(head)), req); err == nil {
			interim = r.StatusCode/100 == 1 && r.StatusCode != http.StatusSwitchingProtocols
		}
		if interim {
			body, elided = "", false
		}
		br := bufio.NewReader(strings.NewReader(head + body))
		resp, err := http.ReadResponse(br, req)
		if err != nil {
			fail("response %d does not parse as HTTP/1.1: %v", i, err)
			break
		}
		what := "response " + strconv.Itoa(resp.StatusCode)
		if resp.Proto != "HTTP/1.1" {
			fail("%s: %s where HTTP/1.1 is expected", what, resp.Proto)
		}
		reason := strings.TrimPrefix(strings.TrimPrefix(resp.Status, strconv.Itoa(resp.StatusCode)), " ")
		if ok := reasonPhrases(resp.StatusCode, a, resp.Header); !slices.Contains(ok, reason) {
			fail("%s: reason phrase %q; want %s", what, reason, quoteOr(ok))
		}
		// RFC 9110 §8.6: "A server MUST NOT send a Content-Length header
		// field in any response with a status code of 1xx (Informational)
		// or 204 (No Content)."
		if _, ok := resp.Header["Content-Length"]; ok && (resp.StatusCode/100 == 1 || resp.StatusCode == http.StatusNoContent) {
			fail("%s: Content-Length in a 1xx or 204 response (RFC 9110 §8.6: MUST NOT)", what)
		}
		if resp.StatusCode == want {
			found = true
			if f, ok := requiredFields[want]; ok && resp.Header.Get(f.name) == "" && (f.or == nil || !f.or(resp.Header)) {
				fail("%s: no %s header field (%s)", what, f.name, f.why)
			}
		}
		if resp.StatusCode == http.StatusSwitchingProtocols {
			break // what follows is the new protocol
		}
		if interim {
			text = rest
			continue
		}
		if !elided {
			n, readErr := io.Copy(io.Discard, resp.Body)
			left, _ := io.Copy(io.Discard, br)
			// RFC 9110 §6.4.1: "All 1xx (Informational), 204 (No
			// Content), and 304 (Not Modified) responses do not include
			// content", nor do responses to HEAD (§9.3.2).
			switch {
			case left > 0 && (resp.StatusCode == http.StatusNoContent || resp.StatusCode == http.StatusNotModified):
				fail("%s: a body of %d bytes is shown; %d responses have no content (RFC 9110 §6.4.1)", what, left, resp.StatusCode)
			case left > 0 && req.Method == http.MethodHead:
				fail("%s: a body of %d bytes is shown in answer to HEAD (RFC 9110 §9.3.2)", what, left)
			default:
				_, hasLength := resp.Header["Content-Length"]
				if p := checkBody(what, resp.ContentLength, hasLength, n, readErr, int(left), body); p != "" {
					fail("%s", p)
				}
			}
			if resp.StatusCode == http.StatusMultiStatus {
				found = checkMultiStatus(body, want, a, fail) || found
			}
		}
		break
	}
	if !found {
		fail("no status line with %d in the response", want)
	}
	return problems
}

var davStatusRE = regexp.MustCompile(`<(?:[A-Za-z]+:)?status>([^<]*)</`)

// checkMultiStatus reads the status lines of a WebDAV multistatus body
// (RFC 4918 §14.28: a status element holds an HTTP status line) and reports
// whether one has the code want. 208 is only ever sent there (RFC 5842 §7.1).
func checkMultiStatus(body string, want int, a *Article, fail func(string, ...any)) bool {
	found := false
	for _, m := range davStatusRE.FindAllStringSubmatch(body, -1) {
		line := strings.TrimSpace(m[1])
		r, err := http.ReadResponse(bufio.NewReader(strings.NewReader(line+"\r\n\r\n")), nil)
		if err != nil {
			fail("multistatus: %q is not a status line: %v", line, err)
			continue
		}
		reason := strings.TrimPrefix(strings.TrimPrefix(r.Status, strconv.Itoa(r.StatusCode)), " ")
		if ok := reasonPhrases(r.StatusCode, a, nil); !slices.Contains(ok, reason) {
			fail("multistatus: %q: reason phrase %q; want %s", line, reason, quoteOr(ok))
		}
		found = found || r.StatusCode == want
	}
	return found
}

func quoteOr(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, " or ")
}

func TestCheckHTTPExample(t *testing.T) {
	article := func(code, name string, req, resp string) *Article {
		return &Article{Code: code, Name: name, Detail: &Detail{Example: &Example{Request: req, Response: resp}}}
	}
	get := "GET /a HTTP/1.1\nHost: example.com\n"
	tests := []struct {
		name string
		a    *Article
		want string // a problem that must be reported, or "" for none
	}{
		{"valid", article("404", "Not Found", get, "HTTP/1.1 404 Not Found\nContent-Length: 2\n\nno\n"), ""},
		{"no body, no length", article("404", "Not Found", get, "HTTP/1.1 404 Not Found\nContent-Type: text/html\n"), ""},
		{"length without body", article("404", "Not Found", get, "HTTP/1.1 404 Not Found\nContent-Length: 153\n"),
			"response 404: Content-Length: 153, but no body is shown; show the body or leave Content-Length out"},
		{"length too short", article("404", "Not Found", get, "HTTP/1.1 404 Not Found\nContent-Length: 2\n\nnope\n"),
			"response 404: Content-Length: 2, but the body shown has 4 bytes"},
		{"length too long", article("404", "Not Found", get, "HTTP/1.1 404 Not Found\nContent-Length: 9\n\nnope\n"),
			"response 404: Content-Length: 9, but the body shown has 4 bytes"},
		{"multi-line body counted with LF", article("400", "Bad Request", get, "HTTP/1.1 400 Bad Request\nContent-Length: 5\n\nab\ncd\n"), ""},
		{"elided body", article("404", "Not Found", get, "HTTP/1.1 404 Not Found\nContent-Length: 153\n\n(nginx's error page)\n"), ""},
		{"wrong code", article("404", "Not Found", get, "HTTP/1.1 410 Gone\n"), "no status line with 404 in the response"},
		{"wrong phrase", article("404", "Not Found", get, "HTTP/1.1 404 Missing\n"), `response 404: reason phrase "Missing"; want "Not Found"`},
		{"article name as phrase", article("413", "Content Too Large", get, "HTTP/1.1 413 Content Too Large\n"), ""},
		{"net/http phrase", article("413", "Content Too Large", get, "HTTP/1.1 413 Request Entity Too Large\n"), ""},
		{"nginx phrase required", article("503", "Service Unavailable", get, "HTTP/1.1 503 Service Unavailable\nServer: nginx\n"),
			`response 503: reason phrase "Service Unavailable"; want "Service Temporarily Unavailable"`},
		{"nginx phrase", article("504", "Gateway Timeout", get, "HTTP/1.1 504 Gateway Time-out\nServer: nginx/1.27.0\n"), ""},
		{"unofficial code named", article("599", "Network Connect Timeout Error", get, "HTTP/1.1 599 Network Connect Timeout Error\n"), ""},
		{"unofficial code without phrase", article("463", "Too Many Forwarded IP Addresses", get, "HTTP/1.1 463\n"),
			`response 463: reason phrase ""; want "status code 463" or "Too Many Forwarded IP Addresses"`},
		{"not a message", article("404", "Not Found", get, "404 Not Found\n"), "response 1 does not parse as HTTP/1.1"},
		{"bad request line", article("414", "URI Too Long", "GET /a?ids=1,2,...(12,000 more) HTTP/1.1\nHost: a\n", "HTTP/1.1 414 URI Too Long\n"),
			"request does not parse as HTTP/1.1"},
		{"note in request head", article("495", "SSL Certificate Error", get+"(sent over TLS without a certificate)\n", "HTTP/1.1 400 Bad Request\nServer: nginx\n"), ""},
		{"wire code", article("495", "SSL Certificate Error", get, "HTTP/1.1 495 SSL Certificate Error\n"), "no status line with 400 in the response"},
		{"request length without body", article("400", "Bad Request", "POST /a HTTP/1.1\nHost: a\nContent-Length: 41\n", "HTTP/1.1 400 Bad Request\n"),
			"request: Content-Length: 41, but no body is shown; show the body or leave Content-Length out"},
		{"request body without length", article("400", "Bad Request", "POST /a HTTP/1.1\nHost: a\n\n{}\n", "HTTP/1.1 400 Bad Request\n"),
			"request: a body of 2 bytes is shown, but the message has none by its framing (0 bytes read)"},
		{"request waits for 100", article("417", "Expectation Failed", "PUT /a HTTP/1.1\nHost: a\nContent-Length: 9\nExpect: 100-continue\n", "HTTP/1.1 417 Expectation Failed\n"), ""},
		{"request body elided", article("507", "Insufficient Storage", "PUT /a HTTP/1.1\nHost: a\nContent-Length: 700\n\n(700 bytes of video)\n", "HTTP/1.1 507 Insufficient Storage\n"), ""},
		{"body on 204", article("204", "No Content", get, "HTTP/1.1 204 No Content\n\nhi\n"),
			"response 204: a body of 2 bytes is shown; 204 responses have no content (RFC 9110 §6.4.1)"},
		{"body on 304", article("304", "Not Modified", get, "HTTP/1.1 304 Not Modified\n\nhi\n"),
			"response 304: a body of 2 bytes is shown; 304 responses have no content (RFC 9110 §6.4.1)"},
		{"length on 204", article("204", "No Content", get, "HTTP/1.1 204 No Content\nContent-Length: 0\n"),
			"response 204: Content-Length in a 1xx or 204 response (RFC 9110 §8.6: MUST NOT)"},
		{"body on HEAD", article("200", "OK", "HEAD /a HTTP/1.1\nHost: a\n", "HTTP/1.1 200 OK\nContent-Length: 2\n\nhi\n"),
			"response 200: a body of 2 bytes is shown in answer to HEAD (RFC 9110 §9.3.2)"},
		{"length on HEAD", article("200", "OK", "HEAD /a HTTP/1.1\nHost: a\n", "HTTP/1.1 200 OK\nContent-Length: 2\n"), ""},
		{"interim then final", article("100", "Continue", "PUT /a HTTP/1.1\nHost: a\nContent-Length: 9\nExpect: 100-continue\n",
			"HTTP/1.1 100 Continue\n\nHTTP/1.1 201 Created\nContent-Length: 0\n"), ""},
		{"interim with body", article("103", "Early Hints", get, "HTTP/1.1 103 Early Hints\nLink: </a.css>; rel=preload\n\nHTTP/1.1 200 OK\nContent-Length: 9\n"),
			"response 200: Content-Length: 9, but no body is shown"},
		{"401 without challenge", article("401", "Unauthorized", get, "HTTP/1.1 401 Unauthorized\n"),
			"response 401: no WWW-Authenticate header field (RFC 9110 §15.5.2: a 401 MUST send a WWW-Authenticate header field)"},
		{"401 with challenge", article("401", "Unauthorized", get, "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer\n"), ""},
		{"405 without Allow", article("405", "Method Not Allowed", get, "HTTP/1.1 405 Method Not Allowed\n"), "response 405: no Allow header field"},
		{"407 without challenge", article("407", "Proxy Authentication Required", get, "HTTP/1.1 407 Proxy Authentication Required\n"), "response 407: no Proxy-Authenticate header field"},
		{"416 without range", article("416", "Range Not Satisfiable", get, "HTTP/1.1 416 Range Not Satisfiable\n"), "response 416: no Content-Range header field"},
		{"206 without range", article("206", "Partial Content", get, "HTTP/1.1 206 Partial Content\n"), "response 206: no Content-Range header field"},
		{"206 multipart", article("206", "Partial Content", get, "HTTP/1.1 206 Partial Content\nContent-Type: multipart/byteranges; boundary=x\n"), ""},
		{"101 without Upgrade", article("101", "Switching Protocols", get, "HTTP/1.1 101 Switching Protocols\nConnection: Upgrade\n"), "response 101: no Upgrade header field"},
		{"426 without Upgrade", article("426", "Upgrade Required", get, "HTTP/1.1 426 Upgrade Required\n"), "response 426: no Upgrade header field"},
		{"301 without Location", article("301", "Moved Permanently", get, "HTTP/1.1 301 Moved Permanently\n"), "response 301: no Location header field"},
		{"303 without Location", article("303", "See Other", get, "HTTP/1.1 303 See Other\n"), "response 303: no Location header field"},
		{"201 without Location", article("201", "Created", get, "HTTP/1.1 201 Created\n"), ""},
		{"HTTP/1.0", article("404", "Not Found", get, "HTTP/1.0 404 Not Found\n"), "response 404: HTTP/1.0 where HTTP/1.1 is expected"},
		{"no response", article("444", "No Response", get, "(nothing: nginx closes the connection and logs 444)\n"), ""},
		{"no response, code unnamed", article("444", "No Response", get, "(nothing: nginx closes the connection)\n"),
			"response: a response shown only as a note must name 444"},
		{"multistatus", article("208", "Already Reported", get,
			"HTTP/1.1 207 Multi-Status\n\n<d:multistatus><d:status>HTTP/1.1 208 Already Reported</d:status></d:multistatus>\n"), ""},
		{"multistatus phrase", article("424", "Failed Dependency", get,
			"HTTP/1.1 207 Multi-Status\n\n<D:status>HTTP/1.1 424 Dependency Failed</D:status>\n"),
			`multistatus: "HTTP/1.1 424 Dependency Failed": reason phrase "Dependency Failed"; want "Failed Dependency"`},
		{"unsupported transfer coding for 501", article("501", "Not Implemented", "POST /a HTTP/1.1\nHost: a\nTransfer-Encoding: gzip, chunked\n", "HTTP/1.1 501 Not Implemented\n"), ""},
		{"unsupported transfer coding elsewhere", article("400", "Bad Request", "POST /a HTTP/1.1\nHost: a\nTransfer-Encoding: gzip, chunked\n", "HTTP/1.1 400 Bad Request\n"),
			"request does not parse as HTTP/1.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.a.Code == "444" {
				tt.a.Source = "nginx"
			}
			got := checkHTTPExample(tt.a)
			if tt.want == "" {
				if len(got) > 0 {
					t.Errorf("want no problem, got %q", got)
				}
				return
			}
			if !slices.ContainsFunc(got, func(p string) bool { return strings.HasPrefix(p, tt.want) }) {
				t.Errorf("want a problem starting %q, got %q", tt.want, got)
			}
		})
	}
}
