package entity

import "strings"

// An organisation's name has a head, the noun that says what kind of body it
// is ("coalition", "battalion", "ministry"), and modifiers that say which
// one. An analyst matches two organisations' names only when their heads
// agree: "Counter-Daesh Coalition" is a coalition named for its enemy, not
// Daesh, and "Syrian National Coalition" and "Global Coalition" share a head
// but not the words that tell coalitions apart. A name may also carry another
// group's name inside a relation ("anti-ISIS forces", "ISIL-held buildings"):
// that names something else, whatever its words share with the group's.

// heads maps the head nouns of organisations' names, singular, plural and
// in the Arabic, Persian and Urdu words that name the same kind of body, to
// one spelling of each.
var heads = func() map[string]string {
	m := map[string]string{}
	for canon, words := range map[string][]string{
		"coalition": {"coalition", "coalitions", "itilaf", "etilaf", "itlaf"},
		"alliance":  {"alliance", "alliances", "tahaluf"},
		"brigade": {"battalion", "battalions", "katiba", "katibah", "katibat", "katibet",
			"brigade", "brigades", "liwa", "liwaa", "kataib", "katayib", "kataeb", "khataib"},
		"regiment":    {"regiment", "regiments"},
		"division":    {"division", "divisions", "firqa", "firqat"},
		"corps":       {"corps", "faylaq", "failaq", "guard", "guards"},
		"forces":      {"force", "forces", "quwat", "quwwat"},
		"army":        {"army", "armies", "jaish", "jaysh", "jeish", "jaesh", "jish", "lashkar", "lashkare"},
		"militia":     {"militia", "militias"},
		"ministry":    {"ministry", "ministries", "wizarat", "wizara"},
		"government":  {"government", "governments", "hukumat"},
		"front":       {"front", "fronts", "jabhat", "jabha", "jabhah", "jabhet", "jabhe"},
		"council":     {"council", "councils", "majlis", "majles"},
		"party":       {"party", "parties", "hizb", "hezb", "hizbut"},
		"committee":   {"committee", "committees", "lajnat", "lajna", "lajnah"},
		"commission":  {"commission", "commissions"},
		"agency":      {"agency", "agencies"},
		"office":      {"office", "offices"},
		"police":      {"police", "constabulary", "shurta", "shurtah"},
		"command":     {"command", "commands", "headquarters"},
		"unit":        {"unit", "units"},
		"university":  {"university", "universities"},
		"college":     {"college", "colleges"},
		"institute":   {"institute", "institutes"},
		"academy":     {"academy", "academies"},
		"court":       {"court", "courts", "tribunal", "tribunals", "mahkama", "mahkamat"},
		"parliament":  {"parliament", "parliaments"},
		"assembly":    {"assembly", "assemblies"},
		"directorate": {"directorate", "directorates"},
		"department":  {"department", "departments"},
		"embassy":     {"embassy", "embassies"},
		"consulate":   {"consulate", "consulates"},
		"cell":        {"cell", "cells"},
		"squadron":    {"squadron", "squadrons"},
	} {
		for _, w := range words {
			m[w] = canon
		}
	}
	return m
}()

// headOf returns the head noun a token spells (see heads), or "": by its
// text, or, for a word in Arabic script, by the concept its consonants
// spell ("jbha" is a front).
func headOf(t *token) string {
	if h, ok := heads[t.text]; ok {
		return h
	}
	if t.groups < 0 && t.concept != 0 {
		return conceptHeads[t.concept]
	}
	return ""
}

// conceptHeads maps the concepts that are head nouns to the head.
var conceptHeads = func() map[uint16]string {
	m := map[uint16]string{}
	for w, h := range heads {
		if c := concepts[w]; c != 0 {
			m[c] = h
		}
	}
	return m
}()

// headEnds are the words after which a name's modifiers no longer describe
// its head: "Ministry of Defence", "Coalition against Daesh".
var headEnds = map[string]bool{
	"of": true, "for": true, "in": true, "on": true, "at": true, "to": true, "against": true,
	"by": true, "with": true, "from": true, "fi": true, "li": true, "over": true,
}

// Relations a name states to another group ("Counter-Daesh", "ISIL-held").
// A marker before the other group's name: counter-, anti-, pro-; after it,
// joined by a hyphen: -held, -led, -backed ...
const (
	relAgainst uint8 = 1 << iota // counter-, anti-
	relFor                       // pro-
	relUnder                     // -held, -controlled, -occupied, -run
	relBy                        // -led, -backed, -affiliated, -linked, -inspired ...
)

