package extract

// References: the speaker of "I", the person of "he" and "him", the group
// of "the group" and "its".

import (
	"slices"
	"strings"

	"mosaic"
)

// markGroup notes the mention the word "group" at unit k names: "the
// group, Jama'at Ansar al-Thughur", "a group called X", "X, the group that
// …", "X is a Syrian-based group".
func (r *relater) markGroup(k int) {
	us := r.units
	const types = tOrg | tMisc | tPerson
	if r.word(k+1) == "'s" {
		return
	}
	j := k + 1
	switch r.word(j) {
	case ",", "called", "named":
		j++
	case "known":
		if r.word(j+1) == "as" {
			j += 2
		}
	}
	if j < len(us) && r.is(j, types) {
		r.know(us[j].m)
		return
	}
	j = k - 1
	for n := 0; n < 2 && j >= 0 && us[j].m < 0 && us[j].class == 0 && !isAdverb(us[j].w); n++ {
		j-- // "a Syrian-based militant group"
	}
	switch r.word(j) {
	case "the", "a", "an":
		j--
	}
	switch r.word(j) {
	case ",", "is", "was", "remains", "became":
		j--
	}
	if j >= 0 && r.is(j, types) {
		r.know(us[j].m)
	}
}

func (r *relater) know(m int) { r.known[strings.ToLower(r.ms[m].Text)] = true }

// groupRef stands for "the group" or "its" at byte offset pos in an
// argument of the relation out[rel].
type groupRef struct {
	rel, pos int
	to       bool // the reference is To, not From
}

// refAt encodes a reference to the group at byte offset pos as an argument:
// a negative number below -1, which finish resolves.
func refAt(pos int) int { return -2 - pos }

func isRef(m int) bool { return m <= -2 }

// vocative reports whether the mention at unit k names the one spoken to:
// "Did you meet him in Brussels, Karim?", "Zakaria, you are still under
// caution."
func (r *relater) vocative(k int) bool {
	us := r.units
	if k > 0 && us[k-1].w == "," && (k+1 == len(us) || us[k+1].class&cPunct != 0) {
		return true
	}
	return k == 0 && r.speaker >= 0 && k+1 < len(us) && us[k+1].w == ","
}

// resolve returns the mention the pronoun at unit k stands for, never
// exclude, or -1. "I", "me" and "my" are the speaker of the turn; "he",
// "him", "his", "she" and "her" the one person named earlier in the
// sentence, or else the subject or only person of one of the sentences
// before, within antecedentSentences and the paragraph.
func (r *relater) resolve(k, exclude int) int {
	us := r.units
	if pronounOf(us[k].w) == pronI {
		return r.speaker
	}
	ok := func(m int) bool {
		if m == exclude || (exclude >= 0 && strings.EqualFold(r.ms[m].Text, r.ms[exclude].Text)) {
			return false
		}
		// "Him" is not the one speaking.
		return r.speaker < 0 || !containsFold(r.ms[m].Text, r.ms[r.speaker].Text)
	}
	pick := func(persons []int) (int, bool) {
		found := -1
		for _, m := range persons {
			if !ok(m) {
				continue
			}
			if found >= 0 && !strings.EqualFold(r.ms[found].Text, r.ms[m].Text) {
				return -1, true // two people: ambiguous
			}
			found = m
		}
		return found, found >= 0
	}
	var here []int
	for j := 0; j < k; j++ {
		if us[j].m >= 0 && r.ms[us[j].m].Type == mosaic.Person && !r.vocative(j) {
			here = append(here, us[j].m)
		}
	}
	if m, done := pick(here); done {
		return m
	}
	for i := r.cur - 1; i >= 0 && i >= r.cur-antecedentSentences; i-- {
		if r.info[i+1].para {
			break
		}
		if s := r.info[i].subj; s >= 0 && ok(s) {
			return s
		}
		if m, done := pick(r.info[i].persons); done {
			return m
		}
	}
	return -1
}

// noteSubject records the sentence's subject, for "he" in the sentences
// after it.
func (r *relater) noteSubject(subj []int) {
	info := &r.info[r.cur]
	if info.subj < 0 && len(subj) > 0 && r.ms[subj[0]].Type == mosaic.Person {
		info.subj = subj[0]
	}
}

// groupAt returns what "the group" at byte offset pos stands for: the last
// of the known groups named before it, or else the first named after it;
// -1 if the text names none.
func (r *relater) groupAt(known []int, pos int) int {
	i, _ := slices.BinarySearchFunc(known, pos, func(m, pos int) int {
		if r.ms[m].End <= pos {
			return -1
		}
		return 1
	})
	switch {
	case i > 0:
		return known[i-1]
	case i < len(known):
		return known[i]
	}
	return -1
}

func containsFold(s, sub string) bool {
	return sub != "" && strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
