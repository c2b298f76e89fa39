package content

import (
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The "send" snippets are checked against the libraries they call: a
// snippet for a code whose response RFC 9110 requires a header field must
// set that field, and the status constants it names must be the library's
// current ones.

func TestShippedSendSnippets(t *testing.T) {
	site := loadShipped(t)
	names := libraryNames(t)
	for _, a := range site.Articles() {
		var problems []string
		if a.Collection.Key == "http" {
			problems = checkSendFields(a)
		}
		problems = append(problems, checkStatusNames(a, names)...)
		requireClean(t, a, problems)
	}
}

// A fieldSetter is a call that sets a header field itself, so a snippet
// using it need not name the field.
type fieldSetter struct {
	lang string
	call *regexp.Regexp
}

// fieldSetters are the calls, per header field, that set it.
var fieldSetters = map[string][]fieldSetter{
	"Location": {
		// net/http server.go, Redirect: h.Set("Location", …).
		{"go", regexp.MustCompile(`\bhttp\.Redirect\(`)},
		// https://expressjs.com/en/api.html#res.redirect sets the Location
		// header through res.location.
		{"express", regexp.MustCompile(`\bres\.redirect\(`)},
		// werkzeug.utils.redirect, which flask.redirect calls, sets Location.
		{"flask", regexp.MustCompile(`\bredirect\(`)},
		// ResponseEntity.HeadersBuilder#location: "Set the location of a
		// resource, as specified by the Location header."
		{"spring", regexp.MustCompile(`\.location\(`)},
		// https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#return:
		// "return code URL" for 301, 302, 303, 307 and 308 redirects to URL.
		{"nginx", regexp.MustCompile(`\breturn\s+30[12378]\s+\S+;`)},
	},
	"Allow": {
		// ResponseEntity.HeadersBuilder#allow: "Set the set of allowed HTTP
		// methods, as specified by the Allow header."
		{"spring", regexp.MustCompile(`\.allow\(`)},
		// django.http.HttpResponseNotAllowed sets Allow from its list of
		// permitted methods.
		{"django", regexp.MustCompile(`\bHttpResponseNotAllowed\(`)},
		// werkzeug.exceptions.MethodNotAllowed sends Allow from valid_methods.
		{"flask", regexp.MustCompile(`\bvalid_methods=`)},
	},
	"Upgrade": {
		// WebSocket servers write the 101 with "Upgrade: websocket"
		// themselves: gorilla/websocket's Upgrader.Upgrade, the ws
		// package's handleUpgrade and ASP.NET Core's AcceptWebSocketAsync.
		{"go", regexp.MustCompile(`\.Upgrade\(w, r,`)},
		{"express", regexp.MustCompile(`\.handleUpgrade\(`)},
		{"dotnet", regexp.MustCompile(`\.AcceptWebSocketAsync\(`)},
	},
}

// fieldKey folds a header field name, or a snippet, for comparison: without
// case, hyphens and underscores, so that "WWW-Authenticate" is found in
// Response.Headers.WWWAuthenticate and HttpHeaders.WWW_AUTHENTICATE too.
func fieldKey(s string) string {
	return strings.NewReplacer("-", "", "_", "").Replace(strings.ToLower(s))
}

// namesField reports whether code names the header field name as a word of
// its own, so that "Allow" is not found in "MethodNotAllowed".
func namesField(code, name string) bool {
	code, key := fieldKey(code), fieldKey(name)
	for i := strings.Index(code, key); i >= 0; {
		end := i + len(key)
		if (i == 0 || !isAlnum(code[i-1])) && (end == len(code) || !isAlnum(code[end])) {
			return true
		}
		next := strings.Index(code[i+1:], key)
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return false
}

func isAlnum(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

// checkSendFields returns the snippets of a that do not set the header field
// RFC 9110 requires for its code: a snippet sets it when it names it (see
// fieldKey) or calls one of fieldSetters.
func checkSendFields(a *Article) []string {
	code, _ := strconv.Atoi(a.Code)
	f, ok := requiredFields[code]
	if !ok {
		return nil
	}
	var problems []string
	for _, s := range a.Send {
		if namesField(s.Code, f.name) {
			continue
		}
		if slices.ContainsFunc(fieldSetters[f.name], func(fs fieldSetter) bool {
			return fs.lang == s.Lang && fs.call.MatchString(s.Code)
		}) {
			continue
		}
		problems = append(problems, "send "+s.Lang+": does not set "+f.name+" ("+f.why+")")
	}
	return problems
}

// A library is one set of status names snippets refer to.
type library struct {
	name  string
	langs []string       // snippet languages that use it
	ref   *regexp.Regexp // finds a name in a snippet; group 1 is the name
	// current are the names the library has now; refused are names it has
	// deprecated, renamed or removed, with what to write instead.
	current map[string]bool
	refused map[string]string
}

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// libraryNames returns the libraries whose names snippets are checked
// against. Go's come from the toolchain running the test; the others are
// copied from each library's source, as cited.
func libraryNames(t *testing.T) []library {
	t.Helper()
	return []library{
		{
			name: "Go net/http", langs: []string{"go"},
			ref:     regexp.MustCompile(`\bhttp\.(Status\w*)`),
			current: goStatusNames(t),
		},
		{
			// python/cpython Lib/http/__init__.py (main, 0164647): Python
			// 3.13 took RFC 9110's names and kept the old ones as aliases.
			name: "Python http.HTTPStatus", langs: []string{"flask", "django", "fastapi", "python"},
			ref: regexp.MustCompile(`\bHTTPStatus\.([A-Z_]+)`),
			current: set("CONTINUE", "SWITCHING_PROTOCOLS", "PROCESSING", "EARLY_HINTS", "OK", "CREATED",
				"ACCEPTED", "NON_AUTHORITATIVE_INFORMATION", "NO_CONTENT", "RESET_CONTENT", "PARTIAL_CONTENT",
				"MULTI_STATUS", "ALREADY_REPORTED", "IM_USED", "MULTIPLE_CHOICES", "MOVED_PERMANENTLY", "FOUND",
				"SEE_OTHER", "NOT_MODIFIED", "USE_PROXY", "TEMPORARY_REDIRECT", "PERMANENT_REDIRECT",
				"BAD_REQUEST", "UNAUTHORIZED", "PAYMENT_REQUIRED", "FORBIDDEN", "NOT_FOUND", "METHOD_NOT_ALLOWED",
				"NOT_ACCEPTABLE", "PROXY_AUTHENTICATION_REQUIRED", "REQUEST_TIMEOUT", "CONFLICT", "GONE",
				"LENGTH_REQUIRED", "PRECONDITION_FAILED", "CONTENT_TOO_LARGE", "URI_TOO_LONG",
				"UNSUPPORTED_MEDIA_TYPE", "RANGE_NOT_SATISFIABLE", "EXPECTATION_FAILED", "IM_A_TEAPOT",
				"MISDIRECTED_REQUEST", "UNPROCESSABLE_CONTENT", "LOCKED", "FAILED_DEPENDENCY", "TOO_EARLY",
				"UPGRADE_REQUIRED", "PRECONDITION_REQUIRED", "TOO_MANY_REQUESTS", "REQUEST_HEADER_FIELDS_TOO_LARGE",
				"UNAVAILABLE_FOR_LEGAL_REASONS", "INTERNAL_SERVER_ERROR", "NOT_IMPLEMENTED", "BAD_GATEWAY",
				"SERVICE_UNAVAILABLE", "GATEWAY_TIMEOUT", "HTTP_VERSION_NOT_SUPPORTED", "VARIANT_ALSO_NEGOTIATES",
				"INSUFFICIENT_STORAGE", "LOOP_DETECTED", "NOT_EXTENDED", "NETWORK_AUTHENTICATION_REQUIRED"),
			refused: map[string]string{
				"REQUEST_ENTITY_TOO_LARGE":        "renamed CONTENT_TOO_LARGE in Python 3.13",
				"REQUEST_URI_TOO_LONG":            "renamed URI_TOO_LONG in Python 3.13",
				"REQUESTED_RANGE_NOT_SATISFIABLE": "renamed RANGE_NOT_SATISFIABLE in Python 3.13",
				"UNPROCESSABLE_ENTITY":            "renamed UNPROCESSABLE_CONTENT in Python 3.13",
			},
		},
		{
			// spring-projects/spring-framework
			// spring-web/src/main/java/org/springframework/http/HttpStatus.java
			// (main, 91eb426). Spring 7.0 removed the constants deprecated
			// in 6 (commit 83c020e, "Remove deprecated HttpStatus codes")
			// and deprecated six more.
			name: "Spring HttpStatus", langs: []string{"spring", "java"},
			ref: regexp.MustCompile(`\bHttpStatus\.([A-Z_]+)`),
			current: set("CONTINUE", "SWITCHING_PROTOCOLS", "EARLY_HINTS", "OK", "CREATED", "ACCEPTED",
				"NON_AUTHORITATIVE_INFORMATION", "NO_CONTENT", "RESET_CONTENT", "PARTIAL_CONTENT", "MULTI_STATUS",
				"ALREADY_REPORTED", "IM_USED", "MULTIPLE_CHOICES", "MOVED_PERMANENTLY", "FOUND", "SEE_OTHER",
				"NOT_MODIFIED", "TEMPORARY_REDIRECT", "PERMANENT_REDIRECT", "BAD_REQUEST", "UNAUTHORIZED",
				"PAYMENT_REQUIRED", "FORBIDDEN", "NOT_FOUND", "METHOD_NOT_ALLOWED", "NOT_ACCEPTABLE",
				"PROXY_AUTHENTICATION_REQUIRED", "REQUEST_TIMEOUT", "CONFLICT", "GONE", "LENGTH_REQUIRED",
				"PRECONDITION_FAILED", "CONTENT_TOO_LARGE", "URI_TOO_LONG", "UNSUPPORTED_MEDIA_TYPE",
				"REQUESTED_RANGE_NOT_SATISFIABLE", "EXPECTATION_FAILED", "MISDIRECTED_REQUEST",
				"UNPROCESSABLE_CONTENT", "LOCKED", "FAILED_DEPENDENCY", "TOO_EARLY", "UPGRADE_REQUIRED",
				"PRECONDITION_REQUIRED", "TOO_MANY_REQUESTS", "REQUEST_HEADER_FIELDS_TOO_LARGE",
				"UNAVAILABLE_FOR_LEGAL_REASONS", "INTERNAL_SERVER_ERROR", "NOT_IMPLEMENTED", "BAD_GATEWAY",
				"SERVICE_UNAVAILABLE", "GATEWAY_TIMEOUT", "HTTP_VERSION_NOT_SUPPORTED", "VARIANT_ALSO_NEGOTIATES",
				"INSUFFICIENT_STORAGE", "LOOP_DETECTED", "NETWORK_AUTHENTICATION_REQUIRED"),
			refused: map[string]string{
				"PROCESSING":                     "deprecated in Spring 7.0; use the number: ResponseEntity.status(102)",
				"PAYLOAD_TOO_LARGE":              "deprecated in Spring 7.0 in favour of CONTENT_TOO_LARGE",
				"I_AM_A_TEAPOT":                  "deprecated in Spring 7.0 (unused in RFC 9110); use the number: ResponseEntity.status(418)",
				"UNPROCESSABLE_ENTITY":           "deprecated in Spring 7.0 in favour of UNPROCESSABLE_CONTENT",
				"BANDWIDTH_LIMIT_EXCEEDED":       "deprecated in Spring 7.0 (unassigned); use the number: ResponseEntity.status(509)",
				"NOT_EXTENDED":                   "deprecated in Spring 7.0 (historic); use the number: ResponseEntity.status(510)",
				"MOVED_TEMPORARILY":              "removed in Spring 7.0; use FOUND",
				"USE_PROXY":                      "removed in Spring 7.0; use the number: ResponseEntity.status(305)",
				"REQUEST_ENTITY_TOO_LARGE":       "removed in Spring 7.0; use CONTENT_TOO_LARGE",
				"REQUEST_URI_TOO_LONG":           "removed in Spring 7.0; use URI_TOO_LONG",
				"METHOD_FAILURE":                 "removed in Spring 7.0",
				"DESTINATION_LOCKED":             "removed in Spring 7.0",
				"INSUFFICIENT_SPACE_ON_RESOURCE": "removed in Spring 7.0",
			},
		},
		{
			// dotnet/runtime src/libraries/System.Net.Primitives/src/System/Net/HttpStatusCode.cs.
			name: ".NET HttpStatusCode", langs: []string{"dotnet", "csharp"},
			ref: regexp.MustCompile(`\bHttpStatusCode\.([A-Za-z]+)`),
			current: set("Continue", "SwitchingProtocols", "Processing", "EarlyHints", "OK", "Created", "Accepted",
				"NonAuthoritativeInformation", "NoContent", "ResetContent", "PartialContent", "MultiStatus",
				"AlreadyReported", "IMUsed", "MultipleChoices", "Ambiguous", "MovedPermanently", "Moved", "Found",
				"Redirect", "SeeOther", "RedirectMethod", "NotModified", "UseProxy", "Unused", "TemporaryRedirect",
				"RedirectKeepVerb", "PermanentRedirect", "BadRequest", "Unauthorized", "PaymentRequired",
				"Forbidden", "NotFound", "MethodNotAllowed", "NotAcceptable", "ProxyAuthenticationRequired",
				"RequestTimeout", "Conflict", "Gone", "LengthRequired", "PreconditionFailed",
				"RequestEntityTooLarge", "RequestUriTooLong", "UnsupportedMediaType",
				"RequestedRangeNotSatisfiable", "ExpectationFailed", "MisdirectedRequest", "UnprocessableEntity",
				"Locked", "FailedDependency", "UpgradeRequired", "PreconditionRequired", "TooManyRequests",
				"RequestHeaderFieldsTooLarge", "UnavailableForLegalReasons", "InternalServerError",
				"NotImplemented", "BadGateway", "ServiceUnavailable", "GatewayTimeout", "HttpVersionNotSupported",
				"VariantAlsoNegotiates", "InsufficientStorage", "LoopDetected", "NotExtended",
				"NetworkAuthenticationRequired"),
		},
		{
			// rack/rack lib/rack/utils.rb (main, 8bf4eb0): the symbols are
			// the reason phrases of HTTP_STATUS_CODES in snake case; Rack
			// 3.1 (#2137) deprecated the obsolete ones, and Rails 8.1
			// scaffolds answer :unprocessable_content.
			name: "Rack status symbols", langs: []string{"rails"},
			ref: regexp.MustCompile(`(?:\bstatus:\s*|\bhead\s+):([a-z_]+)`),
			current: set("continue", "switching_protocols", "processing", "early_hints", "ok", "created",
				"accepted", "non_authoritative_information", "no_content", "reset_content", "partial_content",
				"multi_status", "already_reported", "im_used", "multiple_choices", "moved_permanently", "found",
				"see_other", "not_modified", "use_proxy", "temporary_redirect", "permanent_redirect",
				"bad_request", "unauthorized", "payment_required", "forbidden", "not_found", "method_not_allowed",
				"not_acceptable", "proxy_authentication_required", "request_timeout", "conflict", "gone",
				"length_required", "precondition_failed", "content_too_large", "uri_too_long",
				"unsupported_media_type", "range_not_satisfiable", "expectation_failed", "misdirected_request",
				"unprocessable_content", "locked", "failed_dependency", "too_early", "upgrade_required",
				"precondition_required", "too_many_requests", "request_header_fields_too_large",
				"unavailable_for_legal_reasons", "internal_server_error", "not_implemented", "bad_gateway",
				"service_unavailable", "gateway_timeout", "http_version_not_supported", "variant_also_negotiates",
				"insufficient_storage", "loop_detected", "network_authentication_required"),
			refused: map[string]string{
				"payload_too_large":        "deprecated in Rack 3.1; use :content_too_large",
				"unprocessable_entity":     "deprecated in Rack 3.1; use :unprocessable_content",
				"bandwidth_limit_exceeded": "deprecated in Rack 3.1; use 509",
				"not_extended":             "deprecated in Rack 3.1; use 510",
			},
		},
	}
}

// goStatusNames reads the Status constants of the net/http the test is
// built with, and StatusText.
func goStatusNames(t *testing.T) map[string]bool {
	t.Helper()
	file := filepath.Join(build.Default.GOROOT, "src", "net", "http", "status.go")
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatalf("read net/http's status names: %v", err)
	}
	names := set("StatusText")
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
			for _, s := range g.Specs {
				for _, n := range s.(*ast.ValueSpec).Names {
					if strings.HasPrefix(n.Name, "Status") {
						names[n.Name] = true
					}
				}
			}
		}
	}
	if !names["StatusBadGateway"] {
		t.Fatalf("%s has no StatusBadGateway", file)
	}
	return names
}