var relBefore = map[string]uint8{"counter": relAgainst, "anti": relAgainst, "pro": relFor}

var relAfter = map[string]uint8{
	"held": relUnder, "controlled": relUnder, "occupied": relUnder, "run": relUnder, "dominated": relUnder,
	"led": relBy, "backed": relBy, "affiliated": relBy, "linked": relBy, "inspired": relBy,
	"allied": relBy, "aligned": relBy, "sponsored": relBy, "supported": relBy, "funded": relBy,
}

// findHead sets the head of an organisation's (or unknown kind's) name:
// the last head noun before the first word that ends the head's modifiers,
// and the relations the name states to another group. raw are the words of
// the name as split, for the hyphens.
func (n *Name) findHead(words []rawWord) {
	n.headTok = -1
	if n.Kind == Person {
		return
	}
	for i := range n.toks {
		t := &n.toks[i]
		if i > 0 && headEnds[t.text] && n.headTok >= 0 {
			break
		}
		if headOf(t) != "" && t.content() {
			n.headTok = i
		}
	}
	if n.headTok >= 0 {
		n.head = headOf(&n.toks[n.headTok])
		// The head weighs as a generic word: two coalitions are not one on
		// the word "coalition".
		t := &n.toks[n.headTok]
		if t.weight > weightGeneric {
			n.weight -= t.weight - weightGeneric
			t.weight = weightGeneric
		}
	}
	// Relations need the words' hyphens; tokens and words align one to one
	// except where a person's name joins "Abd al-X", which kind Org does
	// not and kind Other rarely does with such words.
	if len(words) != len(n.toks) {
		return
	}
	for i, w := range words {
		s := strings.ToLower(w.s)
		if r, ok := relBefore[s]; ok && i+1 < len(words) {
			n.rel |= r
			n.relText = append(n.relText, s+"-")
		}
		if r, ok := relAfter[s]; ok && i > 0 && words[i-1].hyphen {
			n.rel |= r
			n.relText = append(n.relText, "-"+s)
		}
	}
}

// headCap is the highest score of two organisations' names whose heads or
// relations conflict: below every threshold, so no match.
const headCap = 0.3

// orgRules applies the head-noun rule to names other than persons' (see
// findHead): heads must agree, or both be absent; relations to another
// group must agree; and where the heads agree, the names must not differ in
// the words that modify them, both having words the other lacks. leftA and
// leftB are the content tokens the alignment left over.
func (c *comparer) orgRules(pairs []tokPair, leftA, leftB []int) {
	a, b := c.a, c.b
	if c.score <= headCap {
		if c.explain && (a.head != b.head || a.rel != b.rel) {
			c.add("head noun", 0, "%s", headDetail(a, b))
		}
		return
	}
	// ma and mb count the words modifying each head that the other name
	// lacks.
	var ma, mb int
	for _, i := range leftA {
		if i != a.headTok && a.toks[i].weight > 0 {
			ma++
		}
	}
	for _, j := range leftB {
		if j != b.headTok && b.toks[j].weight > 0 {
			mb++
		}
	}
	switch {
	case a.rel != b.rel:
		c.add("head noun", headCap-c.score, "%s", headDetail(a, b))
		return
	case a.head == b.head || headsAligned(a, b, pairs):
		if a.head != "" && ma > 0 && mb > 0 {
			c.add("head noun", headCap-c.score, "both are a %s, told apart by different words: %q, %q",
				a.head, modifiers(a, leftA), modifiers(b, leftB))
			return
		}
	case (a.head == "" || b.head == "") && ma == 0 && mb == 0:
		// One name is the other without its head noun ("Biblos Travel
		// Agency", "Biblos Travel"): a short form, not another body.
		// Where the name without a head has words of its own ("Syrian
		// Arab Airlines", "Syrian Arab Army") it names another.
	default:
		c.add("head noun", headCap-c.score, "%s", headDetail(a, b))
		return
	}
	// Generic words alone do not tie two organisations together: "Islamic
	// Army" is not "Islamic Army of Aden" when a telling word is missing.
	telling := false
	for _, p := range pairs {
		if c.a.toks[p.i].weight > weightGeneric || c.b.toks[p.j].weight > weightGeneric {
			telling = true
			break
		}
	}
	if telling {
		return
	}
	for k, left := range [2][]int{leftA, leftB} {
		x := a
		if k == 1 {
			x = b
		}
		for _, i := range left {
			if x.toks[i].weight > weightGeneric {
				c.add("generic words", headCap-c.score, "only generic words in common; %q has no counterpart", x.toks[i].text)
				return
			}
		}
	}
}

