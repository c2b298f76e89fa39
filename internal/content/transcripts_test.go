package content

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// SMTP and WebSocket examples are transcripts rather than HTTP messages; these
// tests read the parts of them that have a wire format: SMTP reply lines and
// WebSocket frames written as bytes. Notes in parentheses are skipped, as in
// the HTTP examples.

func TestShippedSMTPExamples(t *testing.T) {
	for _, a := range loadShipped(t).Collection("smtp").Articles {
		if a.Example != nil {
			requireClean(t, a, checkSMTPExample(a))
		}
	}
}

func TestShippedWebSocketExamples(t *testing.T) {
	for _, a := range loadShipped(t).Collection("websocket").Articles {
		if a.Example != nil {
			requireClean(t, a, checkWebSocketExample(a))
		}
	}
}

// replyLineRE is a line of an SMTP reply (RFC 5321 §4.2: Reply-code =
// %x32-35 %x30-35 %x30-39, then "-" on every line but the last of a
// multiline reply, or SP and text on the last).
var replyLineRE = regexp.MustCompile(`^([2-5][0-5][0-9])(?:([ -])(.*))?$`)

// enhancedRE is an enhanced status code at the start of a reply's text (RFC
// 3463 §2: class "." subject "." detail, class 2, 4 or 5, subject and detail
// of one to three digits).
var enhancedRE = regexp.MustCompile(`^([245])\.(\d{1,3})\.(\d{1,3})(?: |$)`)

// smtpReply is one reply: its code and lines of text.
type smtpReply struct {
	code  string
	texts []string
}

// checkSMTPExample returns what is wrong with the SMTP transcript of a: a
// response line that is not a reply line, a multiline reply whose lines
// disagree, an enhanced code whose class is not the reply's, a server that
// advertises ENHANCEDSTATUSCODES and then leaves them out, or no reply with
// the article's code.
func checkSMTPExample(a *Article) []string {
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	kept, _ := stripNotes(a.Example.Response)
	var replies []smtpReply
	open := false
	for _, line := range strings.Split(strings.TrimRight(kept, "\n"), "\n") {
		m := replyLineRE.FindStringSubmatch(line)
		if m == nil {
			fail("response: %q is not an SMTP reply line (RFC 5321 §4.2)", line)
			open = false
			continue
		}
		if open && replies[len(replies)-1].code != m[1] {
			// RFC 5321 §4.2.1: every line of a multiline reply has the same code.
			fail("response: %q continues a %s reply with another code (RFC 5321 §4.2.1)", line, replies[len(replies)-1].code)
		}
		if !open {
			replies = append(replies, smtpReply{code: m[1]})
		}
		r := &replies[len(replies)-1]
		r.texts = append(r.texts, m[3])
		open = m[2] == "-"
	}
	if open {
		fail("response: the last reply ends with a continuation line")
	}

	// RFC 2034 §4: a server that supports ENHANCEDSTATUSCODES puts the code
	// in "all 2xx, 4xx, and 5xx response lines other than initial greeting
	// and any response to HELO or EHLO", the same code on every line of a
	// multiline reply, and its class "must agree with the primary response
	// code". The first reply is the greeting; the second answers EHLO when
	// the client opens with it.
	ehlo := strings.HasPrefix(strings.ToUpper(strings.TrimSpace(a.Example.Request)), "EHLO") ||
		strings.HasPrefix(strings.ToUpper(strings.TrimSpace(a.Example.Request)), "HELO")
	enhanced := false
	found := false
	for i, r := range replies {
		found = found || r.code == a.Code
		exempt := i == 0 || (i == 1 && ehlo)
		if i == 1 && ehlo {
			for _, text := range r.texts {
				enhanced = enhanced || strings.EqualFold(strings.Fields(text + " x")[0], "ENHANCEDSTATUSCODES")
			}
		}
		var first string
		for j, text := range r.texts {
			m := enhancedRE.FindStringSubmatch(text)
			switch {
			case m == nil && enhanced && !exempt && r.code[0] != '3':
				fail("response: %s %s has no enhanced status code, though the server advertised ENHANCEDSTATUSCODES (RFC 2034 §4)", r.code, text)
			case m == nil:
			case m[1] != r.code[:1]:
				fail("response: %s %s: enhanced code class %s does not agree with reply code %s (RFC 2034 §4)", r.code, text, m[1], r.code)
			case j == 0:
				first = strings.TrimSpace(m[0])
			case strings.TrimSpace(m[0]) != first:
				fail("response: %s %s: a multiline reply repeats one enhanced code, %s (RFC 2034 §4)", r.code, text, first)
			}
		}
	}
	if !found {
		fail("response: no reply with code %s", a.Code)
	}
	return problems
}

