package ner

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"mosaic"
	"mosaic/internal/extract"
)

// Recognizer returns a recogniser backed by the embedded model, which it
// loads the first time it is used: building an extractor costs nothing to
// commands that never tag. It panics if the embedded model is corrupt, a
// build defect that TestEmbeddedModel catches.
func Recognizer() extract.Recognizer { return lazy{} }

type lazy struct{}

func (lazy) Recognize(a *extract.Analysis) []mosaic.Mention {
	m, err := Default()
	if err != nil {
		panic(err)
	}
	return m.Recognize(a)
}

// Recognize finds the people, organisations, places and other names (MISC)
// of a document. The whole Analysis is one document: what the first pass
// finds in one sentence informs the others.
//
// Beyond the model, it reads transcripts' speaker labels ("VANDAMME:",
// "DR. MBEKI:" at the start of a line) as people when they name someone the
// document mentions, or look like a name rather than a role ("ANCHOR:",
// "Q:", "UNIDENTIFIED MALE:"); takes titles off the front of a person
// ("Foreign Secretary Jane Doe" gives "Jane Doe"); and reads an
// organisation followed by "of" and a place, as in "Ministry of Defence of
// Iraq", as one organisation, the way CoNLL reads "Bank of England": the
// place says which ministry it is.
func (m *Model) Recognize(a *extract.Analysis) []mosaic.Mention {
	text := a.Text
	sents := make([][]string, len(a.Sentences))
	skip := make([]int, len(a.Sentences)) // speaker-label tokens before the tagged ones
	var labels []int
	for i, s := range a.Sentences {
		k := labelTokens(text, s)
		skip[i] = k
		if k > 0 {
			labels = append(labels, i)
		}
		toks := make([]string, len(s.Tokens)-k)
		for j, t := range s.Tokens[k:] {
			toks[j] = text[t.Start:t.End]
		}
		sents[i] = toks
	}
	tagged := m.TagDocument(sents)
	for i, spans := range tagged {
		s := a.Sentences[i]
		toks := s.Tokens[skip[i]:]
		words := sents[i]
		spans = dropFieldLabels(spans, words)
		spans = cutAtDashes(spans, words)
		spans = trimPrepositions(spans, words)
		spans = shipNames(spans, words)
		spans = trimOffices(spans, words, m.lex)
		spans = fixSpans(spans, words, m.lex)
		spans = knownGroups(spans, words)
		spans = arabicOrgs(spans, words)
		spans = joinSplitNames(spans, words, m.lex)
		spans = joinModifiedNames(spans, words)
		spans = acronymOrgs(spans, words)
		spans = splitCells(spans, toks, text)
		tagged[i] = joinArabicSurnames(spans, words, toks, text)
	}
	knownSurnames(tagged, sents, m.lex)
	var out []mosaic.Mention
	persons := map[string]bool{}
	for i, spans := range tagged {
		s := a.Sentences[i]
		toks := s.Tokens[skip[i]:]
		words := sents[i]
		for _, sp := range spans {
			if sp.Kind == PER {
				for _, w := range words[sp.Start:sp.End] {
					persons[strings.ToLower(w)] = true
				}
			}
			out = append(out, mosaic.Mention{
				Start:      toks[sp.Start].Start,
				End:        toks[sp.End-1].End,
				Type:       sp.Kind.MentionType(),
				Text:       text[toks[sp.Start].Start:toks[sp.End-1].End],
				Sentence:   s.Span,
				Confidence: sp.Confidence,
			})
		}
	}
	for _, i := range labels {
		s := a.Sentences[i]
		if mm, ok := m.speaker(text, s, skip[i], persons); ok {
			out = append(out, mm)
		}
	}
	if len(labels) > 0 {
		sortMentions(out)
	}
	return out
}

func sortMentions(ms []mosaic.Mention) {
	// Insertion sort: labels are few and the rest is already in order.
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && ms[j].Start < ms[j-1].Start; j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}

