package benchcorpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Body length, in words, of every article.
const (
	MinWords = 400
	MaxWords = 600
)

// text makes prose that reads like an article: sentences from a small
// grammar of the things that go wrong between clients and servers, with
// inline code, emphasis and links mixed in.
type text struct{ r *rand.Rand }

var (
	subjects = []string{
		"the upstream server", "the client library", "a load balancer", "the connection pool",
		"the retry loop", "the TLS handshake", "a misconfigured proxy", "the health check",
		"the worker process", "the DNS resolver", "the session cache", "the request router",
		"the message broker", "the storage backend", "an expired certificate", "the rate limiter",
		"the database driver", "the service mesh sidecar", "a stale configuration file", "the scheduler",
	}
	verbs = []string{
		"rejects", "drops", "delays", "rewrites", "logs", "retries", "times out on", "misreads",
		"buffers", "forwards", "truncates", "caches", "refuses", "duplicates", "reorders", "holds on to",
	}
	objects = []string{
		"the request", "the response headers", "the idle connection", "every second call",
		"the payload", "the authentication token", "the keep-alive socket", "the batch of writes",
		"the handshake", "the first byte", "the compressed body", "the trailing metadata",
		"the transaction", "the lease", "the health probe", "the redirect",
	}
	tails = []string{
		"under load", "after a deploy", "when the cache is cold", "during a failover",
		"before the deadline", "for large bodies", "on every restart", "once the pool is empty",
		"while the leader is elected", "behind a corporate proxy", "at the top of the hour",
		"when two regions disagree", "after the certificate rotates", "for one tenant only",
	}
	fillers = []string{
		"In practice", "Most of the time", "On a busy system", "Less often", "In our experience",
		"As a rule", "Surprisingly often", "In staging as in production",
	}
	identifiers = []string{
		"max_retries", "timeout_ms", "keepalive", "pool_size", "proxy_read_timeout", "idle_timeout",
		"max_body_size", "retry_backoff", "worker_connections", "statement_timeout", "ssl_verify",
		"lease_ttl", "queue_depth", "read_buffer", "upstream_hash", "client_id",
	}
	titleWords = []string{
		"Stale", "Upstream", "Session", "Quota", "Reset", "Refused", "Expired", "Invalid", "Missing",
		"Conflict", "Gateway", "Token", "Frame", "Overflow", "Lease", "Handshake", "Partition",
		"Replica", "Deadline", "Payload", "Cursor", "Channel", "Route", "Schema", "Mismatch",
		"Locked", "Throttled", "Denied", "Corrupt", "Orphaned", "Pending", "Timeout",
	}
	headings = []string{
		"Reading the logs", "Check the backend directly", "Why it happens under load",
		"Configuration that avoids it", "Reproducing it locally", "What the client sees",
		"Monitoring and alerts", "When retrying is safe", "Differences between versions",
		"A checklist for on-call",
	}
	commands = []string{
		"curl -sv https://api.example.com/health", "journalctl -u app --since \"10 min ago\"",
		"tail -n 50 /var/log/app/error.log", "ss -tnp state established", "dig +short api.example.com",
		"openssl s_client -connect api.example.com:443", "kubectl logs deploy/app --tail=100",
		"psql -c 'select now()'",
	}
)

func (t text) word(list []string) string { return list[t.r.IntN(len(list))] }

// title is n capitalised words, none repeated.
func (t text) title(n int) string {
	var words []string
	for _, i := range t.r.Perm(len(titleWords))[:n] {
		words = append(words, titleWords[i])
	}
	return strings.Join(words, " ")
}

// clause is a sentence without its capital or full stop, with inline
// Markdown now and then.
func (t text) clause() string {
	obj := t.word(objects)
	switch t.r.IntN(8) {
	case 0:
		obj += " when `" + t.word(identifiers) + "` is too low"
	case 1:
		obj = "*" + obj + "*"
	case 2:
		obj += " (see [the runbook](https://runbooks.example.com/" + t.word(identifiers) + "))"
	}
	return t.word(subjects) + " " + t.word(verbs) + " " + obj + " " + t.word(tails)
}

