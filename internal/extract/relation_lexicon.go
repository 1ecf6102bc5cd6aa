package extract

import (
	"strings"

	"mosaic"
)

// The words that state relations, and the small words around them that the
// argument search steps over. Everything is lower case; a phrase is matched
// word for word against the sentence's tokens.

// A trigger is a word or phrase that states a relation.
type trigger struct {
	typ mosaic.RelationType
	// rest are the words of the phrase after the first.
	rest []string
	// noun marks a role or kin word ("spokesman", "brother"), whose
	// arguments are found around it ("X, the leader of Y", "Y's brother X")
	// rather than as the subject and object of a verb.
	noun bool
	// passive marks a past participle: after a form of "be" it names its
	// agent after "by" ("was directed by X"), or none at all.
	passive bool
	// toInf needs "to" and a verb after the object: "told him to wait" is
	// an order, "told police" is not.
	toInf bool
	// byObject decides the type from the object: "visited" a place is
	// travel, "visited" a person contact; "sent" someone is command, "sent"
	// a message to someone contact.
	byObject bool
	// notBefore lists next words that give the trigger another sense:
	// "called for attacks", "called \"Sleeping Bread\"", "claimed to be".
	notBefore []string
	// claim needs an attack noun soon after it: "claimed the attack",
	// "claimed responsibility for", not "claims Dole's plan would …".
	claim bool
	// toward needs its place after a word of direction: "went to Lyon",
	// "arrived in Lyon", not "went close for Scotland".
	toward bool
	// adjacent needs its object right after it.
	adjacent bool
}

// lexicon holds what the argument search knows of a word, lower case: its
// classes and the triggers it starts. One map, so that reading a word costs
// one lookup.
var lexicon = map[string]*entry{}

type entry struct {
	class wordClass
	// triggers start with the word, longest phrase first.
	triggers []*trigger
}

func entryOf(w string) *entry {
	e := lexicon[w]
	if e == nil {
		e = &entry{}
		lexicon[w] = e
	}
	return e
}

// irregularParticiples are the passive-capable participles that do not end
// in "-ed".
var irregularParticiples = map[string]bool{
	"sent": true, "met": true, "shot": true, "told": true, "rung": true, "spoken": true,
	"written": true, "asked": true,
}

