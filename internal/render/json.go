package render

import (
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
)

// jsonTokens adds the tokens of chroma's JSON lexer for s without its
// regular expressions: every example response has a JSON body. It walks
// the lexer's states (a value, an object's keys, an attribute after its
// key, an array's items) as the lexer does. It reports false for what it
// does not read exactly as chroma would: a byte outside a string that is
// not printable ASCII, a tab or a newline, a comment, a string left open,
// a carriage return (which chroma reads as a newline), bytes that are not
// UTF-8, or anything the lexer takes for an error; that text then goes to
// chroma's lexer. Tokens added before it reports false are to be dropped.
func jsonTokens(s string, add func(chroma.TokenType, string)) bool {
	const (
		value     = iota // the lexer's "root" and "value" states
		keys             // "objectvalue"
		attribute        // "objectattribute"
		items            // "arrayvalue"
	)
	if !utf8.ValidString(s) || strings.IndexByte(s, '\r') >= 0 {
		return false
	}
	stack := []int{value}
	for i := 0; i < len(s); {
		state := stack[len(stack)-1]
		c := s[i]
		if isJSONSpace(c) {
			j := i + 1
			for j < len(s) && isJSONSpace(s[j]) {
				j++
			}
			if j < len(s) && !jsonPlain(s[j]) {
				return false // \s might take it too
			}
			add(chroma.Text, s[i:j])
			i = j
			continue
		}
		if !jsonPlain(c) || c == '/' {
			return false
		}
		if state == keys {
			switch c {
			case '"':
				n := jsonString(s[i:])
				if n == 0 {
					return false
				}
				add(chroma.NameTag, s[i:i+n])
				i += n
				stack = append(stack, attribute)
			case '}':
				add(chroma.Punctuation, "}")
				i++
				stack = stack[:len(stack)-1]
			default:
				return false
			}
			continue
		}
		// The rules of a value, which the other states include first.
		if n, typ := jsonValue(s[i:]); n > 0 {
			add(typ, s[i:i+n])
			i += n
			continue
		}
		switch {
		case c == '{':
			stack = append(stack, keys)
		case c == '[':
			stack = append(stack, items)
		case c == ':' && state == attribute, c == ',' && state == items:
		case c == ',' && state == attribute, c == ']' && state == items:
			stack = stack[:len(stack)-1]
		case c == '}' && state == attribute:
			stack = stack[:len(stack)-2]
		default:
			return false
		}
		add(chroma.Punctuation, s[i:i+1])
		i++
	}
	return true
}

// jsonValue matches the lexer's simple values at the start of s: its
// length and token type, or 0.
func jsonValue(s string) (int, chroma.TokenType) {
	for _, kw := range [...]string{"true", "false", "null"} { // (true|false|null)\b
		if len(s) >= len(kw) && s[:len(kw)] == kw {
			if len(s) > len(kw) && isWordByte(s[len(kw)]) {
				return 0, chroma.None
			}
			return len(kw), chroma.KeywordConstant
		}
	}
	if s[0] == '"' {
		return jsonString(s), chroma.LiteralStringDouble
	}
	// -?(0|[1-9]\d*), then the float's (\.\d+[eE](\+|-)?\d+|[eE](\+|-)?\d+|\.\d+)
	i := 0
	if s[0] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		i += 1 + digits(s[i+1:])
	default:
		return 0, chroma.None
	}
	exponent := func(j int) int { // [eE](\+|-)?\d+ at j: its end, or 0
		if j >= len(s) || s[j] != 'e' && s[j] != 'E' {
			return 0
		}
		j++
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if n := digits(s[j:]); n > 0 {
			return j + n
		}
		return 0
	}
	if i < len(s) && s[i] == '.' {
		if n := digits(s[i+1:]); n > 0 {
			if e := exponent(i + 1 + n); e > 0 {
				return e, chroma.LiteralNumberFloat
			}
			return i + 1 + n, chroma.LiteralNumberFloat
		}
	} else if e := exponent(i); e > 0 {
		return e, chroma.LiteralNumberFloat
	}
	return i, chroma.LiteralNumberInteger
}

// jsonString matches "(\\\\|\\"|[^"])*" at the start of s: the length of
// the string, or 0 when s does not start with one or it is not closed (the
// pattern may then match a shorter string by backtracking).
func jsonString(s string) int {
	if s == "" || s[0] != '"' {
		return 0
	}
	for i := 1; i < len(s); i++ {
		switch {
		case s[i] == '"':
			return i + 1
		case s[i] == '\\' && i+1 < len(s) && (s[i+1] == '\\' || s[i+1] == '"'):
			i++
		}
	}
	return 0
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' }

// jsonPlain reports whether c is printable ASCII, the bytes whose classes
// (\s, \d, \w) are the same for the lexer's Unicode patterns.
func jsonPlain(c byte) bool { return ' ' <= c && c <= '~' }
