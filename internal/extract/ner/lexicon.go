package ner

import (
	"math/bits"
	"strings"
)

// Word classes: what a token is known to be, from the hand-written lists
// below and from the gazetteers. A token's classes are a bit set looked up
// by the hash of its lower-cased form, and become features of the token and
// of its neighbours: the model learns how much each one is worth.
const (
	clsTitle    = 1 << iota // Mr, Dr, President, General, spokesman: comes before a name
	clsOrgWord              // Ministry, Party, Front, Brigade, Inc: heads or ends an organisation
	clsParticle             // al, el, bin, ibn, van, der, de, le: inside a name
	clsKunya                // abu, abou, umm, ibn, bin: starts an Arabic name
	clsMonth                // months and weekdays: capitalised, never entities in CoNLL
	clsFunction             // the, of, and, said: closed-class words
	clsDemonym              // Iraqi, Belgian, Sunni: MISC in CoNLL
	clsGiven                // a given name (OFAC individuals)
	clsSurname              // a surname (OFAC individuals)
	clsOrgToken             // a word of an organisation's name (OFAC entities)
	clsCountry              // a word of a country's name
	clsCity                 // a word of a city's name (GeoNames)
)

// Phrase classes: multi-token gazetteer entries, matched longest first.
const (
	phrPerson = 1 << iota
	phrOrg
	phrCountry
	phrCity
	phrRegion
	// phrPrefix marks a proper prefix of some phrase, so matching can stop
	// as soon as no entry continues.
	phrPrefix = 1 << 7
)

const maxPhrase = 6

var (
	titleWords = `mr mrs ms miss mister madam dr doctor prof professor sir lord lady dame
	president vice prime minister secretary general gen colonel col lieutenant lt major maj
	captain capt sergeant sgt corporal cpl private commander cmdr admiral adm brigadier brig
	marshal field chancellor king queen prince princess crown sheikh shaykh sheik emir amir
	imam mullah ayatollah cleric preacher judge justice magistrate senator sen congressman
	congresswoman rep representative governor gov mayor ambassador envoy consul spokesman
	spokeswoman spokesperson chairman chairwoman chair chief director inspector insp detective
	det officer constable superintendent supt commissioner prosecutor attorney counsel lawyer
	barrister solicitor deputy foreign interior defence defense home finance justice rev
	reverend father pope bishop archbishop cardinal rabbi pastor hon mp mep comrade leader coach
	manager striker midfielder defender goalkeeper correspondent reporter journalist analyst
	agent suspect defendant accused witness victim mujahid emir commander-in-chief ceo cfo
	founder head self-styled so-called alias aka nicknamed dubbed named rt right honourable
	honorable excellency highness majesty hrh`
	orgWords = `ministry party front brigade brigades army council inc ltd llc plc corp
	corporation company co group agency committee commission union association federation
	league organisation organization movement network bank university institute foundation
	court police government department office bureau service services forces force guard
	guards battalion regiment division command authority assembly parliament congress senate
	club fc united airlines airways holdings industries international news press times post
	radio tv television media society trust fund alliance coalition mujahideen legion squad
	unit directorate secretariat tribunal school college academy hospital church exchange board
	centre center cabinet cell faction wing revolutionary liberation resistance islamic
	agency's institution gmbh sa ag nv bv srl spa ministry's ansar jamaat jama'at jamaah
	jama'ah jabhat harakat harakah hizb katibat katiba kataib kata'ib liwa jaysh jaish saraya
	tanzim ahrar majlis asa'ib asaib ledger gazette herald tribune chronicle journal courier
	telegraph observer`
	particleWords = `al el ad ar as ash at az an bin ibn ben bint abu abou abo umm um oum van
	der den de du des la le von da di dos das del della ter ten mac mc st saint ould ag ait
	bou bel ben-`
	kunyaWords = `abu abou abo umm oum um ibn bin bint ben ould`
	monthWords = `january february march april may june july august september october
	november december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday
	wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
	ramadan eid`
	functionWords = `the a an of and or but in on at to for from with by as into onto
	about after before during since until over under between against among through without
	within he she it they we i you his her its their our my your him them us me this that
	these those there here who whom whose which what when where why how is are was were be been
	being has have had do does did will would shall should can could may might must not no
	said says say told tells according also than then so if while because although though
	very more most other such only all some any each every both either neither one two three`
	demonymWords = `iraqi iraqis syrian syrians kurdish kurd kurds turkish turk turks
	iranian iranians afghan afghans pakistani pakistanis saudi saudis yemeni yemenis
	jordanian lebanese egyptian egyptians libyan libyans tunisian tunisians algerian
	algerians moroccan moroccans somali somalis sudanese nigerian nigerians malian
	chechen chechens russian russians american americans british briton britons english
	scottish welsh irish french belgian belgians dutch german germans austrian swiss
	italian italians spanish spaniard portuguese greek swedish norwegian danish finnish
	polish czech hungarian romanian bulgarian serbian croatian bosnian albanian kosovar
	ukrainian european europeans african arab arabs arabic muslim muslims islamic islamist
	islamists jihadist jihadists salafist salafi salafists sunni sunnis shia shiite shiites
	shi'ite alawite alawites yazidi yazidis christian christians jewish jew jews israeli
	israelis palestinian palestinians western chinese japanese korean indian indians
	bangladeshi indonesian filipino malaysian australian canadian mexican brazilian
	argentine colombian venezuelan cuban emirati qatari kuwaiti bahraini omani uzbek
	tajik kazakh kyrgyz turkmen uighur uyghur dagestani tatar azerbaijani georgian
	armenian persian pashtun baluch hazara tuareg berber amazigh fulani hausa catholic
	catholics protestant protestants anglican evangelical orthodox hindu hindus buddhist
	buddhists sikh sikhs druze mexican korean chilean peruvian asian latin roman`
)

