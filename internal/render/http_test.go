package render

import (
	"os"
	"strings"
	"testing"

	"github.com/errwiki/errwiki/internal/content"
)

var httpCases = []struct {
	name, msg string
	fast      bool
}{
	{"request", "GET /api/orders HTTP/1.1\nHost: shop.example.com\nAccept: application/json\n", true},
	{"status and JSON body", "HTTP/1.1 502 Bad Gateway\nContent-Type: application/problem+json\nX-Error-Code: 5\n\n{\"code\": \"5\", \"title\": \"x\"}\n", true},
	{"HTML body", "HTTP/1.1 404 Not Found\nContent-Type: text/html; charset=utf-8\n\n<p>gone</p>\n", true},
	{"body without a type", "HTTP/1.1 200 OK\n\nhello\n", true},
	{"no final newline", "HTTP/2 204", true},
	{"status without reason", "HTTP/1.1 499\nServer: nginx\n", true},
	{"spaces", "GET  /x   HTTP/1.0\nHost:   a\nX-Folded: one\n  two\n", true},
	{"HTTP/2 frames", "HEADERS (flags = END_HEADERS)\n:method = POST\n", false},
	{"unknown method", "BREW /pot-1 HTTP/1.1\nHost: x\n", false},
	{"carriage returns", "GET / HTTP/1.1\r\nHost: x\r\n", false},
	{"empty header value", "HTTP/1.1 200 OK\nX-Empty:\n", false},
}

// TestHTTPTokens checks that the HTTP messages highlighted without
// chroma's lexer come out exactly as with it, and that the others are left
// to it.
func TestHTTPTokens(t *testing.T) {
	for _, tc := range httpCases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := fastHTML(t, "http", tc.msg)
			if ok != tc.fast {
				t.Fatalf("read by httpTokens: %v, want %v", ok, tc.fast)
			}
			if want := chromaHTML(t, "http", tc.msg); ok && got != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
		})
	}
}

// TestHTTPTokensShipped checks every example of the shipped wiki.
func TestHTTPTokensShipped(t *testing.T) {
	site, err := content.Load(os.DirFS("../.."), content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fast := 0
	for _, a := range site.Articles() {
		if a.Example == nil {
			continue
		}
		for _, msg := range []string{a.Example.Request, a.Example.Response} {
			if exchangeLang(msg) != "http" {
				continue
			}
			if got, ok := fastHTML(t, "http", msg); ok {
				fast++
				if want := chromaHTML(t, "http", msg); got != want {
					t.Errorf("%s: got  %s\nwant %s", a.File, got, want)
				}
			}
		}
	}
	if fast < 150 {
		t.Errorf("only %d shipped messages read by httpTokens", fast)
	}
}

// FuzzHTTPTokens checks that whatever httpTokens reads, it reads as
// chroma's lexer does.
func FuzzHTTPTokens(f *testing.F) {
	for _, tc := range httpCases {
		f.Add(tc.msg)
	}
	f.Fuzz(func(t *testing.T, msg string) {
		if !strings.HasSuffix(msg, "\n") {
			msg += "\n"
		}
		if got, ok := fastHTML(t, "http", msg); ok {
			if want := chromaHTML(t, "http", msg); got != want {
				t.Errorf("%q:\ngot  %s\nwant %s", msg, got, want)
			}
		}
	})
}
