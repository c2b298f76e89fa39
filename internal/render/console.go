package render

import (
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
)

// consoleTokens splits a shell session into the tokens of chroma's Bash
// Session lexer without its regular expressions, which try each of the
// Bash lexer's rules at every character of a command: a four-line session
// cost as much as the rest of its page. A line that starts with a prompt
// ($, #, % or >) is a command, read as the Bash lexer reads it; any other
// is output. It reports false for a session it does not read exactly as
// chroma would: an empty line or a blank command, a command holding
// anything but printable ASCII and tabs, a comment, a variable, a
// backtick, a redirection from < or a quoted string with a backslash or a
// dollar sign in it; chroma's lexer then reads the session.
func consoleTokens(code string) ([]chroma.Token, bool) {
	if !strings.HasSuffix(code, "\n") || strings.ContainsRune(code, '\r') || !utf8.ValidString(code) {
		return nil, false
	}
	var toks tokenList
	for rest := code; rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		switch {
		case line == "" || line[0] == '[': // an error token, or a [user@host] prompt
			return nil, false
		case strings.IndexByte("#$%>", line[0]) < 0:
			toks.add(chroma.GenericOutput, line+"\n")
			continue
		}
		// ^((?:\[[^]]+@[^]]+\]\s?)?[#$%>])(\s*)(.*\n?), the last group
		// read by the Bash lexer.
		cmd := strings.TrimLeft(line[1:], " \t")
		if cmd == "" || cmd[0] <= ' ' || cmd[0] > '~' {
			return nil, false // \s* would take the newline, or more
		}
		toks.add(chroma.GenericPrompt, line[:1])
		toks.add(chroma.Text, line[1:len(line)-len(cmd)])
		if !bashTokens(cmd+"\n", toks.add) {
			return nil, false
		}
	}
	return toks, true
}

// bashTokens adds the tokens of chroma's Bash lexer for one command line,
// ending in its newline, trying its rules in their order, or reports false
// (see consoleTokens).
func bashTokens(s string, add func(chroma.TokenType, string)) bool {
	for i := 0; i < len(s)-1; i++ {
		if s[i] != '\t' && (s[i] < ' ' || s[i] > '~') {
			return false
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		word := i == 0 || !isWordByte(s[i-1]) // \b before a word character
		if isWordByte(c) && word {
			if kw, sp, ok := bashKeyword(s[i:]); ok {
				add(chroma.Keyword, kw)
				add(chroma.Text, sp)
				i += len(kw) + len(sp)
				continue
			}
			if n := bashBuiltin(s[i:]); n > 0 {
				add(chroma.NameBuiltin, s[i:i+n])
				i += n
				continue
			}
			// (\b\w+)(\s*)(\+?=)
			w := i + wordLen(s[i:])
			sp := w + spaceLen(s[w:])
			op := sp
			if op < len(s) && s[op] == '+' {
				op++
			}
			if op < len(s) && s[op] == '=' {
				add(chroma.NameVariable, s[i:w])
				add(chroma.Text, s[w:sp])
				add(chroma.Operator, s[sp:op+1])
				i = op + 1
				continue
			}
		}
		n, typ := 1, chroma.TokenType(0)
		switch {
		case c == '#' || c == '$' || c == '`' || c == '<':
			return false
		case c == '\\': // \\[\w\W]
			n, typ = 2, chroma.LiteralStringEscape
		case strings.IndexByte("[]{}()=", c) >= 0:
			typ = chroma.Operator
		case c == '&' || c == '|':
			if i+1 < len(s) && s[i+1] == c { // &&|\|\|
				n, typ = 2, chroma.Operator
			} else {
				typ = chroma.Punctuation
			}
		case c == ';':
			typ = chroma.Punctuation
		case c == '"': // \$?"(\\\\|\\[0-7]+|\\.|[^"\\$])*", with neither
			j := strings.IndexAny(s[i+1:], "\"\\$")
			if j < 0 || s[i+1+j] != '"' {
				return false
			}
			n, typ = j+2, chroma.LiteralStringDouble
		case c == '\'': // '.*?'
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return false
			}
			n, typ = j+2, chroma.LiteralStringSingle
		case c == ' ' || c == '\t' || c == '\n':
			n, typ = spaceLen(s[i:]), chroma.Text
		case bashNumber(s[i:]) > 0: // \d+(?= |$)
			n, typ = bashNumber(s[i:]), chroma.LiteralNumber
		default: // [^=\s\[\]{}()$"'`\\<&|;]+
			n = strings.IndexAny(s[i:], "= \t\n[]{}()$\"'`\\<&|;")
			typ = chroma.Text
		}
		add(typ, s[i:i+n])
		i += n
	}
	return true
}

// bashKeywords are the Bash lexer's keywords, in the order of its pattern
// \b(if|fi|...)(\s*)\b.
var bashKeywords = [...]string{"if", "fi", "else", "while", "do", "done", "for", "then", "return", "function", "case", "select", "continue", "until", "esac", "elif"}

// bashKeyword matches \b(keywords)(\s*)\b at the start of s, which follows
// a word boundary.
func bashKeyword(s string) (kw, sp string, ok bool) {
	for _, kw := range bashKeywords {
		if !strings.HasPrefix(s, kw) {
			continue
		}
		n := spaceLen(s[len(kw):])
		after := len(kw) + n
		switch {
		case n > 0 && after < len(s) && isWordByte(s[after]):
			return kw, s[len(kw):after], true
		case n > 0 || len(kw) == len(s) || !isWordByte(s[len(kw)]):
			return kw, "", true
		}
	}
	return "", "", false
}

// bashBuiltins are the names of \b(alias|bg|...)(?=[\s)`]).
var bashBuiltins = map[string]bool{}

func init() {
	for _, b := range strings.Split("alias bg bind break builtin caller cd command compgen complete declare dirs disown echo enable eval exec exit export false fc fg getopts hash help history jobs kill let local logout popd printf pushd pwd read readonly set shift shopt source suspend test time times trap true type typeset ulimit umask unalias unset wait", " ") {
		bashBuiltins[b] = true
	}
}

// bashBuiltin returns the length of a builtin's name at the start of s
// followed by white space, ) or `, or 0.
func bashBuiltin(s string) int {
	n := 0
	for n < len(s) && 'a' <= s[n] && s[n] <= 'z' {
		n++
	}
	if n < len(s) && strings.IndexByte(" \t\n)`", s[n]) >= 0 && bashBuiltins[s[:n]] {
		return n
	}
	return 0
}

// bashNumber returns the length of the digits at the start of s when a
// space, a newline or the end follows them, or 0.
func bashNumber(s string) int {
	n := digits(s)
	if n == len(s) || s[n] == ' ' || s[n] == '\n' {
		return n
	}
	return 0
}

func wordLen(s string) int {
	n := 0
	for n < len(s) && isWordByte(s[n]) {
		n++
	}
	return n
}

func spaceLen(s string) int {
	n := 0
	for n < len(s) && (s[n] == ' ' || s[n] == '\t' || s[n] == '\n') {
		n++
	}
	return n
}
