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

// resolve returns the mention the pronoun at unit k stands for, never one
// of exclude (the subjects of its verb), or -1. "I", "me" and "my" are the
// speaker of the turn; "he",
// "him", "his", "she" and "her" the one person named earlier in the
// sentence, or else the subject or only person of one of the sentences
// before, within antecedentSentences and the paragraph.
func (r *relater) resolve(k int, exclude []int) int {
	us := r.units
	if pronounOf(us[k].w) == pronI {
		return r.speaker
	}
	ok := func(m int) bool {
		for _, x := range exclude {
			if m == x || strings.EqualFold(r.ms[m].Text, r.ms[x].Text) {
				return false // "him" is not the one who acts
			}
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
		if us[j].m >= 0 && r.ms[us[j].m].Type == mosaic.Person && !r.vocative(j) && !r.coSubject(j, exclude) {
			here = append(here, us[j].m)
		}
	}
	// Nor is it anyone named before a person left unnamed: in "a teenager
	// … confronted White, who stabbed him", him is the teenager.
	clear := func(m int) int {
		if m >= 0 && r.unnamedBetween(r.ms[m].End, us[k].start, genderOf(us[k].w)) {
			return -1
		}
		return m
	}
	if m, done := pick(here); done {
		return clear(m)
	}
	for i := r.cur - 1; i >= 0 && i >= r.cur-antecedentSentences; i-- {
		if r.info[i+1].para {
			break
		}
		if s := r.info[i].subj; s >= 0 && ok(s) {
			return clear(s)
		}
		if m, done := pick(r.info[i].persons); done {
			return clear(m)
		}
	}
	return -1
}

// coSubject reports whether the mention at unit j stands with one of subj
// as a subject of the same verb: "Pope John Paul II and Israeli Foreign
// Minister David Levy sent her". Only "and", commas and capitalised words
// (titles) may lie between them.
func (r *relater) coSubject(j int, subj []int) bool {
	us := r.units
	for _, s := range subj {
		if r.ms[s].Start <= us[j].start {
			continue
		}
		k := j + 1
		for ; k < len(us) && us[k].m != s; k++ {
			if u := us[k]; u.m < 0 && u.w != "and" && u.w != "," && u.w == r.text[u.start:u.end] {
				break // a lower-case word: "Weizman scheduled … after Arafat sent him"
			}
		}
		if k < len(us) && us[k].m == s {
			return true
		}
	}
	return false
}

// unnamedPerson is a noun for a person the text does not name, at byte
// offset pos.
type unnamedPerson struct {
	pos int
	g   gender
}

// gender is what a noun or a pronoun says of a person's sex: "he" cannot
// stand for "his mother".
type gender uint8

const (
	anyGender gender = iota + 1
	male
	female
)

func genderOf(pronoun string) gender {
	switch pronoun {
	case "he", "him", "his":
		return male
	case "she", "her":
		return female
	}
	return anyGender
}

// unnamedBetween reports an unnamed person of a gender g allows between
// byte offsets from and to.
func (r *relater) unnamedBetween(from, to int, g gender) bool {
	i, _ := slices.BinarySearchFunc(r.unnamed, from, func(u unnamedPerson, from int) int { return u.pos - from })
	for ; i < len(r.unnamed) && r.unnamed[i].pos < to; i++ {
		if u := r.unnamed[i].g; u == anyGender || g == anyGender || u == g {
			return true
		}
	}
	return false
}

// named reports whether the person noun at unit k is given a name beside it:
// "the attacker, Zakaria Mansour", "Karim Bouzidi, a student", "an officer
// called Daniel Whitcombe", "Officer Daniel Whitcombe", "X is a courier".
func (r *relater) named(k int) bool {
	us := r.units
	j := k + 1
	switch r.word(j) {
	case ",", "called", "named":
		j++
	}
	if j < len(us) && r.is(j, tPerson) {
		return true
	}
	j = k - 1
	for n := 0; j >= 0 && us[j].m < 0 && (us[j].class&(cDet|cRoleAdj) != 0 || us[j].class == 0 && n < 3); n++ {
		j-- // "Michael Penrose, a 23-year-old aid worker"
	}
	if w := r.word(j); w == "," || j >= 0 && us[j].class&cBe != 0 {
		j-- // "Omar Khalil is a courier"
	}
	return j >= 0 && r.is(j, tPerson)
}

// personNouns name one person without naming him, with the gender they
// imply; see relater.unnamed.
var personNouns = map[string]gender{}

func init() {
	for _, c := range []struct {
		g     gender
		words string
	}{
		{anyGender, "teenager youth child officer soldier victim suspect driver student friend " +
			"player attacker gunman assailant worker owner manager guard bodyguard witness " +
			"neighbour neighbor doctor lawyer judge journalist reporter customer passenger " +
			"shopkeeper colleague teacher prisoner detainee informant courier recruit cousin " +
			"stranger person individual"},
		{male, "man boy policeman brother father son husband uncle nephew"},
		{female, "woman girl policewoman sister mother daughter wife aunt niece"},
	} {
		for _, w := range strings.Fields(c.words) {
			personNouns[w] = c.g
		}
	}
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