// fixSpans applies the conventions the model may miss: a kunya belongs to
// the name after it, one organisation for "Ministry of Defence of Iraq".
// (Titles and offices are off the front of people already: trimOffices.)
func fixSpans(spans []Span, words []string, lex *lexicon) []Span {
	// A kunya before a name belongs to it: "Abu Walid" when the model
	// found "Walid". A kunya, a name and an Arabic nisba ("Umm Khadija
	// al-Tunisiya") are a person whatever the model said; without the nisba
	// ("Abu Dhabi", "Umm Qasr") the model decides.
	for k := 0; k+1 < len(words); k++ {
		if !isKunya(words[k], lex) {
			continue
		}
		e := k + 1
		for e < len(words) && e-k <= 4 && (capitalised(words[e]) || nisba(words[e])) {
			e++
		}
		if e-k < 3 || !nisba(words[e-1]) {
			e = 0
		}
		for i := range spans {
			sp := &spans[i]
			switch {
			case e > 0 && sp.Start < e && sp.End > k && (sp.Start < k || sp.End > e):
				e = 0 // inside something longer: leave it
			case e == 0 && sp.Start == k+1 && sp.Kind == PER && (i == 0 || spans[i-1].End <= k):
				sp.Start = k
			}
		}
		if e == 0 {
			continue
		}
		kept := spans[:0]
		conf, overlaps := 1.0, false
		for _, sp := range spans {
			if sp.End <= k || sp.Start >= e {
				kept = append(kept, sp)
			} else {
				conf, overlaps = min(conf, sp.Confidence), true
			}
		}
		if !overlaps {
			conf = 0.7
		}
		spans = append(kept, Span{Start: k, End: e, Kind: PER, Confidence: conf})
		sortSpans(spans)
		k = e - 1
	}
	out := spans[:0]
	for i := 0; i < len(spans); i++ {
		sp := spans[i]
		if sp.Kind == ORG && i+1 < len(spans) {
			next := spans[i+1]
			if next.Kind == LOC && next.Start == sp.End+1 && strings.EqualFold(words[sp.End], "of") && hasOrgWord(words[sp.Start:sp.End], lex) {
				sp.End = next.End
				sp.Confidence = min(sp.Confidence, next.Confidence)
				i++
			}
		}
		out = append(out, sp)
	}
	return out
}

func isKunya(w string, lex *lexicon) bool {
	return capitalised(w) && lex.words.get(lowerHash(w))&clsKunya != 0
}

func capitalised(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

func sortSpans(spans []Span) {
	for a := 1; a < len(spans); a++ {
		for b := a; b > 0 && spans[b].Start < spans[b-1].Start; b-- {
			spans[b], spans[b-1] = spans[b-1], spans[b]
		}
	}
}

// nisba reports an Arabic name of origin: "al-Tunisiya", "el-Haddouchi",
// "Al-Maghribi".
func nisba(w string) bool {
	var a atom
	analyze(w, &a, nil)
	return a.flags&flagArabic != 0
}

func hasOrgWord(words []string, lex *lexicon) bool {
	for _, w := range words {
		if lex.words.get(lowerHash(w))&clsOrgWord != 0 {
			return true
		}
	}
	return false
}

// labelTokens returns the number of tokens of a speaker label that opens
// the sentence — a line starting with up to four ALL-CAPS words and a
// colon, after an optional timestamp: "VANDAMME:", "DR. MBEKI:",
// "[00:12:05] Q:" — counting the colon, or 0.
func labelTokens(text string, s extract.Sentence) int {
	if !atLineStart(text, s.Start) || len(s.Tokens) < 2 {
		return 0
	}
	toks := s.Tokens
	k := timestampTokens(text, toks)
	words := 0
	for j := k; j < len(toks) && j-k <= 4; j++ {
		w := text[toks[j].Start:toks[j].End]
		if w == ":" {
			if words == 0 || toks[j].Start != toks[j-1].End {
				return 0
			}
			return j + 1
		}
		if !capsWord(w) {
			return 0
		}
		words++
	}
	return 0
}

func atLineStart(text string, p int) bool {
	for p > 0 {
		switch text[p-1] {
		case ' ', '\t':
			p--
		case '\n', '\r', '\f':
			return true
		default:
			return false
		}
	}
	return true
}

// timestampTokens returns the number of tokens of a timestamp such as
// "[00:12:05]" or "00:12" at the start of toks.
func timestampTokens(text string, toks []extract.Token) int {
	word := func(i int) string { return text[toks[i].Start:toks[i].End] }
	isTime := func(w string) bool {
		return strings.Contains(w, ":") && strings.Trim(w, "0123456789:.") == ""
	}
	switch {
	case len(toks) > 3 && (word(0) == "[" || word(0) == "(") && isTime(word(1)) && (word(2) == "]" || word(2) == ")"):
		return 3
	case len(toks) > 1 && isTime(word(0)):
		return 1
	}
	return 0
}

// capsWord reports a word of a speaker label: letters, all upper case,
// with at most periods, hyphens and apostrophes besides.
func capsWord(w string) bool {
	letters := 0
	for _, r := range w {
		switch {
		case unicode.IsUpper(r):
			letters++
		case r == '.' || r == '-' || r == '\'' || r == '’':
		default:
			return false
		}
	}
	return letters > 0
}

// roleWords are speaker labels that name a role, not a person.
var roleWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`q a anchor host co-host presenter announcer reporter
	correspondent interviewer interviewee narrator translator translation interpreter voice
	voices unidentified unknown male female man woman speaker moderator caller guest
	commentator witness defendant accused officer judge clerk court prosecutor prosecution
	defence defense counsel lawyer chair chairman chairwoman crowd audience audio video end
	break commercial note editor source subject date time title re from to cc location
	transcript summary question answer both all others other group protester protesters
	soldier soldiers police policeman policewoman detective inspector agent interrogator
	suspect student teacher doctor nurse child boy girl spokesman spokeswoman official
	officials minister president narration caption graphic text sound music applause
	laughter crosstalk inaudible off-camera offscreen on-screen archive footage clip
	interview statement update breaking news weather sport sports continued cont'd`) {
		roleWords[w] = true
	}
}