func modifiers(n *Name, left []int) string {
	var ws []string
	for _, i := range left {
		if i != n.headTok {
			ws = append(ws, n.toks[i].text)
		}
	}
	return strings.Join(ws, " ")
}

// headDetail says how two names' heads and relations conflict.
func headDetail(a, b *Name) string {
	describe := func(n *Name) string {
		var s string
		switch {
		case n.head == "":
			s = "has no head noun"
		case strings.IndexByte("aeiou", n.head[0]) >= 0:
			s = "is an " + n.head
		default:
			s = "is a " + n.head
		}
		if n.rel != 0 {
			s += " named for its relation to another group (" + strings.Join(n.relText, ", ") + ")"
		}
		return s
	}
	if a.head == b.head && a.rel == b.rel {
		return "heads agree"
	}
	return "heads differ: " + quoteRaw(a) + " " + describe(a) + "; " + quoteRaw(b) + " " + describe(b)
}

func quoteRaw(n *Name) string { return `"` + n.Raw + `"` }

// headsAligned reports whether the two names' head tokens were aligned with
// each other, as two spellings of one word ("Kata'ib", "Khata'ib").
func headsAligned(a, b *Name, pairs []tokPair) bool {
	if a.headTok < 0 || b.headTok < 0 {
		return false
	}
	for _, p := range pairs {
		if p.i == a.headTok && p.j == b.headTok {
			return true
		}
	}
	return false
}

