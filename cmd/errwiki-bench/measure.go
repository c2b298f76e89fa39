package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// A sample is one timed run of a whole process.
type sample struct {
	Wall    time.Duration // measured here, around the process
	TimeCmd time.Duration // "Elapsed (wall clock)" of /usr/bin/time -v, when used
	MaxRSS  int64         // peak resident set size, in KiB
	CPU     time.Duration // user and system time of the process and its children
}

// timer runs commands and measures them: with /usr/bin/time -v when the
// machine has it, from the child's rusage otherwise.
type timer struct {
	timeBin string // "" when /usr/bin/time is missing
	report  string // file /usr/bin/time writes its report to
}

func newTimer(work string) *timer {
	t := &timer{report: filepath.Join(work, "time-report.txt")}
	if _, err := os.Stat("/usr/bin/time"); err == nil {
		t.timeBin = "/usr/bin/time"
	}
	return t
}

// run runs argv to completion in dir and measures it. Wall time is taken
// here in any case: /usr/bin/time reports it in hundredths of a second only,
// too coarse for runs of a tenth of a second; its figure is kept to check
// this one.
func (t *timer) run(dir string, argv ...string) (sample, error) {
	full := argv
	if t.timeBin != "" {
		full = append([]string{t.timeBin, "-v", "-o", t.report}, argv...)
	}
	cmd := exec.Command(full[0], full[1:]...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return sample{}, fmt.Errorf("%s: %v\n%s", strings.Join(argv, " "), err, tail(out.String(), 20))
	}
	s := sample{Wall: wall, CPU: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
	if t.timeBin == "" {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			s.MaxRSS = ru.Maxrss // KiB on Linux
		}
		return s, nil
	}
	report, err := os.ReadFile(t.report)
	if err != nil {
		return sample{}, err
	}
	s.TimeCmd, s.MaxRSS, err = parseTimeReport(report)
	return s, err
}

// parseTimeReport reads the wall time and peak RSS (KiB) out of the report
// of GNU time's -v.
func parseTimeReport(report []byte) (wall time.Duration, maxRSS int64, err error) {
	var haveWall, haveRSS bool
	sc := bufio.NewScanner(bytes.NewReader(report))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		key, value, ok := strings.Cut(line, "): ")
		if !ok {
			key, value, ok = strings.Cut(line, ": ")
		}
		if !ok {
			continue
		}
		switch {
		case strings.HasPrefix(key, "Elapsed (wall clock) time"):
			if wall, err = parseClock(value); err != nil {
				return 0, 0, fmt.Errorf("time report: %w", err)
			}
			haveWall = true
		case strings.HasPrefix(key, "Maximum resident set size"):
			if maxRSS, err = strconv.ParseInt(value, 10, 64); err != nil {
				return 0, 0, fmt.Errorf("time report: maximum resident set size %q: %w", value, err)
			}
			haveRSS = true
		}
	}
	if !haveWall || !haveRSS {
		return 0, 0, fmt.Errorf("time report has no wall time or maximum resident set size:\n%s", report)
	}
	return wall, maxRSS, nil
}

// parseClock reads GNU time's "h:mm:ss" or "m:ss.cc".
func parseClock(s string) (time.Duration, error) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, fmt.Errorf("wall clock %q is not [h:]m:ss", s)
	}
	var d time.Duration
	for i, p := range parts {
		unit := time.Minute
		if i == len(parts)-1 {
			unit = time.Second
		} else if len(parts) == 3 && i == 0 {
			unit = time.Hour
		}
		f, err := strconv.ParseFloat(p, 64)
		if err != nil || f < 0 {
			return 0, fmt.Errorf("wall clock %q is not [h:]m:ss", s)
		}
		d += time.Duration(f * float64(unit))
	}
	return d, nil
}

func tail(s string, lines int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(l) > lines {
		l = l[len(l)-lines:]
	}
	return strings.Join(l, "\n")
}