// speaker returns the person a speaker label names. A label naming someone
// the document tags as a person elsewhere is surely one; a label that is
// neither a role nor a title alone is taken as a surname, less surely.
func (m *Model) speaker(text string, s extract.Sentence, n int, persons map[string]bool) (mosaic.Mention, bool) {
	toks := s.Tokens[timestampTokens(text, s.Tokens) : n-1]
	// Titles go: "DR. MBEKI" names Mbeki.
	for len(toks) > 0 && m.lex.words.get(lowerHash(strings.TrimSuffix(text[toks[0].Start:toks[0].End], ".")))&clsTitle != 0 {
		toks = toks[1:]
	}
	if len(toks) == 0 {
		return mosaic.Mention{}, false
	}
	known, roles := false, 0
	for _, t := range toks {
		w := strings.ToLower(text[t.Start:t.End])
		if persons[w] {
			known = true
		}
		if roleWords[w] || m.lex.words.get(lowerHash(w))&(clsTitle|clsFunction) != 0 {
			roles++
		}
		if r, _ := utf8.DecodeRuneInString(w); !unicode.IsLetter(r) {
			return mosaic.Mention{}, false
		}
	}
	conf := 0.95
	if !known {
		if roles > 0 {
			return mosaic.Mention{}, false
		}
		conf = 0.6
	}
	start, end := toks[0].Start, toks[len(toks)-1].End
	return mosaic.Mention{Start: start, End: end, Type: mosaic.Person, Text: text[start:end], Sentence: s.Span, Confidence: conf}, true
}

// armedGroups are the names and acronyms of armed groups that security
// reporting uses without introduction, and that a model trained on 1990s
// news has never seen, and of the international bodies it names as often
// ("UN", which GeoNames also knows as a town in India): capitalised, they
// are always organisations.
var armedGroups [][]string

// groupsByInitial lists, for each ASCII letter folded to lower case, the
// armed groups whose name begins with it, so that a word is compared with
// those alone.
var groupsByInitial [128][][]string

func init() {
	for _, g := range strings.Split(`UN|U.N.|United Nations|UN Security Council|Security Council
	|UNSC|NATO|EU|European Union|European Commission|OSCE|African Union|AU|Arab League
	|League of Arab States|GCC|Gulf Cooperation Council|ASEAN|OPEC|IAEA|OPCW|UNHCR|UNICEF
	|UNAMI|UNAMA|UNIFIL|UNDOF|UNSMIL|OCHA|WFP|ICRC|ICC|ECOWAS|Interpol|Europol|Frontex|IMF
	|ISIS|ISIL|IS|Daesh|Da'esh|Da'ish|Islamic State|SDF|YPG|YPJ|PKK|PYD
	|AQAP|AQIM|AQIS|JNIM|HTS|Hayat Tahrir al-Sham|Hamas|Hezbollah|Hizbollah|Hizballah|Taliban
	|al-Qaeda|al-Qaida|al-Qa'ida|Al Qaeda|al-Shabaab|al-Shabab|Boko Haram|Jabhat al-Nusra
	|al-Nusra Front|Nusra Front|ISWAP|ISKP|IS-K|ISIS-K|PMF|PMU|Popular Mobilisation Forces
	|Free Syrian Army|FSA|Lashkar-e-Taiba|Jaish-e-Mohammed|TTP|MUJAO|Ansar al-Sharia
	|Ansar Dine|Ansaru|GIA|GSPC|LIFG|FARC|ETA|IRA`, "|") {
		armedGroups = append(armedGroups, strings.Fields(g))
	}
	for _, g := range armedGroups {
		c := unicode.ToLower(rune(g[0][0]))
		groupsByInitial[c] = append(groupsByInitial[c], g)
	}
}