var fenceRE = regexp.MustCompile("(?ms)^```[a-z]*\n(.*?)^```")

// checkStatusNames returns the status names in the snippets of a that its
// library does not have, or has deprecated or removed, and the refused names
// in the code blocks of its body, which readers copy as well.
func checkStatusNames(a *Article, libs []library) []string {
	var problems []string
	for _, s := range a.Send {
		for _, lib := range libs {
			if !slices.Contains(lib.langs, s.Lang) {
				continue
			}
			for _, m := range lib.ref.FindAllStringSubmatch(s.Code, -1) {
				name := m[1]
				switch why, refused := lib.refused[name]; {
				case refused:
					problems = append(problems, "send "+s.Lang+": "+name+" is "+why)
				case !lib.current[name]:
					problems = append(problems, "send "+s.Lang+": "+lib.name+" has no "+name)
				}
			}
		}
	}
	for _, block := range fenceRE.FindAllStringSubmatch(string(a.Body), -1) {
		for _, lib := range libs {
			for _, m := range lib.ref.FindAllStringSubmatch(block[1], -1) {
				if why, refused := lib.refused[m[1]]; refused {
					problems = append(problems, "body: "+m[1]+" is "+why)
				}
			}
		}
	}
	slices.Sort(problems)
	return slices.Compact(problems)
}

