package render

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// httpTokens splits an HTTP message into the tokens of chroma's HTTP lexer
// without its regular expressions, which cost ten times as much on the
// short messages of the examples: every page has two. The body goes to
// the lexer of its Content-Type, as chroma's does. It reports false for a
// message it does not read exactly as chroma would (a line that is not a
// request, status or header line, a carriage return, bytes that are not
// UTF-8), which then goes to chroma's lexer.
func httpTokens(msg string) ([]chroma.Token, bool) {
	if strings.ContainsRune(msg, '\r') || !utf8.ValidString(msg) {
		return nil, false
	}
	var toks tokenList
	add := toks.add
	line, rest, nl := cutLine(msg)
	if !startLine(line, add) {
		return nil, false
	}
	add(chroma.Text, nl)
	contentType := ""
	for rest != "" {
		line, rest, nl = cutLine(rest)
		if line == "" { // the blank line before the body
			add(chroma.Text, nl)
			if rest != "" {
				if !body(rest, contentType, add) {
					return nil, false
				}
			}
			return toks, true
		}
		if line[0] == ' ' || line[0] == '\t' { // a continued header value
			value := strings.TrimLeft(line, " \t")
			if value == "" {
				return nil, false
			}
			add(chroma.Text, line[:len(line)-len(value)])
			add(chroma.Literal, value)
			add(chroma.Text, nl)
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		trimmed := strings.TrimRight(name, " ")
		if !ok || !token(trimmed) {
			return nil, false
		}
		v := strings.TrimLeft(value, " ")
		if v == "" {
			return nil, false
		}
		add(chroma.Name, trimmed)
		add(chroma.Text, name[len(trimmed):])
		add(chroma.Operator, ":")
		add(chroma.Text, value[:len(value)-len(v)])
		add(chroma.Literal, v)
		add(chroma.Text, nl)
		if strings.EqualFold(trimmed, "content-type") {
			contentType = strings.TrimSpace(v)
			if i := strings.Index(contentType, ";"); i > 0 {
				contentType = strings.TrimSpace(contentType[:i])
			}
		}
	}
	return toks, true
}

// cutLine cuts s at its first newline.
func cutLine(s string) (line, rest, nl string) {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i], s[i+1:], "\n"
	}
	return s, "", ""
}

var httpMethods = map[string]bool{"GET": true, "POST": true, "PUT": true, "DELETE": true, "HEAD": true, "OPTIONS": true, "TRACE": true, "PATCH": true, "CONNECT": true}

// startLine adds the tokens of a request line or a status line.
func startLine(line string, add func(chroma.TokenType, string)) bool {
	if rest, ok := strings.CutPrefix(line, "HTTP/"); ok {
		version, n := httpVersion(rest)
		if n == 0 {
			return false
		}
		rest = rest[n:]
		spaces := len(rest) - len(strings.TrimLeft(rest, " "))
		code := rest[spaces:]
		if spaces == 0 || len(code) < 3 || !isDigits(code[:3]) {
			return false
		}
		reason := strings.TrimLeft(code[3:], " ")
		add(chroma.KeywordReserved, "HTTP")
		add(chroma.Operator, "/")
		add(chroma.LiteralNumber, version)
		add(chroma.Text, rest[:spaces])
		add(chroma.LiteralNumber, code[:3])
		add(chroma.Text, code[3:len(code)-len(reason)])
		add(chroma.NameException, reason)
		return true
	}
	method, rest, ok := strings.Cut(line, " ")
	if !ok || !httpMethods[method] {
		return false
	}
	path := strings.TrimLeft(rest, " ")
	gap1 := rest[:len(rest)-len(path)] + " "
	path, rest, ok = strings.Cut(path, " ")
	if !ok || path == "" {
		return false
	}
	v := strings.TrimLeft(rest, " ")
	gap2 := rest[:len(rest)-len(v)] + " "
	v, ok = strings.CutPrefix(v, "HTTP/")
	version, n := httpVersion(v)
	if !ok || n == 0 || n != len(v) {
		return false
	}
	add(chroma.NameFunction, method)
	add(chroma.Text, gap1)
	add(chroma.NameNamespace, path)
	add(chroma.Text, gap2)
	add(chroma.KeywordReserved, "HTTP")
	add(chroma.Operator, "/")
	add(chroma.LiteralNumber, version)
	return true
}

// httpVersion reads [123](\.[01])? at the start of s.
func httpVersion(s string) (string, int) {
	if s == "" || s[0] < '1' || s[0] > '3' {
		return "", 0
	}
	if len(s) >= 3 && s[1] == '.' && (s[2] == '0' || s[2] == '1') {
		return s[:3], 3
	}
	return s[:1], 1
}

// token reports whether s is a header name as both readers see it: ASCII
// letters, digits and punctuation (chroma's lexer takes any run of
// characters other than a colon and Unicode white space).
func token(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return s != ""
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// mimeLexers holds chroma's lexer of each content type asked for, or nil:
// finding one goes through every lexer chroma has.
var mimeLexers sync.Map // string → chroma.Lexer

// mimeLexer returns chroma's lexer for a content type, found as chroma's
// HTTP lexer finds it (a "+json" suffix by "json"), or nil.
func mimeLexer(contentType string) chroma.Lexer {
	if l, ok := mimeLexers.Load(contentType); ok {
		lx, _ := l.(chroma.Lexer)
		return lx
	}
	lx := chroma.Lexer(nil)
	if l := lexers.MatchMimeType(contentType); l != nil {
		lx = l
	} else if strings.Contains(contentType, "+") {
		slash, plus := strings.Index(contentType, "/"), strings.LastIndex(contentType, "+")
		if slash >= 0 && plus > slash {
			lx = lexers.MatchMimeType(contentType[:slash+1] + contentType[plus+1:])
		}
	}
	mimeLexers.Store(contentType, lx)
	return lx
}

// body adds the tokens of a message body, by the lexer of its content
// type as chroma's HTTP lexer finds it, or as one token.
func body(b, contentType string, add func(chroma.TokenType, string)) bool {
	if contentType == "" {
		add(chroma.Generic, b)
		return true
	}
	lx := mimeLexer(contentType)
	if lx == nil {
		add(chroma.Text, b)
		return true
	}
	if lx.Config().Name == "JSON" {
		var toks tokenList
		if jsonTokens(b, toks.add) {
			for _, t := range toks {
				add(t.Type, t.Value)
			}
			return true
		}
	}
	it, err := lx.Tokenise(nil, b)
	if err != nil {
		return false
	}
	for t := it(); t != chroma.EOF; t = it() {
		add(t.Type, t.Value)
	}
	return true
}