// fields splits a whitespace-separated word list.
func fields(s string) []string { return strings.Fields(s) }

// lexicon holds the word classes and the gazetteer phrases.
type lexicon struct {
	words   *hashTable // lower-cased word hash -> class bits
	phrases *hashTable // phrase hash -> phrase class bits | phrPrefix
}

// phraseSeed starts the hash of a phrase, which mixes in the lower-cased
// hash of each token in turn.
const phraseSeed = 0x7068726173650000

// newLexicon builds the word and phrase tables the feature groups need.
func newLexicon(groups int) *lexicon {
	size := 1 << 10
	if groups&GroupGazetteer != 0 {
		size = 1 << 16 // the gazetteers hold about 50,000 words and 60,000 phrases
	}
	lx := &lexicon{words: newHashTable(size), phrases: newHashTable(2 * size)}
	for _, l := range []struct {
		words string
		cls   uint32
	}{
		{titleWords, clsTitle}, {orgWords, clsOrgWord}, {particleWords, clsParticle},
		{kunyaWords, clsKunya}, {monthWords, clsMonth}, {functionWords, clsFunction},
		{demonymWords, clsDemonym},
	} {
		for _, w := range fields(l.words) {
			lx.words.or(lowerHash(w), l.cls)
		}
	}
	if groups&GroupGazetteer != 0 {
		loadGazetteers(lx)
	}
	return lx
}

// addPhrase adds a gazetteer entry of one or more tokens.
func (lx *lexicon) addPhrase(tokens []string, cls uint32) {
	if len(tokens) == 0 || len(tokens) > maxPhrase {
		return
	}
	h := uint64(phraseSeed)
	for i, t := range tokens {
		h = mix(h, lowerHash(t))
		if i < len(tokens)-1 {
			lx.phrases.or(h, phrPrefix)
		}
	}
	lx.phrases.or(h, cls)
}

// matchPhrases marks each token with the gazetteer phrases it is part of,
// longest match first, left to right: bit 4*class + BILOU position.
func (lx *lexicon) matchPhrases(atoms []atom) {
	for i := range atoms {
		atoms[i].phr = 0
	}
	for i := 0; i < len(atoms); {
		if atoms[i].cas == caseNone && atoms[i].flags&flagPunct != 0 {
			i++
			continue
		}
		h := uint64(phraseSeed)
		bestEnd, bestCls := 0, uint32(0)
		for j := i; j < len(atoms) && j-i < maxPhrase; j++ {
			h = mix(h, atoms[j].lw)
			v := lx.phrases.get(h)
			if c := v &^ phrPrefix; c != 0 {
				bestEnd, bestCls = j+1, c
			}
			if v&phrPrefix == 0 {
				break
			}
		}
		if bestEnd == 0 {
			i++
			continue
		}
		for c := bestCls; c != 0; c &= c - 1 {
			base := uint32(4 * bits.TrailingZeros32(c))
			if bestEnd-i == 1 {
				atoms[i].phr |= 1 << (base + posU)
				continue
			}
			atoms[i].phr |= 1 << (base + posB)
			for k := i + 1; k < bestEnd-1; k++ {
				atoms[k].phr |= 1 << (base + posI)
			}
			atoms[bestEnd-1].phr |= 1 << (base + posL)
		}
		i = bestEnd
	}
}
