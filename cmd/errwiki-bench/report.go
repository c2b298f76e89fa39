package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// stats summarise the samples of one tool.
type stats struct {
	Median, Min, Max time.Duration
	CPU              time.Duration // median user+system time
	MaxRSS           int64         // KiB, the highest of all runs
}

func summarize(samples []sample) stats {
	if len(samples) == 0 {
		return stats{}
	}
	walls := make([]time.Duration, len(samples))
	cpus := make([]time.Duration, len(samples))
	var st stats
	for i, s := range samples {
		walls[i], cpus[i] = s.Wall, s.CPU
		st.MaxRSS = max(st.MaxRSS, s.MaxRSS)
	}
	slices.Sort(walls)
	st.Min, st.Max = walls[0], walls[len(walls)-1]
	st.Median, st.CPU = median(walls), median(cpus)
	return st
}

func median[T time.Duration | float64](x []T) T {
	x = slices.Sorted(slices.Values(x))
	if n := len(x); n%2 == 1 {
		return x[n/2]
	}
	return (x[len(x)/2-1] + x[len(x)/2]) / 2
}

// printTable prints one corpus size's results. Ratios are of medians: to the
// first Hugo's full build, and to the floor run doing the same kind of work
// (render+write for tools that write a tree, render only for the others).
func printTable(w io.Writer, articles, pages int, tools []*tool) {
	byName := map[string]stats{}
	var hugo stats
	for _, t := range tools {
		byName[t.name] = summarize(t.samples)
		if t.hugo && t.err == nil {
			hugo = byName[t.name]
		}
	}
	// A build that writes is compared with the floor that highlights and
	// writes, as errwiki does, when it ran.
	floorWrite, floorRender := byName["floor render+write"], byName["floor render"]
	if hl, ok := byName["floor render+highlight+write"]; ok && hl.Median > 0 {
		floorWrite = hl
	}

	fmt.Fprintf(w, "%d articles (%d pages), %d rounds\n", articles, pages, maxRounds(tools))
	// Numbers align right; names are padded to one width so they align left.
	width := len("tool")
	for _, t := range tools {
		width = max(width, len(t.name))
	}
	var table strings.Builder
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-*s\tpages\tfiles\tmedian\tmin\tmax\tspread\tCPU\tpeak RSS\tRSS/article\tpages/s\t× hugo\t× floor\t\n", width, "tool")
	var failures []string
	for _, t := range tools {
		if t.err != nil {
			fmt.Fprintf(tw, "%-*s\t-\t-\tfailed\t\t\t\t\t\t\t\t\t\t\n", width, t.name)
			msg, _, _ := strings.Cut(t.err.Error(), "\n")
			failures = append(failures, t.name+" failed: "+msg)
			continue
		}
		st := byName[t.name]
		floor := floorRender
		if t.writes {
			floor = floorWrite
		}
		files := "-"
		if t.files > 0 {
			files = fmt.Sprint(t.files)
		}
		fmt.Fprintf(tw, "%-*s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%.0f MiB\t%.1f KiB\t%.0f\t%s\t%s\t\n",
			width, t.name, t.pages, files, secs(st.Median), secs(st.Min), secs(st.Max),
			spread(st), secs(st.CPU), float64(st.MaxRSS)/1024, float64(st.MaxRSS)/float64(articles),
			float64(t.pages)/st.Median.Seconds(), ratio(st.Median, hugo.Median), ratio(st.Median, floor.Median))
	}
	tw.Flush()
	for line := range strings.Lines(table.String()) {
		fmt.Fprintln(w, strings.TrimRight(line, " \n"))
	}
	for _, f := range failures {
		fmt.Fprintln(w, f)
	}
	printPaired(w, tools)
}

