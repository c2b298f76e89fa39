package render

import (
	"bufio"
	"bytes"
	"math/rand/v2"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/errwiki/errwiki/internal/benchcorpus"
	"github.com/errwiki/errwiki/internal/content"
)

// chromaFormatter is chroma's own HTML formatter, as writeTokens writes.
var chromaFormatter = chromahtml.New(chromahtml.WithClasses(true), chromahtml.PreventSurroundingPre(true))

// chromaFormat writes tokens with chroma's formatter.
func chromaFormat(t testing.TB, tokens []chroma.Token) string {
	var b bytes.Buffer
	if err := chromaFormatter.Format(&b, styles.Get("github"), chroma.Literator(tokens...)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// ownFormat writes tokens with writeTokens.
func ownFormat(tokens []chroma.Token) string {
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	writeTokens(w, tokens)
	w.Flush()
	return b.String()
}

// chromaHTML highlights code with chroma's own lexer of lang and chroma's
// formatter.
func chromaHTML(t testing.TB, lang, code string) string {
	it, err := lexer(lang).Tokenise(nil, code)
	if err != nil {
		t.Fatal(err)
	}
	return chromaFormat(t, it.Tokens())
}

// fastHTML highlights code with fastTokens and writeTokens, reporting
// whether it could.
func fastHTML(t testing.TB, lang, code string) (string, bool) {
	toks, ok := fastTokens(lexer(lang), code)
	if !ok {
		return "", false
	}
	return ownFormat(toks), true
}

// sameAsChroma fails t when fastTokens reads code and highlights it
// otherwise than chroma's lexer, and reports whether it read it.
func sameAsChroma(t testing.TB, lang, code string) bool {
	t.Helper()
	got, ok := fastHTML(t, lang, code)
	if ok {
		if want := chromaHTML(t, lang, code); got != want {
			t.Errorf("%s %q:\ngot  %s\nwant %s", lang, code, got, want)
		}
	}
	return ok
}

var tokenCases = []struct {
	name, lang, code string
	fast             bool
}{
	{"commands and output", "console", "$ openssl s_client -connect api.example.com:443\n$ ss -tnp state established\nhttp code=502 retry=1\n", true},
	{"quotes and pipes", "console", "$ curl -s -o /dev/null -w '%{http_code}\\n' https://x.example/a | head -n 1\n200\n", true},
	{"continued command", "console", "$ curl -i \\\n    -H 'Upgrade: websocket' \\\n    http://127.0.0.1:8080/chat\nHTTP/1.1 101 Switching Protocols\n", true},
	{"keywords and builtins", "console", "$ for i in 1 2; do echo \"try $i\"; done\n", false},
	{"keywords without variables", "console", "$ if true; then echo ok; fi && time sleep 1 || exit 2\n", true},
	{"assignments", "console", "# export A=1 B+=x C =3\n", true},
	{"root prompt", "console", "# apt-get install -y chromium\n", true},
	{"redirection out", "console", "> Expect: 100-continue\n< HTTP/1.1 100 Continue\n", true},
	{"escapes", "console", "$ printf a\\nb\\tc (x) [y] {z}\n", true},
	{"empty line", "console", "$ ls\n\nfile\n", false},
	{"blank command", "console", "$ \nls\n", false},
	{"comment", "console", "$ ls # list\n", false},
	{"variable", "console", "$ echo $HOME\n", false},
	{"user prompt", "console", "[me@host]$ ls\n", false},
	{"unicode", "console", "$ echo café\n", false},
	{"no final newline", "console", "$ ls", false},
	{"object", "json", "{\"code\": \"502\", \"title\": \"Bad Gateway\", \"retry\": true, \"after\": null}\n", true},
	{"nested", "json", "{\"a\": [1, -2.5, 3e10, 0.5E-3, {\"b\": {}}], \"c\": []}\n", true},
	{"escaped quotes", "json", "{\"q\": \"say \\\"hi\\\" \\\\\", \"u\": \"\\u00e9 é\"}\n", true},
	{"bare keyword", "json", "[truex]\n", false},
	{"comment", "json", "{\n  // why\n  \"a\": 1\n}\n", false},
	{"unclosed string", "json", "{\"a\": \"b}\n", false},
	{"attribute without colon", "json", "{\"a\" 1}\n", true},
	{"error", "json", "{1: 2}\n", false},
}

// TestFastTokens checks that the code highlighted without chroma's lexers
// comes out exactly as with them, and that the rest is left to them.
func TestFastTokens(t *testing.T) {
	for _, tc := range tokenCases {
		t.Run(tc.lang+"/"+tc.name, func(t *testing.T) {
			if ok := sameAsChroma(t, tc.lang, tc.code); ok != tc.fast {
				t.Errorf("read by fastTokens: %v, want %v", ok, tc.fast)
			}
		})
	}
}

// fences finds the fenced code blocks of a language in Markdown.
func fences(md, lang string) []string {
	re := regexp.MustCompile("(?ms)^```" + lang + "\n(.*?)^```")
	var blocks []string
	for _, m := range re.FindAllStringSubmatch(md, -1) {
		blocks = append(blocks, m[1])
	}
	return blocks
}

// TestFastTokensShipped checks every console and JSON block of the shipped
// wiki, and that most of them are read.
func TestFastTokensShipped(t *testing.T) {
	site, err := content.Load(os.DirFS("../.."), content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	read := map[string]int{}
	total := map[string]int{}
	for _, a := range site.Articles() {
		md := string(a.Body)
		for _, lang := range []string{"console", "json"} {
			for _, code := range fences(md, lang) {
				total[lang]++
				if sameAsChroma(t, lang, code) {
					read[lang]++
				}
			}
		}
	}
	t.Logf("read %v of %v", read, total)
	if read["console"] < total["console"]/2 || read["json"] < 1 {
		t.Errorf("read only %v of %v", read, total)
	}
}

// TestFastTokensCorpus checks that every console block of the benchmark's
// corpus is read, as chroma reads it.
func TestFastTokensCorpus(t *testing.T) {
	n := 0
	err := benchcorpus.Generate(benchcorpus.Options{Articles: 300}, func(name string, data []byte) error {
		for _, code := range fences(string(data), "console") {
			n++
			if !sameAsChroma(t, "console", code) {
				t.Errorf("%s: not read: %q", name, code)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 300 {
		t.Errorf("%d console blocks in 300 articles", n)
	}
}

// randomCode strings pieces together, more often the ones that make up
// code the readers take, so that most of what it makes is read.
func randomCode(r *rand.Rand, pieces []string) string {
	var b strings.Builder
	for range 1 + r.IntN(24) {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

var (
	consolePieces = []string{"$ ", "# ", "% ", "> ", "$\t", "\n", "\n$ ", "\n", " ", " ", "  ", "\t",
		"ls", "curl", "-sS", "-o", "/dev/null", "a.b:443", "x", "X_1", "2", "42", "0", "7a",
		"if", "fi", "do", "done", "for", "then", "elif", "else", "true", "time", "times", "echo", "set", "cd", "exit",
		"=", "+=", "+", "-", "=", "(", ")", "[", "]", "{", "}", "|", "||", "&", "&&", ";",
		"'q s'", "'", "\"d q\"", "\"", "\\", "\\n", "#", "$", "<", "`", ":", ".", ",", "!", "*", "@", "é"}
	jsonPieces = []string{"{", "}", "[", "]", ":", ",", " ", "\n", "  ", "\t",
		`"k"`, `"v"`, `"a\"b"`, `"\\"`, `"é"`, `"`, `\`, "true", "false", "null", "nul", "tru",
		"0", "1", "-", "42", ".", "5", "e", "E", "+", "x", "_", "/", "//", "é"}
)

// randomJSON makes a JSON value of up to depth levels, its numbers and
// strings made of pieces that test the lexer's patterns.
func randomJSON(r *rand.Rand, depth int) string {
	space := func() string { return []string{"", "", " ", "\n  ", "\t"}[r.IntN(5)] }
	switch k := r.IntN(9); {
	case depth > 0 && k < 2:
		var items []string
		for range r.IntN(4) {
			items = append(items, space()+randomJSON(r, depth-1)+space())
		}
		return "[" + strings.Join(items, ",") + "]"
	case depth > 0 && k < 4:
		var attrs []string
		for range r.IntN(4) {
			attrs = append(attrs, space()+`"`+randomCode(r, []string{"k", "é", `\"`, `\\`, " "})+`"`+space()+":"+space()+randomJSON(r, depth-1)+space())
		}
		return "{" + strings.Join(attrs, ",") + "}"
	case k < 6:
		return randomCode(r, []string{"-", "0", "1", "9", ".", "5", "e", "E", "+", "-"})
	case k < 8:
		return `"` + randomCode(r, []string{"a", " ", `\"`, `\\`, `\n`, "é", "\n"}) + `"`
	}
	return []string{"true", "false", "null"}[r.IntN(3)]
}

// TestFastTokensRandom compares the readers with chroma's lexers on
// random code made of the pieces of both languages.
func TestFastTokensRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 3000
	if testing.Short() {
		n = 500
	}
	for _, tc := range []struct {
		lang   string
		pieces []string
		final  string
	}{
		{"console", consolePieces, "\n"},
		{"json", jsonPieces, ""},
	} {
		read := 0
		for range n {
			code := randomCode(r, tc.pieces) + tc.final
			if tc.lang == "json" {
				// A value, now and then with a piece put in anywhere.
				code = randomJSON(r, 3)
				if r.IntN(3) == 0 {
					i := r.IntN(len(code) + 1)
					code = code[:i] + tc.pieces[r.IntN(len(tc.pieces))] + code[i:]
				}
			}
			if sameAsChroma(t, tc.lang, code) {
				read++
			}
		}
		t.Logf("%s: read %d of %d", tc.lang, read, n)
		if read < n/10 {
			t.Errorf("%s: read only %d of %d", tc.lang, read, n)
		}
	}
}

// FuzzConsoleTokens checks that whatever consoleTokens reads, it reads as
// chroma's lexer does.
func FuzzConsoleTokens(f *testing.F) {
	for _, tc := range tokenCases {
		if tc.lang == "console" {
			f.Add(tc.code)
		}
	}
	f.Fuzz(func(t *testing.T, code string) { sameAsChroma(t, "console", code) })
}

// FuzzJSONTokens checks that whatever jsonTokens reads, it reads as
// chroma's lexer does.
func FuzzJSONTokens(f *testing.F) {
	for _, tc := range tokenCases {
		if tc.lang == "json" {
			f.Add(tc.code)
		}
	}
	f.Fuzz(func(t *testing.T, code string) { sameAsChroma(t, "json", code) })
}

// sameFormat fails t when writeTokens writes tokens otherwise than chroma's
// formatter.
func sameFormat(t testing.TB, tokens []chroma.Token) {
	t.Helper()
	if got, want := ownFormat(tokens), chromaFormat(t, tokens); got != want {
		t.Errorf("%q:\ngot  %s\nwant %s", tokens, got, want)
	}
}

// TestWriteTokensShipped formats every code block and snippet of the
// shipped wiki and of a benchmark corpus, as chroma's lexers read them,
// as chroma's formatter does.
func TestWriteTokensShipped(t *testing.T) {
	fence := regexp.MustCompile("(?ms)^```([a-z-]*)\n(.*?)^```")
	check := func(lang, code string) {
		if lx := lexer(lang); lx != nil {
			it, err := lx.Tokenise(nil, code)
			if err != nil {
				t.Fatal(err)
			}
			sameFormat(t, it.Tokens())
		}
	}
	site, err := content.Load(os.DirFS("../.."), content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range site.Articles() {
		for _, m := range fence.FindAllStringSubmatch(string(a.Body), -1) {
			check(m[1], m[2])
			n++
		}
		for _, s := range a.Send {
			check(snippetLang[s.Lang], s.Code)
			n++
		}
		if e := a.Example; e != nil {
			check(exchangeLang(e.Request), e.Request)
			check(exchangeLang(e.Response), e.Response)
			n += 2
		}
	}
	err = benchcorpus.Generate(benchcorpus.Options{Articles: 100}, func(name string, data []byte) error {
		for _, m := range fence.FindAllStringSubmatch(string(data), -1) {
			check(m[1], m[2])
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 1000 {
		t.Errorf("only %d blocks", n)
	}
}

// randomTokens makes tokens of random types, among them types with no class
// of their own and types that are not chroma's, with values that hold
// newlines, characters to escape or nothing. (Literator ends at a token
// of type 0 with no value, which no lexer gives.)
func randomTokens(r *rand.Rand) []chroma.Token {
	types := []chroma.TokenType{chroma.Text, chroma.Keyword, chroma.KeywordType, chroma.NameFunction, chroma.LiteralStringDouble,
		chroma.Comment, chroma.Punctuation, chroma.Error, chroma.Other, chroma.Ignore, chroma.Background, chroma.GenericPrompt,
		chroma.TokenType(3001), chroma.TokenType(1), chroma.TokenType(-7)}
	values := []string{"", "\n", "a", "x = 1", "<b>&amp;</b>", "'\"", "\n\n", "end\n", "\nstart", "é", "\r\n", "\t"}
	tokens := make([]chroma.Token, r.IntN(8))
	for i := range tokens {
		var v strings.Builder
		for range r.IntN(3) {
			v.WriteString(values[r.IntN(len(values))])
		}
		tokens[i] = chroma.Token{Type: types[r.IntN(len(types))], Value: v.String()}
	}
	return tokens
}

func TestWriteTokensRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for range 20000 {
		sameFormat(t, randomTokens(r))
	}
}

// FuzzWriteTokens cuts the input into tokens at each \x00, their types
// from their first byte, and checks that writeTokens writes them as
// chroma's formatter does.
func FuzzWriteTokens(f *testing.F) {
	f.Add("\x10a\n\x00\x20\x00")
	f.Add("\x00\n\x00")
	f.Add("x<y>&\n\x00\x22\"q\"\n\n")
	f.Fuzz(func(t *testing.T, s string) {
		var tokens []chroma.Token
		for _, part := range strings.Split(s, "\x00") {
			tt := chroma.Text
			if part != "" {
				tt = chroma.TokenType(int(part[0]) * 100)
				part = part[1:]
			}
			tokens = append(tokens, chroma.Token{Type: tt, Value: part})
		}
		sameFormat(t, tokens)
	})
}