func TestCheckSMTPExample(t *testing.T) {
	ehlo := "EHLO client.example.org\nMAIL FROM:<a@example.org>\n"
	greet := "220 mx.example.net ESMTP\n250-mx.example.net\n250 ENHANCEDSTATUSCODES\n"
	plain := "220 mx.example.net ESMTP\n250 mx.example.net\n"
	tests := []struct {
		name, code, request, response string
		want                          string
	}{
		{"valid", "550", ehlo, greet + "550 5.1.1 No such user\n", ""},
		{"multiline", "550", ehlo, greet + "550-5.1.1 No such\n550 5.1.1 user\n", ""},
		{"3xx without enhanced code", "354", ehlo, greet + "250 2.1.0 Ok\n354 End data with <CR><LF>.<CR><LF>\n", ""},
		{"note skipped", "452", ehlo, greet + "(998 more 250 2.1.5 Ok replies)\n452 4.5.3 Too many recipients\n", ""},
		{"not a reply line", "550", ehlo, greet + "550: no such user\n", `response: "550: no such user" is not an SMTP reply line`},
		{"reply code out of range", "550", ehlo, greet + "560 5.1.1 No such user\n", `response: "560 5.1.1 No such user" is not an SMTP reply line`},
		{"code missing", "550", ehlo, greet + "250 2.1.0 Ok\n", "response: no reply with code 550"},
		{"class disagrees", "550", ehlo, greet + "550 4.1.1 No such user\n",
			"response: 550 4.1.1 No such user: enhanced code class 4 does not agree with reply code 550 (RFC 2034 §4)"},
		{"class disagrees without the extension", "451", ehlo, plain + "451 5.3.0 Local error\n", "response: 451 5.3.0 Local error: enhanced code class 5"},
		{"advertised but missing", "550", ehlo, greet + "550 No such user\n",
			"response: 550 No such user has no enhanced status code, though the server advertised ENHANCEDSTATUSCODES (RFC 2034 §4)"},
		{"not advertised", "550", ehlo, plain + "550 No such user\n", ""},
		{"multiline changes code", "550", ehlo, greet + "550-5.1.1 No such\n551 5.1.1 user\n",
			`response: "551 5.1.1 user" continues a 550 reply with another code (RFC 5321 §4.2.1)`},
		{"multiline changes enhanced code", "550", ehlo, greet + "550-5.1.1 No such\n550 5.1.2 user\n",
			"response: 550 5.1.2 user: a multiline reply repeats one enhanced code, 5.1.1"},
		{"unfinished multiline", "550", ehlo, greet + "550-5.1.1 No such user\n", "response: the last reply ends with a continuation line"},
		{"greeting only", "421", "", "421 4.7.0 Too many connections\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &Article{Code: tt.code, Detail: &Detail{Example: &Example{Request: tt.request, Response: tt.response}}}
			got := checkSMTPExample(a)
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

// WebSocket frames are written as the bytes of an unmasked frame, the close
// reason as a quoted string: `88 0F 03 F0 "token expired"`. A line after it
// may describe the frame (`FIN=1  opcode=0x8 (Close)  MASK=0  payload
// length=15`) and name its status. A frame shown without its bytes gives the
// close code in hex after the status: `status 1007 (03 EF)`, or as a payload
// line after its description: `payload: 03 E8 "done"`.
var (
	frameRE    = regexp.MustCompile(`^((?:[0-9A-F]{2} )*[0-9A-F]{2})(?: "([^"]*)")?$`)
	payloadRE  = regexp.MustCompile(`^payload: ((?:[0-9A-F]{2} ?)+?)(?: "([^"]*)")?(?:\s{2,}(.*))?$`)
	describeRE = regexp.MustCompile(`FIN=([01])\s+opcode=0x([0-9A-F])\b.*?MASK=([01])(?:\s+payload length=(\d+))?`)
	statusRE   = regexp.MustCompile(`\bstatus (\d{4})(?: \(([0-9A-F]{2}) ([0-9A-F]{2})\))?`)
)

// mustNotSend are the close codes RFC 6455 §7.4.1 says "MUST NOT be set as a
// status code in a Close control frame by an endpoint".
var mustNotSend = map[int]bool{1005: true, 1006: true, 1015: true}

// wsFrame is a frame read from its bytes.
type wsFrame struct {
	fin, masked bool
	opcode      int
	length      int // payload bytes
	code        int // close code, or 0
	line        string
}

func parseHex(s string) []byte {
	var b []byte
	for _, f := range strings.Fields(s) {
		v, _ := strconv.ParseUint(f, 16, 8)
		b = append(b, byte(v))
	}
	return b
}

// checkWebSocketExample returns what is wrong with the frames of the
// WebSocket transcript of a.
func checkWebSocketExample(a *Article) []string {
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	code, _ := strconv.Atoi(a.Code)
	var codes []int // close codes the frames carry
	for _, text := range []string{a.Example.Request, a.Example.Response} {
		kept, _ := stripNotes(text)
		var last *wsFrame // the frame the next description line describes
		for _, line := range strings.Split(kept, "\n") {
			line = strings.TrimSpace(line)
			if m := frameRE.FindStringSubmatch(line); m != nil {
				b := parseHex(m[1])
				if len(b) < 2 {
					fail("frame %q: a frame has at least two bytes of header (RFC 6455 §5.2)", line)
					last = nil
					continue
				}
				f := &wsFrame{fin: b[0]&0x80 != 0, opcode: int(b[0] & 0x0F), masked: b[1]&0x80 != 0, length: int(b[1] & 0x7F), line: line}
				payload := append(b[2:], m[2]...)
				if !f.masked && f.length < 126 && f.length != len(payload) {
					fail("frame %q: payload length %d, but %d bytes follow", line, f.length, len(payload))
				}
				if f.opcode == 8 {
					f.code = closeCode(payload, line, fail)
					if f.code != 0 {
						codes = append(codes, f.code)
					}
				}
				last = f
				continue
			}
			if m := describeRE.FindStringSubmatch(line); m != nil {
				if last != nil {
					switch {
					case (m[1] == "1") != last.fin:
						fail("frame %q is described with FIN=%s", last.line, m[1])
					case atoiHex(m[2]) != last.opcode:
						fail("frame %q is described with opcode=0x%s", last.line, m[2])
					case (m[3] == "1") != last.masked:
						fail("frame %q is described with MASK=%s", last.line, m[3])
					case m[4] != "" && m[4] != strconv.Itoa(last.length):
						fail("frame %q is described with payload length=%s", last.line, m[4])
					}
					checkStatus(line, last.code, fail)
				} else {
					// A frame described without its bytes: its payload
					// line, if any, follows.
					last = &wsFrame{opcode: atoiHex(m[2]), length: -1, line: line}
					if m[4] != "" {
						last.length, _ = strconv.Atoi(m[4])
					}
					if sm := statusRE.FindStringSubmatch(line); sm != nil && sm[2] != "" {
						codes = append(codes, checkStatus(line, 0, fail))
					}
				}
				continue
			}
			if m := payloadRE.FindStringSubmatch(line); m != nil && last != nil {
				payload := append(parseHex(m[1]), m[2]...)
				if last.length >= 0 && last.length != len(payload) {
					fail("%q: payload length=%d, but %d bytes are shown", line, last.length, len(payload))
				}
				if last.opcode == 8 {
					if c := closeCode(payload, line, fail); c != 0 {
						codes = append(codes, c)
						checkStatus(line, c, fail)
					}
				}
				last = nil
				continue
			}
			if sm := statusRE.FindStringSubmatch(line); sm != nil {
				if sm[2] != "" {
					codes = append(codes, checkStatus(line, 0, fail))
				} else if last != nil {
					checkStatus(line, last.code, fail)
				}
			}
			last = nil
		}
	}
	switch {
	case mustNotSend[code] && slices.Contains(codes, code):
		fail("a Close frame carries %d, which RFC 6455 §7.4.1 says MUST NOT be sent in one", code)
	case !mustNotSend[code] && !slices.Contains(codes, code):
		fail("no Close frame carries %d", code)
	}
	return problems
}

// closeCode reads the status code of a Close payload: none, or two bytes
// and an optional reason (RFC 6455 §5.5.1).
func closeCode(payload []byte, line string, fail func(string, ...any)) int {
	switch len(payload) {
	case 0:
		return 0
	case 1:
		fail("%q: a Close payload of one byte; the status code takes two (RFC 6455 §5.5.1)", line)
		return 0
	}
	return int(payload[0])<<8 | int(payload[1])
}

// checkStatus compares the status a line names with the code of its frame,
// and with the hex it gives after it, and returns the code named.
func checkStatus(line string, frameCode int, fail func(string, ...any)) int {
	m := statusRE.FindStringSubmatch(line)
	if m == nil {
		return 0
	}
	named, _ := strconv.Atoi(m[1])
	if m[2] != "" {
		if hex := atoiHex(m[2] + m[3]); hex != named {
			fail("%q: %s is %d, not %d", line, m[2]+" "+m[3], hex, named)
		}
	}
	if frameCode != 0 && frameCode != named {
		fail("%q: the frame carries %d, not %d", line, frameCode, named)
	}
	return named
}

func atoiHex(s string) int {
	v, _ := strconv.ParseInt(s, 16, 32)
	return int(v)
}

func TestCheckWebSocketExample(t *testing.T) {
	tests := []struct {
		name, code, request, response string
		want                          string
	}{
		{"valid", "1008", "", "Server → client: Close frame\n88 0F 03 F0 \"token expired\"\nFIN=1  opcode=0x8 (Close)  MASK=0  payload length=15\nstatus 1008, reason \"token expired\"\n", ""},
		{"code alone", "1000", "", "88 02 03 E8\nFIN=1  opcode=0x8 (Close)  MASK=0  payload length=2  status 1000\n", ""},
		{"length byte wrong", "1008", "", "88 0E 03 F0 \"token expired\"\n", `frame "88 0E 03 F0 \"token expired\"": payload length 14, but 15 bytes follow`},
		{"described length wrong", "1000", "", "88 02 03 E8\nFIN=1  opcode=0x8 (Close)  MASK=0  payload length=3\n", `frame "88 02 03 E8" is described with payload length=3`},
		{"described mask wrong", "1000", "", "88 02 03 E8\nFIN=1  opcode=0x8 (Close)  MASK=1  payload length=2\n", `frame "88 02 03 E8" is described with MASK=1`},
		{"described status wrong", "1000", "", "88 02 03 E8\nFIN=1  opcode=0x8 (Close)  MASK=0  payload length=2  status 1001\n",
			`"FIN=1  opcode=0x8 (Close)  MASK=0  payload length=2  status 1001": the frame carries 1000, not 1001`},
		{"other code", "1008", "", "88 02 03 E8\n", "no Close frame carries 1008"},
		{"hex after status", "1007", "", "FIN=1  opcode=0x8 (Close)  MASK=0\nstatus 1007 (03 EF), reason \"bad UTF-8\"\n", ""},
		{"hex after status wrong", "1007", "", "status 1007 (03 EE)\n", `"status 1007 (03 EE)": 03 EE is 1006, not 1007`},
		{"payload line", "1000", "FIN=1  opcode=0x8 (Close)  MASK=1  payload length=6\npayload: 03 E8 \"done\"        status 1000, reason \"done\"\n", "", ""},
		{"payload line length", "1000", "FIN=1  opcode=0x8 (Close)  MASK=1  payload length=5\npayload: 03 E8 \"done\"\n", "", `"payload: 03 E8 \"done\"": payload length=5, but 6 bytes are shown`},
		{"one-byte close payload", "1002", "", "88 01 03\n", `"88 01 03": a Close payload of one byte`},
		{"code that must not be sent", "1006", "", "88 02 03 EE\n", "a Close frame carries 1006, which RFC 6455 §7.4.1 says MUST NOT be sent in one"},
		{"code that must not be sent, not sent", "1005", "", "88 00\nFIN=1  opcode=0x8 (Close)  MASK=0  payload length=0\nBoth sides report 1005.\n", ""},
		{"text frame", "1002", "81 05 68 65 6C 6C 6F\nFIN=1  opcode=0x1 (Text)  MASK=0  payload length=5", "88 02 03 EA\n", ""},
		{"note skipped", "1011", "", "88 02 03 F3\n(server log: handler failed)\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &Article{Code: tt.code, Detail: &Detail{Example: &Example{Request: tt.request, Response: tt.response}}}
			got := checkWebSocketExample(a)
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