// concepts are the words of organisations' names that name one thing in
// several languages and transliterations: an organisation's aliases
// translate them ("Jaish-e-Mohammed", "Army of Mohammed"; "Al-Furqan
// Charity", "Al-Furqan al-Khayriya"). Two tokens of one concept align as
// one word translated.
var concepts = func() map[string]uint16 {
	groups := [][]string{
		{"army", "armies", "jaish", "jaysh", "jeish", "jaesh", "jish", "lashkar", "lashkare", "ejercito", "armee", "esercito", "armiya", "armii", "ordu", "ordusu"},
		{"front", "fronts", "jabhat", "jabha", "jabhah", "jabhet", "jabhe", "frente"},
		{"party", "parties", "hizb", "hezb", "hizbut", "partido", "parti", "partiya", "partisi", "partei"},
		{"brigade", "brigades", "battalion", "battalions", "katiba", "katibah", "katibat", "liwa", "liwaa", "kataib", "katayib", "kataeb", "khataib", "brigada", "brigadas", "batalon", "batalyon", "liva"},
		{"forces", "force", "quwat", "quwwat", "fuerzas", "forces"},
		{"council", "councils", "majlis", "majles", "conseil", "consejo"},
		{"committee", "committees", "lajnat", "lajna", "lajnah", "lajnatul", "comite", "comitato"},
		{"dvizhenie", "dvizheniya", "hareketi", "movement", "movimiento", "mouvement", "harakat", "harakah", "haraka", "harakatul", "harkat", "tahrik", "tehrik", "tehreek", "tahreek", "tahrike", "hareket", "hareketi"},
		{"group", "groups", "groupe", "grupo", "gruppo", "gruppa", "gruppy", "jamaat", "jamaah", "jamaa", "jamat", "jemaah", "jemaat", "dzhamaat", "cemaat", "cemaati"},
		{"organization", "organisation", "organizacion", "tanzim", "tanzeem", "munazzamat", "munazamat", "munazzama", "organizatsiya", "organizatsii", "orgut", "orgutu"},
		{"foundation", "fondation", "fundacion", "muassasat", "muassasa", "muassasah", "muassassat", "vakfi", "vakif", "stiftung"},
		{"charity", "charitable", "khairiya", "khairiyya", "khayriyya", "khayriyah", "khairia", "kharia", "khariya", "khairiyah", "khairya", "khaira", "khairyah", "khayriya", "khairiyyah"},
		{"society", "societe", "sociedad", "jamiyat", "jamiyya", "jamiya", "jamiyyat", "jamiyah", "jamiyyah", "jamiat", "jamia"},
		{"relief", "igatha", "ighatha", "ighathah", "igathah", "secours"},
		{"islamskoe", "islamskaya", "islamskogo", "islamskii", "islamskiy", "islamskij", "islamskoy", "islamskoi", "islamic", "islami", "islamiya", "islamiyya", "islamiyah", "islamia", "islamiyyah", "islamique", "islamico", "islamica", "islamiyye", "islamiye"},
		{"national", "nacional", "nationale", "nazionale", "watani", "wataniya", "wataniyya", "qawmi", "milli"},
		{"liberation", "liberacion", "tahrir", "liberazione"},
		{"popular", "populaire", "peoples", "people", "shaabi", "shabi", "shaabiya", "popolare", "halk"},
		{"revolutionary", "revolucionario", "revolucionaria", "revolutionnaire", "devrimci", "thawri", "thawriya"},
		{"central", "markazi", "markaziya", "merkezi", "centrale"},
		{"bank", "banque", "banco", "bankasi", "banka"},
		{"union", "ittihad", "ittehad", "unione", "birligi"},
		{"martyrs", "martyr", "shuhada", "shohada", "shuhadaa", "shahid", "shahids", "shaheed", "martires"},
		{"youth", "shabab", "shebab", "jeunesse", "juventud"},
		{"company", "compania", "compagnie", "sharikat", "sharika", "sherkat", "sirketi"},
		{"gosudarstvo", "gosudarstva", "devlet", "devleti", "state", "dawla", "dawlat", "daulah", "dawlah", "daula", "etat", "estado"},
		{"republic", "jumhuriya", "jomhouri", "jumhuriyat", "jomhuri", "republique", "republica"},
		{"office", "maktab", "maktabat", "bureau"},
		{"international", "internationale", "internacional", "alami", "alamiya"},
		{"struggle", "mujahada", "kifah", "lucha", "lutte"},
		{"call", "dawa", "dawah", "dawaa"},
		{"holy", "muqaddas", "muqadas"},
		{"east", "eastern", "sharq", "sharqi", "sharqiya"},
		{"west", "western", "gharb", "gharbi", "gharbiya"},
		{"north", "northern", "shamal", "shamali"},
		{"south", "southern", "janub", "janubi", "junubi"},
		{"resistance", "muqawama", "muqawamah", "muqawamat", "resistencia"},
		{"holding", "holdings"},
		{"welfare", "rifah", "rafah"},
		{"trust", "amanat"},
		{"students", "student", "tullab", "talaba"},
		{"mosque", "masjid", "jami"},
		{"school", "madrasa", "madrassa", "madrasah", "madrassah", "ecole", "escuela"},
		{"university", "universite", "universidad", "universitesi"},
		{"ministry", "wizarat", "wizara", "ministerio", "ministere"},
		{"government", "hukumat", "gobierno", "gouvernement"},
		{"media", "ilam", "alilam"},
		{"agency", "agencia", "agence", "wakala", "wakalat"},
		{"establishment", "muassasa"},
		{"center", "centre", "markaz", "merkez", "centro", "tsentr"},
		{"union", "soyuz"},
		{"committee", "komitet"},
		{"council", "sovet"},
		{"corps", "sepah", "sipah", "sepahe"},
		{"guard", "guards", "pasdaran"},
		{"society", "anjuman", "anjoman"},
	}
	m := map[string]uint16{}
	for i, g := range groups {
		for _, w := range g {
			if _, ok := m[w]; !ok {
				m[w] = uint16(i + 1)
			}
		}
	}
	return m
}()

// conceptSkeletons maps the consonant skeletons of the words of concepts to
// their concept, for words written in Arabic script, whose vowels are
// unknown ("جبهة" is "jbha"): a skeleton two concepts share maps to none.
var conceptSkeletons = func() map[string]uint16 {
	m := map[string]uint16{}
	for w, c := range concepts {
		k := skeleton(w)
		if len(k) < 2 {
			continue
		}
		if have, ok := m[k]; ok && have != c {
			m[k] = 0
			continue
		}
		m[k] = c
	}
	return m
}()

// conceptOf returns the concept of a token of an organisation's name.
func conceptOf(t *token) uint16 {
	if c := concepts[t.text]; c != 0 || t.groups >= 0 {
		return c
	}
	return conceptSkeletons[t.skel]
}