func init() {
	verbs := []struct {
		typ     mosaic.RelationType
		phrases string
	}{
		{mosaic.Contact, "call|calls|called|calling|phone|phones|phoned|phoning|telephoned|rang|" +
			"texted|messaged|messaging|e-mailed|emailed|contacted|contacting|contact|contacts|" +
			"meet|meets|met|meeting|met with|meet with|meets with|meeting with|" +
			"spoke to|spoke with|spoken to|spoken with|speak to|speak with|speaks to|speaks with|" +
			"speaking to|speaking with|talked to|talked with|talk to|talk with|talks to|talks with|" +
			"talking to|talking with|wrote to|write to|writes to|written to|writing to|" +
			"corresponded with|corresponds with|correspond with|communicated with|communicates with|" +
			"in touch|in contact|contact with|exchanged messages with|" +
			// Government statements: "X held talks with Y", "X hosted Y".
			"held talks with|hold talks with|holds talks with|holding talks with|had talks with|" +
			"hosted|hosts|hosting|received|receives|receiving|welcomed|welcomes|welcoming|" +
			"spoke by phone with|spoke by phone to|spoke by telephone with|spoke on the phone with|" +
			"spoke on the phone to|held a call with|held a phone call with|had a call with|" +
			"had a phone call with|had a telephone call with|held a telephone call with"},
		{mosaic.Command, "orders|ordered|ordering|send|sends|sent|sending|directs|directed|directing|" +
			"instruct|instructs|instructed|instructing|tasked|tasking|recruit|recruits|recruited|" +
			"recruiting|dispatched|commanded|" +
			"told|tell|tells|telling|asked|ask|asks|urged|urge|urges"},
		{mosaic.Attack, "attack|attacks|attacked|stab|stabs|stabbed|shoot|shoots|shot|" +
			"bombed|firebombed|petrol-bombed|kill|kills|killed|murder|murders|murdered|assault|" +
			"assaults|assaulted|target|targets|targeted|targetted|" +
			"carried out|carry out|carries out|carrying out|set fire to|sets fire to|" +
			"claim|claims|claimed|claiming"},
		{mosaic.Travel, "travel|travels|travelled|traveled|travelling|traveling|fly|flies|flew|flown|" +
			"go|goes|went|gone|going|return|returns|returned|returning|move|moves|moved|" +
			"came back|come back|comes back|coming back|been to|arrive|arrives|arrived|" +
			"left for|leave for|leaves for|crossed into|cross into|crosses into|headed to|heads to|" +
			"drove to|drive to|drives to|visit|visits|visited|visiting"},
		{mosaic.LocatedIn, "lives in|live in|lived in|living in|resides in|reside in|resided in|" +
			"residing in|based in|resident of|resident in|born in|settled in|grew up in|from|" +
			"hails from|hailed from"},
		{mosaic.Member, "joined|joins|join|pledged allegiance to|pledges allegiance to|" +
			"swore allegiance to|swears allegiance to|belongs to|belonged to|belong to|" +
			"founded|co-founded|cofounded|heads|headed|leads|fought for|fights for|fighting for|" +
			"defected to|works for|worked for|working for"},
	}
	for _, v := range verbs {
		for _, p := range strings.Split(v.phrases, "|") {
			words := strings.Fields(p)
			t := &trigger{typ: v.typ, rest: words[1:]}
			w := words[0]
			if len(words) == 1 && (v.typ == mosaic.Contact || v.typ == mosaic.Command || v.typ == mosaic.Attack) {
				t.passive = strings.HasSuffix(w, "ed") || irregularParticiples[w]
			}
			switch {
			case v.typ == mosaic.Command && (strings.HasPrefix(w, "tel") || w == "told" ||
				strings.HasPrefix(w, "ask") || strings.HasPrefix(w, "urge")):
				t.toInf = true
			case w == "send" || w == "sends" || w == "sent" || w == "sending",
				strings.HasPrefix(w, "visit"):
				t.byObject = true
			}
			switch {
			case strings.HasPrefix(w, "call"):
				// "called up six players", "called in the bomb squad"
				t.notBefore = []string{"for", "on", "off", "out", "upon", "up", "in", "it", "\"", "“", "'", "‘"}
			case strings.HasPrefix(w, "claim"):
				t.notBefore = []string{"to", "that"}
				t.claim = true
			}
			// "Elias Ouahbi, 20, from Borgerhout", not "protects the Kurds
			// from attacks by Baghdad troops".
			t.adjacent = w == "from" || len(words) > 1 && words[len(words)-1] == "from" && v.typ == mosaic.LocatedIn ||
				// "received President Macron", not "received the
				// group's propaganda" nor "welcomed the news from X".
				strings.HasPrefix(w, "receiv") || strings.HasPrefix(w, "welcom")
			t.toward = v.typ == mosaic.Travel && !t.byObject
			addTrigger(w, t)
		}
	}
	nouns := []struct {
		typ   mosaic.RelationType
		words string
	}{
		{mosaic.Member, "spokesman spokeswoman spokesperson spokesmen leader leaders emir amir founder " +
			"co-founder cofounder member members commander chief head deputy recruiter financier " +
			"organiser organizer ideologue treasurer official"},
		{mosaic.Family, "brother sister son daughter father mother wife husband cousin uncle aunt " +
			"nephew niece brother-in-law sister-in-law half-brother half-sister stepbrother " +
			"stepsister stepfather stepmother stepson stepdaughter grandson granddaughter " +
			"grandfather grandmother fiance fiancé fiancee fiancée brothers sisters sons daughters " +
			"cousins"},
	}
	for _, n := range nouns {
		for _, w := range strings.Fields(n.words) {
			addTrigger(w, &trigger{typ: n.typ, noun: true})
		}
	}
}

func addTrigger(first string, t *trigger) {
	e := entryOf(first)
	ts := append(e.triggers, t)
	// Longest phrase first, so that "met with" wins over "met".
	for i := len(ts) - 1; i > 0 && len(ts[i].rest) > len(ts[i-1].rest); i-- {
		ts[i], ts[i-1] = ts[i-1], ts[i]
	}
	e.triggers = ts
}

// wordClass is a set of the roles a small word plays in the search for a
// trigger's arguments.
type wordClass uint32

