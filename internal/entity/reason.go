package entity

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// A reason is written once, at ingest, against every document in the
// store, but read by users who see only some of them. What a reason quotes
// comes from one of two places: the mention's own document (its other
// name here, a title, the sentence that states an alias, the names and
// identifiers beside it), which whoever reads the reason sees, since a
// reason is shown only with a mention of a document in the reader's
// scope; or the names of earlier documents that matched (the "name
// matches" of resolve.go and evidence.go), which may be another agency's.
// RedactReason keeps the first and hides the second unless the reader's
// documents use that name too.

// AnotherSpelling stands, in a redacted reason, for a quoted name the
// reader's documents do not use.
const AnotherSpelling = "another spelling"

// quoted matches one Go-quoted string, as %q writes it.
const quoted = `"(?:[^"\\]|\\.)*"`

// The reasons of a weak name (resolveWeak), whose evidence lists what the
// mention's document shares with the candidate's context, which may lie in
// documents the reader does not see.
var (
	contextReason = regexp.MustCompile(`^` + regexp.QuoteMeta(ReasonContext) + `: (` + quoted + `)(?:, by its other name here (` + quoted + `),)? matches (` + quoted +
		`) \(score ([0-9.]+)\); (.*): evidence ([0-9.]+); confidence ([0-9.]+)$`)
	unmatchedReason = regexp.MustCompile(`^first seen here: (` + quoted + `)(?:, by its other name here (` + quoted + `),)? names no one by itself, and the context here does not tie it to (` +
		quoted + `) \((.*): evidence ([0-9.]+), needs ([0-9.]+)\)$`)
)

// splitReason matches the reason a split gives the mentions it moves:
// "split from entity 127 (judgement 2)", or in a store written before
// splits stopped recording them, followed by " by ANALYST" and ": REASON".
var splitReason = regexp.MustCompile(`^split from entity ([0-9]+)(?: by .*?)? \(judgement ([0-9]+)\)`)

// ownQuote lists what precedes a quote taken from the mention's own
// document.
var ownQuote = []string{"other name here ", "with the title "}

// withinReasons lists the reasons that tie a mention to another of its
// own document (coref.go): all they quote, the other mention, a title and
// the sentence stating an alias, is that document's text.
var withinReasons = []string{ReasonSurname, ReasonGiven, ReasonLabel, ReasonPart, ReasonAcronym, ReasonAlias, ReasonBracket, ReasonRepeated}

// RedactReason rewrites a reason resolution gave for tying a mention to
// an entity, for a reader who sees only some documents, one of which
// holds the mention. A quoted name from elsewhere is kept only if
// visible(name) says the reader's documents use it, and becomes
// AnotherSpelling otherwise; the evidence of a weak name keeps only how
// many identifiers, names and places it shares, not which, since the
// documents it shares them with may be out of sight. A watchlist reason
// quotes only the mention and the list, and is kept as it is; a split's
// names no analyst or their reason, even one an older store recorded. A
// reason of no known form keeps its text up to its first quote that cannot
// be read.
func RedactReason(why string, visible func(name string) bool) string {
	lines := strings.Split(why, "\n")
	for i, line := range lines {
		// A split's reason goes on with the reason before it, "was: …".
		head := ""
		if rest, ok := strings.CutPrefix(line, "was: "); ok {
			head, line = "was: ", rest
		}
		lines[i] = head + redactLine(line, visible)
	}
	return strings.Join(lines, "\n")
}

// redactLine redacts one line of a reason (RedactReason).
func redactLine(line string, visible func(string) bool) string {
	if strings.HasPrefix(line, ReasonWatchlist+" ") {
		return line
	}
	if strings.HasPrefix(line, "split from entity") {
		// An analyst's name and reason are their agency's own.
		if m := splitReason.FindStringSubmatch(line); m != nil {
			return fmt.Sprintf("split from entity %s (judgement %s)", m[1], m[2])
		}
		return "split from entity"
	}
	// name keeps the mention's own spelling, and a name from elsewhere
	// only if visible.
	name := func(q string, own bool) string {
		s, err := strconv.Unquote(q)
		switch {
		case err != nil:
			return AnotherSpelling
		case own || visible(s):
			return q
		}
		return AnotherSpelling
	}
	if m := contextReason.FindStringSubmatch(line); m != nil {
		what := name(m[1], true)
		if m[2] != "" {
			what += ", by its other name here " + name(m[2], true) + ","
		}
		return fmt.Sprintf("%s: %s matches %s (score %s); %s: evidence %s; confidence %s",
			ReasonContext, what, name(m[3], false), m[4], evidenceCounts(m[5]), m[6], m[7])
	}
	if m := unmatchedReason.FindStringSubmatch(line); m != nil {
		what := name(m[1], true)
		if m[2] != "" {
			what += ", by its other name here " + name(m[2], true) + ","
		}
		return fmt.Sprintf("first seen here: %s names no one by itself, and the context here does not tie it to %s (%s: evidence %s, needs %s)",
			what, name(m[3], false), evidenceCounts(m[4]), m[5], m[6])
	}
	if strings.HasPrefix(line, ReasonContext) || strings.HasPrefix(line, "first seen here:") {
		// A weak name's reason of no form known here: its evidence
		// cannot be told from the rest.
		return strings.SplitN(line, ":", 2)[0]
	}
	within := false
	for _, r := range withinReasons {
		if rest, ok := strings.CutPrefix(line, r); ok && rest != "" && strings.ContainsRune(":,;", rune(rest[0])) {
			within = true
		}
	}
	var b strings.Builder
	for rest := line; rest != ""; {
		i := strings.IndexByte(rest, '"')
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		q, err := strconv.QuotedPrefix(rest[i:])
		if err != nil {
			// What follows cannot be told apart from quoted text.
			b.WriteString("…")
			break
		}
		rest = rest[i+len(q):]
		before, own := b.String(), within
		for _, p := range ownQuote {
			own = own || strings.HasSuffix(before, p)
		}
		b.WriteString(name(q, own))
	}
	return b.String()
}

// evidenceCounts renders a weak name's evidence ("identifiers +32 2 555
// 0147; named beside it in both Karim Saleh") as how much of each kind it
// shares ("1 identifier; 1 name beside it in both").
func evidenceCounts(ev string) string {
	if ev == "nothing shared" {
		return ev
	}
	kinds := []struct{ prefix, one, many string }{
		{"identifiers ", "identifier", "identifiers"},
		{"named beside it in both ", "name beside it in both", "names beside it in both"},
		{"places ", "place", "places"},
	}
	var parts []string
	// Each list runs up to the next kind's prefix: the items are the
	// document's own text and may hold "; " themselves.
	for k, kind := range kinds {
		i := strings.Index(ev, kind.prefix)
		if i < 0 || (i > 0 && !strings.HasSuffix(ev[:i], "; ")) {
			continue
		}
		list := ev[i+len(kind.prefix):]
		for _, next := range kinds[k+1:] {
			if j := strings.Index(list, "; "+next.prefix); j >= 0 {
				list = list[:j]
			}
		}
		n := strings.Count(list, ", ") + 1
		word := kind.many
		if n == 1 {
			word = kind.one
		}
		parts = append(parts, fmt.Sprintf("%d %s", n, word))
	}
	if len(parts) == 0 {
		return "context shared"
	}
	return strings.Join(parts, "; ")
}