// printPaired prints the ratios the targets are about round by round: each
// divides two runs of the same round, so a drift of the machine's speed
// that slows both cancels out.
func printPaired(w io.Writer, tools []*tool) {
	byName := map[string][]sample{}
	var hugo []sample
	var hugos [][]sample
	for _, t := range tools {
		byName[t.name] = t.samples
		if t.hugo {
			hugo = t.samples
		}
		if t.hugos {
			hugos = append(hugos, t.samples)
		}
	}
	build := byName["errwiki build"]
	lines := []struct {
		name string
		a    []sample
		b    [][]sample // a's sample of a round is divided by the largest of these
	}{
		{"hugo / errwiki build", hugo, [][]sample{build}},
		{"fastest hugo / errwiki build", fastest(hugos), [][]sample{build}},
		{"errwiki build / floor render+write", build, [][]sample{byName["floor render+write"]}},
		{"errwiki build / floor render+highlight+write", build, [][]sample{byName["floor render+highlight+write"]}},
		{"errwiki build -dry-run / floor render", byName["errwiki build -dry-run"], [][]sample{byName["floor render"]}},
		{"errwiki rebuild, 1 changed / errwiki build", byName["errwiki rebuild, 1 changed"], [][]sample{build}},
		{"errwiki rebuild, 1 summary changed / errwiki build", byName["errwiki rebuild, 1 summary changed"], [][]sample{build}},
	}
	header := false
	for _, l := range lines {
		r := paired(l.a, l.b)
		if len(r) == 0 {
			continue
		}
		if !header {
			fmt.Fprintln(w, "ratios within each round (median, min-max):")
			header = true
		}
		fmt.Fprintf(w, "  %s: %.2f, %.2f-%.2f\n", l.name, median(r), slices.Min(r), slices.Max(r))
	}
}

// paired divides a's sample of each round by the largest of the bs'
// samples of that round, for the rounds all of them ran.
func paired(a []sample, bs [][]sample) []float64 {
	n := len(a)
	for _, b := range bs {
		n = min(n, len(b))
	}
	r := make([]float64, 0, n)
	for i := range n {
		var bound time.Duration
		for _, b := range bs {
			bound = max(bound, b[i].Wall)
		}
		if bound > 0 {
			r = append(r, float64(a[i].Wall)/float64(bound))
		}
	}
	return r
}

// fastest returns, round by round, the fastest of several tools' samples,
// when there are several.
func fastest(tools [][]sample) []sample {
	if len(tools) < 2 {
		return nil
	}
	n := len(tools[0])
	for _, t := range tools {
		n = min(n, len(t))
	}
	r := make([]sample, n)
	for i := range r {
		r[i] = tools[0][i]
		for _, t := range tools[1:] {
			if t[i].Wall < r[i].Wall {
				r[i] = t[i]
			}
		}
	}
	return r
}

func maxRounds(tools []*tool) int {
	n := 0
	for _, t := range tools {
		n = max(n, len(t.samples))
	}
	return n
}

func secs(d time.Duration) string { return fmt.Sprintf("%.3fs", d.Seconds()) }

// spread is the range of the runs as a share of their median.
func spread(st stats) string {
	if st.Median == 0 {
		return "-"
	}
	return fmt.Sprintf("±%.0f%%", 50*float64(st.Max-st.Min)/float64(st.Median))
}

func ratio(d, base time.Duration) string {
	if base == 0 || d == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", float64(d)/float64(base))
}

func printLegend(w io.Writer, usedTime bool) {
	rss := "peak RSS from /usr/bin/time -v (the process and its children)"
	if !usedTime {
		rss = "peak RSS from wait4's rusage"
	}
	fmt.Fprintln(w, `median, min, max: wall clock of the whole process, page cache warm, output directory new and
  no build cache beside it (old outputs are renamed into a trash directory, deleted after the last run)
spread: (max - min) / 2, as a share of the median
CPU: median user+system time of the process and its children, on every core
`+rss+`, the highest of all rounds
RSS/article: peak RSS / articles
pages/s: pages / median; pages = articles + collections + home + 404 (the floor: articles)
× hugo: median / median of the full Hugo build; × floor: median / median of "floor
  render+highlight+write" for tools that write a tree, of "floor render" for the others
floor: parses the front matter and renders the Markdown with goldmark on every core, writing
  each article's HTML with +write, and highlighting its code with chroma with +highlight
rebuild, 1 changed: a build into the output (and with the cache) of a previous build after one
  article's body changed; only the second build is timed. 1 summary changed: after a change of
  its summary instead, which every page that lists the article and the search index show
cp -r (built tree): copies a tree errwiki built, as many files as a build writes
ratios within each round: the targets' ratios, each of two runs of the same round, so that a
  drift of the machine's speed between rounds cancels out; median and range over the rounds;
  fastest hugo: with several Hugo binaries, the fastest full build of each round`)
}