const (
	// cBe: a form of "be", which makes a participle passive.
	cBe wordClass = 1 << iota
	// cAux: an auxiliary or modal the subject search steps over.
	cAux
	// cAdv: an adverb the subject search steps over.
	cAdv
	// cNeg: negates what follows ("not", "never", "denied").
	cNeg
	// cHedge: hedges the whole sentence ("unconfirmed").
	cHedge
	// cHedgeBefore: hedges a relation stated after it in its clause, or in
	// a clause it frames ("allegedly", "believed", "may", "tried").
	cHedgeBefore
	// cDet: a determiner or quantifier the object search steps over.
	cDet
	// cPrep: a preposition; a place or date after one is an adjunct.
	cPrep
	// cStop: ends the search for an object: a clause begins.
	cStop
	// cRel: a relative pronoun, whose antecedent is the subject.
	cRel
	// cRoleGap: a verb that links a holder to a role ("became", "named").
	cRoleGap
	// cRoleAdj: an adjective of a role or kin word ("younger", "former").
	cRoleAdj
	// cQuote: a quotation mark, transparent to every search.
	cQuote
	// cTitle: a title before a name ("Mr", "Sheikh").
	cTitle
	// cPunct: punctuation that ends a clause (";", ":", "!", "?", ".").
	cPunct
)

func init() {
	for _, c := range []struct {
		class wordClass
		words string
	}{
		{cBe | cAux, "is was were are am be been being 's 're 'm"},
		{cAux, "has have had having do does did will would shall should can ca could may might must " +
			"'d 've 'll wo get gets got"},
		{cAdv, "also then later again first once still already just even never subsequently " +
			"previously repeatedly personally regularly frequently often twice thrice since " +
			"himself herself both all together now soon"},
		{cNeg, "not n't never no neither nor without denied denies deny denying refused refuses " +
			"failed fails nobody"},
		{cHedge, "unconfirmed unverified rumoured rumored"},
		{cHedgeBefore, "allegedly alleged reportedly purportedly supposedly apparently possibly " +
			"probably perhaps maybe likely presumably seemingly " +
			"believed believe believes thought think thinks suspected " +
			"assessed assess assesses may might could seems seemed appears appeared suggests " +
			"suggested suggest tried try tries attempted attempts wanted want wants planned plans " +
			"intended intends if whether"},
		{cDet, "the a an any some several this that these those another each every either one two " +
			"three four five both all many his her their its our my your no anyone anybody " +
			"someone somebody member members of in from"},
		{cPrep, "in on at to from into via through during near outside inside across around " +
			"in front behind since by with for over after before between towards toward"},
		{cStop, "that which who whom whose where when while because but although though whether " +
			"until unless and or then so said says say told tells ; : ( ) . ! ? – — -- …"},
		{cRel, "who that which"},
		{cRoleGap, "became become becomes remains remained named appointed elected as serves served " +
			"serving acts acted acting"},
		{cRoleAdj, "younger older elder eldest youngest big little former senior junior founding " +
			"deputy self-styled self-proclaimed alleged then current new late acting overall " +
			"supreme top military spiritual assistant joint other second third first real " +
			"half twin de facto effective"},
		{cQuote, "\" “ ” ' ‘ ’ « » „"},
		{cTitle, "mr mrs ms miss dr prof sheikh shaykh imam pcso pc ds dc dci di sgt mr. mrs. ms. dr. " +
			"prof. sgt. gen. col. capt. maj. lt. sir lord lady"},
		{cPunct, "; : ! ? . …"},
	} {
		for _, w := range strings.Fields(c.words) {
			entryOf(w).class |= c.class
		}
	}
}

// Pronouns the argument search resolves.
const (
	pronNone  = iota
	pronI     // I, me, my: the speaker of a transcript turn
	pronHe    // he, him, his, she, her: a person named just before
	pronOther // we, you, they, it, anyone: never resolved
)

func pronounOf(w string) int {
	switch w {
	case "i", "me", "my", "myself":
		return pronI
	case "he", "him", "his", "she", "her":
		return pronHe
	case "we", "us", "our", "you", "your", "they", "them", "their", "it", "himself", "herself",
		"themselves", "itself", "yourself", "ourselves", "this", "anyone", "anybody", "someone",
		"somebody", "nobody", "everyone", "everybody", "who":
		return pronOther
	}
	return pronNone
}
