package render

import (
	"bytes"
	"html"
	"sync"
	"time"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/dlclark/regexp2/v2"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// codeFormatter writes highlighted code as spans with chroma's classes, not
// inline styles: static/style.css holds a light and a dark palette. One
// formatter serves every block, so that chroma works out the classes of
// its style once (a formatter per block, as goldmark-highlighting makes,
// spent a quarter of a page's rendering on that). It writes no <pre> or
// line spans of its own.
var codeFormatter = chromahtml.New(chromahtml.WithClasses(true), chromahtml.PreventSurroundingPre(true))

// codeStyle decides which token types get a class: those it colours.
var codeStyle = styles.Get("github")

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
			if err := codeFormatter.Format(w, codeStyle, chroma.Literator(toks...)); err != nil {
				return ast.WalkStop, err
			}
			w.WriteString("</code></pre>\n")
			return ast.WalkSkipChildren, nil
		}
	}
	if lx != nil {
		if it, err := lx.Tokenise(nil, code.String()); err == nil {
			if err := codeFormatter.Format(w, codeStyle, it); err != nil {
				return ast.WalkStop, err
			}
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