// knownGroups makes armed-group names organisations: a name the model
// missed is added, one it typed otherwise or cut short is corrected, and
// one inside a longer organisation ("ISIS-K Media Office") is left be.
// Acronyms must be written in capitals, names capitalised; "IS" counts only
// with neighbours in lower case, where it cannot be the verb of a shouted
// line.
func knownGroups(spans []Span, words []string) []Span {
	changed := false
	for i := 0; i < len(words); i++ {
		e := matchGroup(words, i)
		if e == 0 {
			continue
		}
		inside := false
		for k := range spans {
			sp := &spans[k]
			if sp.Start <= i && e <= sp.End && (sp.Start < i || sp.End > e) {
				sp.Kind, inside = ORG, true
			}
		}
		if !inside {
			kept := spans[:0]
			conf := 0.7
			for _, sp := range spans {
				if sp.End <= i || sp.Start >= e {
					kept = append(kept, sp)
				} else if sp.Start == i && sp.End == e {
					conf = max(conf, sp.Confidence)
				}
			}
			spans = append(kept, Span{Start: i, End: e, Kind: ORG, Confidence: conf})
			changed = true
		}
		i = e - 1
	}
	if changed {
		sortSpans(spans)
	}
	return spans
}

// matchGroup returns the end of the longest armed-group name at words[i],
// or 0.
func matchGroup(words []string, i int) int {
	best := 0
	groups := armedGroups
	// A word beginning in ASCII can only equal, folded, a name beginning
	// with the same letter; other words (a Kelvin sign folds to k) are
	// compared with every name.
	if w := words[i]; w != "" && w[0] < utf8.RuneSelf {
		groups = groupsByInitial[unicode.ToLower(rune(w[0]))]
	}
	for _, g := range groups {
		if i+len(g) > len(words) || i+len(g) <= best {
			continue
		}
		ok := true
		for k, w := range g {
			got := words[i+k]
			if !strings.EqualFold(got, w) {
				ok = false
				break
			}
			r, _ := utf8.DecodeRuneInString(got)
			acronym := len(w) > 1 && capsWord(w)
			switch {
			case acronym && got != w:
				ok = false
			case k == 0 && !unicode.IsUpper(r):
				ok = false
			}
		}
		if ok && len(g) == 1 && g[0] == "IS" {
			for _, k := range []int{i - 1, i + 1} {
				if k >= 0 && k < len(words) && len(words[k]) > 1 && capsWord(words[k]) {
					ok = false
				}
			}
		}
		if ok {
			best = i + len(g)
		}
	}
	return best
}

// splitCells cuts spans at table-cell boundaries. A tab never stands inside
// a name, and a line break between two lines that hold tabs is the end of a
// table row: a table of aliases ("Youssef el-Haddouchi<TAB>Yusuf
// al-Haddushi") must give two names, not one. A name wrapped across lines
// of prose, where no tab is near, stays whole.
func splitCells(spans []Span, toks []extract.Token, text string) []Span {
	var out []Span
	for _, sp := range spans {
		start := sp.Start
		for k := sp.Start + 1; k < sp.End; k++ {
			gap := text[toks[k-1].End:toks[k].Start]
			if !strings.Contains(gap, "\t") && !(strings.Contains(gap, "\n") && tabbedLine(text, toks[k-1].End, toks[k].Start)) {
				continue
			}
			out = append(out, Span{Start: start, End: k, Kind: sp.Kind, Confidence: sp.Confidence})
			start = k
		}
		out = append(out, Span{Start: start, End: sp.End, Kind: sp.Kind, Confidence: sp.Confidence})
	}
	return out
}

// tabbedLine reports whether the line that ends at or after i, or the one
// that starts at or before j, holds a tab.
func tabbedLine(text string, i, j int) bool {
	lineStart := strings.LastIndexByte(text[:i], '\n') + 1
	lineEnd := strings.IndexByte(text[j:], '\n')
	if lineEnd < 0 {
		lineEnd = len(text)
	} else {
		lineEnd += j
	}
	return strings.Contains(text[lineStart:i], "\t") || strings.Contains(text[j:lineEnd], "\t")
}

