package render

import (
	"bytes"
	"html"
	"strings"
	"sync"
	"time"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/dlclark/regexp2/v2"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// writeTokens writes highlighted code as chroma's HTML formatter does with
// classes, not inline styles (static/style.css holds a light and a dark
// palette), and with no <pre>, line spans or line numbers of its own: each
// token escaped, in a span of its type's class when it has one, and split
// after each newline, a line that would hold one empty token left out.
// Chroma's formatter spent most of its time in fmt and in splitting the
// tokens into lines; the tests compare the two on every block.
func writeTokens(w util.BufWriter, tokens []chroma.Token) {
	start := true // at the start of a line
	for i, t := range tokens {
		v := t.Value
		if v == "" && start && i == len(tokens)-1 {
			break
		}
		for {
			n := strings.IndexByte(v, '\n') + 1
			if n == 0 {
				writeToken(w, t.Type, v)
				start = false
				break
			}
			writeToken(w, t.Type, v[:n])
			start, v = true, v[n:]
			if v == "" {
				break
			}
		}
	}
}

func writeToken(w util.BufWriter, tt chroma.TokenType, v string) {
	cls := tokenClass(tt)
	if cls != "" {
		w.WriteString(`<span class="`)
		w.WriteString(cls)
		w.WriteString(`">`)
	}
	w.WriteString(html.EscapeString(v))
	if cls != "" {
		w.WriteString("</span>")
	}
}

// tokenClass is the class of a token type: chroma's short name of the type,
// or of the nearest of its parents that has one.
func tokenClass(t chroma.TokenType) string {
	for t != 0 {
		if cls, ok := chroma.StandardTypes[t]; ok {
			return cls
		}
		t = t.Parent()
	}
	return chroma.StandardTypes[0]
}

// Chroma gives each rule of its lexers 250 ms of wall-clock time to match
// and, past it, takes the rule for one that does not match: on a loaded
// machine the same code then comes out highlighted differently (with
// error tokens), and a build is no longer a function of its input. The
// deadline is the time asked for plus the period of regexp2's clock,
// which errwiki sets so long that none is reached. Content is the site's
// own; a template or page that runs away is bounded by serve's render
// deadline.
func init() { regexp2.SetTimeoutCheckPeriod(1000 * time.Hour) }

// codeLexers holds the lexer of each language asked for, coalesced, or nil
// for a language chroma does not know or plain text.
var codeLexers sync.Map // string → chroma.Lexer

func lexer(lang string) chroma.Lexer {
	if l, ok := codeLexers.Load(lang); ok {
		lx, _ := l.(chroma.Lexer)
		return lx
	}
	var lx chroma.Lexer
	if l := lexers.Get(lang); l != nil && l != lexers.Fallback && l.Config().Name != "plaintext" {
		lx = chroma.Coalesce(l)
	}
	codeLexers.Store(lang, lx)
	return lx
}

// codeHTML renders fenced code blocks: highlighted when chroma knows the
// language, as goldmark would otherwise, in a <pre> that has the
// language's class and can take the focus, so that a keyboard can scroll
// it.
type codeHTML struct{}

func (codeHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, renderCode)
}

func renderCode(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.FencedCodeBlock)
	lang := langClass(n.Language(src))
	var code bytes.Buffer
	for i := 0; i < n.Lines().Len(); i++ {
		line := n.Lines().At(i)
		code.Write(line.Value(src))
	}
	lx := lexer(lang)
	switch {
	case lx != nil:
		w.WriteString(`<pre tabindex="0" class="chroma language-` + lang + `"><code>`)
	case lang != "":
		w.WriteString(`<pre tabindex="0"><code class="language-` + lang + `">`)
	default:
		w.WriteString(`<pre tabindex="0"><code>`)
	}
	if lx != nil {
		if toks, ok := fastTokens(lx, code.String()); ok {
			writeTokens(w, toks)
			w.WriteString("</code></pre>\n")
			return ast.WalkSkipChildren, nil
		}
	}
	if lx != nil {
		if it, err := lx.Tokenise(nil, code.String()); err == nil {
			writeTokens(w, it.Tokens())
			w.WriteString("</code></pre>\n")
			return ast.WalkSkipChildren, nil
		}
	}
	w.WriteString(html.EscapeString(code.String()))
	w.WriteString("</code></pre>\n")
	return ast.WalkSkipChildren, nil
}

// fastTokens returns the tokens lx gives code, coalesced, when one of the
// readers that match its lexer's tokens exactly can read code; they are
// compared with chroma's lexers by the tests and fuzz targets. Code of
// 8 KiB or more is left to chroma, whose coalescing stops joining tokens
// there.
func fastTokens(lx chroma.Lexer, code string) ([]chroma.Token, bool) {
	if len(code) >= 8192 {
		return nil, false
	}
	switch lx.Config().Name {
	case "HTTP":
		return httpTokens(code)
	case "Bash Session":
		return consoleTokens(code)
	case "JSON":
		var toks tokenList
		return toks, jsonTokens(code, toks.add)
	}
	return nil, false
}

// tokenList collects tokens as chroma.Coalesce passes them on: empty ones
// dropped and neighbours of one type joined. (Coalesce stops joining at
// 8 KiB, so callers leave longer code to chroma.)
type tokenList []chroma.Token

func (l *tokenList) add(t chroma.TokenType, v string) {
	if v == "" {
		return
	}
	if n := len(*l); n > 0 && (*l)[n-1].Type == t {
		(*l)[n-1].Value += v
		return
	}
	*l = append(*l, chroma.Token{Type: t, Value: v})
}

// digits counts the ASCII digits at the start of s.
func digits(s string) int {
	n := 0
	for n < len(s) && '0' <= s[n] && s[n] <= '9' {
		n++
	}
	return n
}

// isWordByte reports whether c is a byte that \w matches, taking every
// byte of a multi-byte character for one.
func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c >= 0x80
}