func TestCheckSendFields(t *testing.T) {
	tests := []struct {
		name, code, lang, snippet string
		want                      string
	}{
		{"names the field", "401", "go", `w.Header().Set("WWW-Authenticate", "Bearer"); w.WriteHeader(401)`, ""},
		{"names the field as a property", "407", "dotnet", `Response.Headers.ProxyAuthenticate = "Basic"; return StatusCode(407);`, ""},
		{"names the field as a constant", "401", "spring", `ResponseEntity.status(401).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build()`, ""},
		{"omits the field", "401", "nginx", `return 401;`,
			"send nginx: does not set WWW-Authenticate (RFC 9110 §15.5.2: a 401 MUST send a WWW-Authenticate header field)"},
		{"Allow as part of a longer name", "405", "express", `res.set("Access-Control-Allow-Origin", "*").sendStatus(405)`, "send express: does not set Allow"},
		{"omits Allow", "405", "dotnet", `return StatusCode((int)HttpStatusCode.MethodNotAllowed);`, "send dotnet: does not set Allow"},
		{"Allow through a helper", "405", "django", `return HttpResponseNotAllowed(["GET", "HEAD"])`, ""},
		{"helper of another language", "405", "spring", `HttpResponseNotAllowed(["GET"])`, "send spring: does not set Allow"},
		{"Location through a redirect", "301", "go", `http.Redirect(w, r, "/new", http.StatusMovedPermanently)`, ""},
		{"nginx return with URL", "308", "nginx", `return 308 https://example.com/new;`, ""},
		{"nginx return without URL", "308", "nginx", `return 308;`, "send nginx: does not set Location"},
		{"omits Content-Range", "416", "flask", `abort(HTTPStatus.RANGE_NOT_SATISFIABLE)`, "send flask: does not set Content-Range"},
		{"Upgrade through a WebSocket server", "101", "express", `wss.handleUpgrade(req, socket, head, cb)`, ""},
		{"code without a required field", "404", "nginx", `return 404;`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &Article{Code: tt.code, Detail: &Detail{Send: []Snippet{{Lang: tt.lang, Code: tt.snippet}}}}
			got := checkSendFields(a)
			if tt.want == "" {
				if len(got) > 0 {
					t.Errorf("want no problem, got %q", got)
				}
				return
			}
			if len(got) != 1 || !strings.HasPrefix(got[0], tt.want) {
				t.Errorf("want one problem starting %q, got %q", tt.want, got)
			}
		})
	}
}