// joinArabicSurnames joins a person's name and the one word after it when
// that word starts with an Arabic article ("Abdelkader" + "el-Haddouchi"):
// the tagger sometimes types such a surname as an organisation on its own,
// cutting the name in two.
func joinArabicSurnames(spans []Span, words []string, toks []extract.Token, text string) []Span {
	var out []Span
	for i := 0; i < len(spans); i++ {
		sp := spans[i]
		if i+1 < len(spans) {
			next := spans[i+1]
			if sp.Kind == PER && next.Kind != PER && next.Start == sp.End && next.End == next.Start+1 &&
				hasArabicArticle(words[next.Start]) && text[toks[sp.End-1].End:toks[next.Start].Start] == " " {
				sp.End, sp.Confidence = next.End, min(sp.Confidence, next.Confidence)
				i++
			}
		}
		out = append(out, sp)
	}
	return out
}

// hasArabicArticle reports whether w starts with a hyphenated Arabic
// article: al-, el-, ad-, as-, ash- and the like.
func hasArabicArticle(w string) bool {
	dash := strings.IndexByte(w, '-')
	if dash < 2 || dash > 3 || dash == len(w)-1 {
		return false
	}
	switch strings.ToLower(w[:dash]) {
	case "al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ul", "ud":
		return true
	}
	return false
}

// fieldLabels are the abbreviations of record fields ("Nabil X (DOB
// 19/02/1998)", "POB: Liege"): capitalised like acronyms, never names.
var fieldLabels = map[string]bool{
	"DOB": true, "D.O.B.": true, "POB": true, "P.O.B.": true, "DOD": true, "NIN": true,
	"NINO": true, "PNC": true, "CRO": true, "URN": true, "Ref": true, "REF": true, "Tel": true,
	"TEL": true, "Fax": true, "FAX": true, "Mob": true, "MOB": true, "Encl": true, "Attn": true,
	"ATTN": true, "Cc": true, "CC": true, "Bcc": true, "BCC": true, "Re": true, "RE": true,
	"Fwd": true, "FWD": true, "Fw": true, "FW": true, "Subj": true, "SUBJ": true, "NFA": true,
}

// dropFieldLabels drops one-word names that are record-field labels.
func dropFieldLabels(spans []Span, words []string) []Span {
	out := spans[:0]
	for _, sp := range spans {
		if sp.End-sp.Start == 1 && fieldLabels[words[sp.Start]] {
			continue
		}
		out = append(out, sp)
	}
	return out
}

// dashes stand between a dateline and its story ("SOUTHWEST ASIA —
// Coalition forces ..."), never inside a name.
var dashes = map[string]bool{"—": true, "–": true, "--": true, "―": true}

// cutAtDashes splits spans at a dash standing alone, keeping the parts of
// two words or more, or of one capitalised word.
func cutAtDashes(spans []Span, words []string) []Span {
	var out []Span
	for _, sp := range spans {
		start := sp.Start
		for k := sp.Start; k <= sp.End; k++ {
			if k < sp.End && !dashes[words[k]] {
				continue
			}
			if k > start {
				out = append(out, Span{Start: start, End: k, Kind: sp.Kind, Confidence: sp.Confidence})
			}
			start = k + 1
		}
	}
	return out
}

// prepositions open a sentence capitalised ("Near Hajin, four strikes
// ..."), and are then no part of the name the tagger finds after them.
var prepositions = map[string]bool{
	"Near": true, "In": true, "At": true, "From": true, "Outside": true, "Inside": true,
	"Across": true, "Around": true, "Along": true, "Beyond": true, "Towards": true,
	"Toward": true, "Within": true, "Throughout": true, "Amid": true, "Despite": true,
	"During": true, "After": true, "Before": true, "Since": true, "Until": true, "Against": true,
	"Alongside": true, "Via": true, "Under": true, "Over": true, "Between": true,
}

// trimPrepositions takes a capitalised preposition off the front of a name
// of two words or more.
func trimPrepositions(spans []Span, words []string) []Span {
	for i := range spans {
		if sp := &spans[i]; sp.End-sp.Start > 1 && prepositions[words[sp.Start]] {
			sp.Start++
		}
	}
	return spans
}
