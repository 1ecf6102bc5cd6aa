package entity

// Weights say how much a token tells about identity. Compare uses these
// built-in weights, so that its verdict on two names does not depend on what
// else is being matched; Dedupe lowers them further for tokens that are
// frequent in the data at hand.
const (
	weightWord     = 1.0
	weightInitial  = 0.4
	weightKunya    = 0.25
	weightCommon   = 0.6  // a common given name: Khalid, Ibrahim, Yusuf
	weightFrequent = 0.35 // the commonest: Muhammad, Ahmad, Ali, Abdallah, Hasan
	weightGeneric  = 0.3  // a generic word of an organisation's name: group, front, bank
	weightLegal    = 0.05
)

// staticWeight returns the built-in weight of a token in a name of kind k.
func staticWeight(t *token, k Kind) float64 {
	switch t.role {
	case roleInitial:
		return weightInitial
	case roleKunya:
		return weightKunya
	case roleArticle, roleParticle, roleStop:
		return 0
	}
	if isDigitWord(t.text) {
		return weightWord
	}
	if k != Person {
		if orgGeneric[t.skel] {
			return weightGeneric
		}
	}
	if k != Org {
		if frequentNames[t.skel] {
			return weightFrequent
		}
		if commonNames[t.skel] {
			return weightCommon
		}
	}
	return weightWord
}

// skeletonSet builds a set of the skeletons of names.
func skeletonSet(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[skeleton(canonicalPersonWord(n))] = true
	}
	return m
}

// frequentNames are the given names that, across the Arab and Muslim world,
// several people in any list share.
var frequentNames = skeletonSet("muhammad", "ahmad", "ali", "abdallah", "hasan", "husayn", "mahmud", "mustafa")

// commonNames are common given names and name elements.
var commonNames = skeletonSet(
	"umar", "uthman", "ibrahim", "ismail", "yusuf", "khalid", "salih", "said", "hamid", "musa",
	"isa", "yahya", "sulayman", "abdalrahman", "abdalaziz", "abdalkarim", "abdalqadir", "abdalhamid",
	"abdalrahim", "abdalsalam", "abdalmajid", "abdalnasir", "abdallatif", "abdalwahid", "karim",
	"rahman", "aziz", "nasir", "jamal", "kamal", "faisal", "khalil", "yasin", "ayman", "usama",
	"hamza", "bakr", "jafar", "mansur", "nur", "amin", "rashid", "majid", "tariq", "walid",
	"zayd", "bilal", "anwar", "idris", "adil", "samir", "adnan", "fadl", "habib", "hussain",
	"jan", "khan", "gul", "shah", "aslam", "akbar", "iqbal", "javed", "imran", "farid",
	"sharif", "bashir", "nazir", "qasim", "hashim", "ghulam", "rasul", "wali", "zaman",
	"abbas", "jabir", "sami", "salim", "saleh", "salem", "ashraf", "mahdi", "hadi", "ramadan",
	"ismael", "harun", "dawud", "sulaiman", "yunus", "ilyas", "zakariya", "abdalhakim", "john",
	"michael", "david", "james", "robert", "william", "thomas", "peter", "paul", "mark",
	"hassan", "mohammad", "mohammed",
)

// orgGeneric are the words of organisations' names that many organisations
// share: kinds of organisation and the words around them.
var orgGeneric = func() map[string]bool {
	m := make(map[string]bool)
	for w := range orgGenericWords {
		m[skeleton(w)] = true
	}
	return m
}()

var orgGenericWords = map[string]bool{
	"islamic": true, "islami": true, "islamiya": true, "islamiyya": true, "group": true, "groups": true,
	"organization": true, "organisation": true, "front": true, "army": true, "movement": true,
	"brigade": true, "brigades": true, "battalion": true, "battalions": true, "force": true,
	"forces": true, "party": true, "company": true, "trading": true, "international": true,
	"foundation": true, "charity": true, "charitable": true, "society": true, "association": true,
	"committee": true, "council": true, "union": true, "center": true, "centre": true,
	"institute": true, "bank": true, "exchange": true, "services": true, "service": true,
	"general": true, "national": true, "united": true, "holding": true, "holdings": true,
	"industries": true, "industrial": true, "industry": true, "import": true, "export": true,
	"investment": true, "investments": true, "development": true, "relief": true, "aid": true,
	"humanitarian": true, "network": true, "jamaat": true, "jamaah": true, "jamaa": true,
	"harakat": true, "harakah": true, "tanzim": true, "state": true, "republic": true, "people": true,
	"peoples": true, "popular": true, "revolutionary": true, "liberation": true, "jihad": true,
	"mujahidin": true, "mujahideen": true, "martyrs": true, "fund": true, "agency": true,
	"enterprise": true, "enterprises": true, "commercial": true, "commerce": true, "office": true,
	"media": true, "foundations": true, "welfare": true, "ministry": true, "department": true,
	"resistance": true, "mosque": true, "school": true, "university": true, "shipping": true,
	"airlines": true, "air": true, "trust": true, "money": true, "transfer": true, "financial": true,
	"finance": true, "global": true, "world": true, "arab": true, "new": true, "al": true,
}