func (t text) sentence() string {
	s := t.clause()
	if t.r.IntN(3) == 0 {
		s = t.word(fillers) + ", " + s
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// plainSentence has no Markdown, for summaries and questions.
func (t text) plainSentence() string {
	s := t.word(subjects) + " " + t.word(verbs) + " " + t.word(objects) + " " + t.word(tails)
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// summary is one line of at most 160 characters.
func (t text) summary(name string) string {
	for {
		p := t.plainSentence()
		s := name + ": " + strings.ToLower(p[:1]) + p[1:]
		if len(s) <= 160 {
			return s
		}
	}
}

func (t text) items(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = t.sentence()
	}
	return out
}

func (t text) steps(n int) []string {
	out := make([]string, n)
	for i := range out {
		switch t.r.IntN(3) {
		case 0:
			out[i] = "Run `" + t.word(commands) + "` and compare the result with the last good run"
		case 1:
			out[i] = "Raise `" + t.word(identifiers) + "` and watch whether " + t.word(subjects) + " recovers"
		default:
			out[i] = "Check whether " + t.clause()
		}
	}
	return out
}

func (t text) paragraph(sentences int) string {
	var s []string
	for range sentences {
		s = append(s, t.sentence())
	}
	return strings.Join(s, " ")
}

func (t text) request(coll, code string) string {
	return fmt.Sprintf("POST /api/%s/orders HTTP/1.1\nHost: shop.example.com\nContent-Type: application/json\nX-Request-Id: %s-%04d\n", coll, strings.ToLower(code), t.r.IntN(10000))
}

func (t text) response(code, name string) string {
	return fmt.Sprintf("HTTP/1.1 502 Bad Gateway\nContent-Type: application/problem+json\nX-Error-Code: %s\n\n{\"code\": %q, \"title\": %q}\n", code, code, name)
}

// body is the Markdown below the front matter: three or four sections with
// paragraphs, a bulleted and a numbered list, a table and a fenced code
// block, between MinWords and MaxWords words long.
func (t text) body(coll, code string) string {
	r := t.r
	heads := r.Perm(len(headings))[:3+r.IntN(2)]
	paras := make([][]string, len(heads)) // sentences under each heading
	var fixed strings.Builder             // everything but the paragraphs, to count

	bullets := make([]string, 3+r.IntN(3))
	for i := range bullets {
		bullets[i] = "- " + t.sentence()
	}
	numbered := t.steps(3 + r.IntN(2))
	for i := range numbered {
		numbered[i] = fmt.Sprintf("%d. %s.", i+1, numbered[i])
	}
	var table strings.Builder
	table.WriteString("| Setting | Default | What it changes |\n|---|---|---|\n")
	for _, i := range r.Perm(len(identifiers))[:3+r.IntN(3)] {
		fmt.Fprintf(&table, "| `%s` | %d | %s |\n", identifiers[i], 1+r.IntN(120), t.clause())
	}
	var block strings.Builder
	block.WriteString("```console\n")
	for range 2 + r.IntN(2) {
		fmt.Fprintf(&block, "$ %s\n", t.word(commands))
	}
	fmt.Fprintf(&block, "%s code=%s retry=%d\n```\n", coll, code, r.IntN(5))
	for _, h := range heads {
		fixed.WriteString(headings[h] + "\n")
	}
	for _, s := range []string{strings.Join(bullets, "\n"), strings.Join(numbered, "\n"), table.String(), block.String()} {
		fixed.WriteString(s + "\n")
	}

	target := MinWords + 30 + r.IntN(MaxWords-MinWords-60)
	words := countWords(fixed.String())
	for i := 0; words < target; i++ {
		s := t.sentence()
		paras[i%len(paras)] = append(paras[i%len(paras)], s)
		words += countWords(s)
	}

	var b strings.Builder
	for i, h := range heads {
		fmt.Fprintf(&b, "## %s\n\n%s\n\n", headings[h], strings.Join(paras[i], " "))
		switch i {
		case 0:
			b.WriteString(strings.Join(bullets, "\n") + "\n\n")
		case 1:
			b.WriteString(table.String() + "\n" + block.String() + "\n")
		case 2:
			b.WriteString(strings.Join(numbered, "\n") + "\n\n")
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// CountWords counts the words of Markdown text: runs of non-space
// characters holding at least one letter or digit, so that list markers,
// table pipes and fences do not count.
func CountWords(s string) int { return countWords(s) }

func countWords(s string) int {
	n := 0
	for _, f := range strings.Fields(s) {
		if strings.ContainsFunc(f, func(c rune) bool {
			return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		}) {
			n++
		}
	}
	return n
}