func TestCheckStatusNames(t *testing.T) {
	libs := libraryNames(t)
	tests := []struct {
		name, lang, snippet, body string
		want                      []string
	}{
		{"current Go name", "go", "w.WriteHeader(http.StatusRequestEntityTooLarge)", "", nil},
		{"unknown Go name", "go", "w.WriteHeader(http.StatusContentTooLarge)", "", []string{"send go: Go net/http has no StatusContentTooLarge"}},
		{"current Python name", "flask", "abort(HTTPStatus.CONTENT_TOO_LARGE)", "", nil},
		{"old Python name", "django", "HttpResponse(status=HTTPStatus.UNPROCESSABLE_ENTITY)", "",
			[]string{"send django: UNPROCESSABLE_ENTITY is renamed UNPROCESSABLE_CONTENT in Python 3.13"}},
		{"deprecated Spring name", "spring", "ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).build();", "",
			[]string{"send spring: PAYLOAD_TOO_LARGE is deprecated in Spring 7.0 in favour of CONTENT_TOO_LARGE"}},
		{"removed Spring name", "spring", "ResponseEntity.status(HttpStatus.USE_PROXY).build();", "",
			[]string{"send spring: USE_PROXY is removed in Spring 7.0; use the number: ResponseEntity.status(305)"}},
		{"unknown Spring name", "spring", "ResponseEntity.status(HttpStatus.TEAPOT).build();", "", []string{"send spring: Spring HttpStatus has no TEAPOT"}},
		{"Spring's HttpStatusCode is not .NET's", "spring", "ResponseEntity.status(HttpStatusCode.valueOf(499)).build();", "", nil},
		{"unknown .NET name", "dotnet", "return StatusCode((int)HttpStatusCode.TooEarly);", "", []string{"send dotnet: .NET HttpStatusCode has no TooEarly"}},
		{"deprecated Rack symbol", "rails", "render json: errors, status: :unprocessable_entity", "",
			[]string{"send rails: unprocessable_entity is deprecated in Rack 3.1; use :unprocessable_content"}},
		{"current Rack symbol", "rails", "head :content_too_large", "", nil},
		{"refused name in the body", "go", "w.WriteHeader(422)", "Rails:\n\n```ruby\nrender :new, status: :unprocessable_entity\n```\n",
			[]string{"body: unprocessable_entity is deprecated in Rack 3.1; use :unprocessable_content"}},
		{"refused name in prose", "go", "w.WriteHeader(422)", "Spring 7 deprecated `HttpStatus.UNPROCESSABLE_ENTITY`.\n", nil},
		{"name of another language", "express", "res.status(413) // HttpStatus.PAYLOAD_TOO_LARGE in Spring", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &Article{Detail: &Detail{Send: []Snippet{{Lang: tt.lang, Code: tt.snippet}}}, Body: []byte(tt.body)}
			if got := checkStatusNames(a, libs); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	for _, lib := range libs {
		for name := range maps.Keys(lib.refused) {
			if lib.current[name] {
				t.Errorf("%s: %s is both current and refused", lib.name, name)
			}
		}
	}
}
