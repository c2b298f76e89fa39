package content

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// DateSlack is how many days an article's file may change after its
// `updated` date before Load warns (see Options.Changed). Some edits do not matter to
// readers (a typo, a reformatted list), and a commit made after midnight
// belongs to the same piece of work.
const DateSlack = 2

// ErrNoHistory is returned by GitDates when dir is not in a git checkout
// whose history is whole: without one, the dates it would give are wrong.
var ErrNoHistory = errors.New("not a git checkout with full history")

// GitDates returns the day each file under dir's content/ last changed: the
// committer date of the newest commit touching it, or today for a tracked
// file with changes not yet committed. Keys are paths relative to dir, as in
// Article.File. A shallow clone gives ErrNoHistory, since every file would
// seem to change in its one commit.
func GitDates(dir string, today time.Time) (map[string]time.Time, error) {
	git := func(args ...string) ([]byte, error) {
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("git %s: %w: %s", args[0], err, strings.TrimSpace(stderr.String()))
		}
		return out, nil
	}
	shallow, err := git("rev-parse", "--is-shallow-repository")
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrNoHistory, err)
	}
	if strings.TrimSpace(string(shallow)) != "false" {
		return nil, fmt.Errorf("%w: the clone is shallow", ErrNoHistory)
	}
	log, err := git("log", "-z", "--format=%cs", "--name-only", "--relative", "--", "content")
	if err != nil {
		return nil, err
	}
	dates, err := parseGitLog(log)
	if err != nil {
		return nil, err
	}
	diff, err := git("diff", "-z", "--name-only", "--relative", "HEAD", "--", "content")
	if err != nil {
		return nil, err
	}
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	for _, f := range strings.Split(string(diff), "\x00") {
		if f != "" {
			dates[f] = day
		}
	}
	return dates, nil
}

// parseGitLog reads the output of `git log -z --format=%cs --name-only
// --relative -- content`: a date, then the paths that commit touched, each
// ended by NUL (the first after a newline). Every path starts with
// "content/", so any other field is a date. A file's date is its newest.
func parseGitLog(out []byte) (map[string]time.Time, error) {
	dates := make(map[string]time.Time)
	var day time.Time
	for _, f := range strings.Split(string(out), "\x00") {
		f = strings.TrimPrefix(f, "\n")
		switch {
		case f == "":
		case strings.HasPrefix(f, "content/"):
			if day.IsZero() {
				return nil, fmt.Errorf("git log: path %q before any date", f)
			}
			if day.After(dates[f]) {
				dates[f] = day
			}
		default:
			d, err := time.Parse(time.DateOnly, f)
			if err != nil {
				return nil, fmt.Errorf("git log: %q is neither a date nor a path under content/", f)
			}
			day = d
		}
	}
	return dates, nil
}

// staleDate reports whether a file dated updated but changed on changed
// has gone more than slack days without its date following.
func staleDate(updated, changed time.Time, slack int) bool {
	return changed.After(updated.AddDate(0, 0, slack))
}

// checkDates warns about each article whose file changed more than
// DateSlack days after its `updated` date, given the day each file last
// changed (Options.Changed). Articles without a date or a known change are left
// alone. The warning asks a person to judge: bump `updated` if the change
// matters to a reader.
func checkDates(s *Site, changed map[string]time.Time) ErrorList {
	var warns ErrorList
	for _, a := range s.Articles() {
		day, ok := changed[a.File]
		if !ok || a.Updated.IsZero() || !staleDate(a.Updated.Time, day, DateSlack) {
			continue
		}
		c := checker{a.File, a.pos, &warns}
		c.fail("updated", "%s, but the file changed in git on %s; if that change matters to a reader, set updated: %[2]s",
			a.Updated.Format(time.DateOnly), day.Format(time.DateOnly))
	}
	return warns.sorted()
}
