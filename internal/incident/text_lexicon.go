package incident

import "mosaic"

// The words FromText reads events by. They are general news and police
// English — the verbs and nouns wire services and incident logs use for
// attacks — not the phrasing of any one document, and they map to the GTD
// codebook's lists: attack types 1 Assassination … 9 Unknown, weapon types
// 5 Firearms, 6 Explosives, 8 Incendiary, 9 Melee, 10 Vehicle, target
// types 1 Business … 22 Violent Political Party. A code is given only where
// the codebook's own definition makes it plain (a knife is Melee; arson of
// a building is a Facility/Infrastructure Attack with an Incendiary
// weapon); "attacked" or "killed" alone says nothing of the type.

// GTD attack types (attacktype1).
var (
	attackAssassination = mosaic.Code{ID: 1, Name: "Assassination"}
	attackArmedAssault  = mosaic.Code{ID: 2, Name: "Armed Assault"}
	attackBombing       = mosaic.Code{ID: 3, Name: "Bombing/Explosion"}
	attackHijacking     = mosaic.Code{ID: 4, Name: "Hijacking"}
	attackBarricade     = mosaic.Code{ID: 5, Name: "Hostage Taking (Barricade Incident)"}
	attackKidnapping    = mosaic.Code{ID: 6, Name: "Hostage Taking (Kidnapping)"}
	attackFacility      = mosaic.Code{ID: 7, Name: "Facility/Infrastructure Attack"}
	attackUnarmed       = mosaic.Code{ID: 8, Name: "Unarmed Assault"}
	attackUnknown       = mosaic.Code{ID: 9, Name: "Unknown"}
)

// GTD weapon types (weaptype1).
var (
	weaponFirearms   = mosaic.Code{ID: 5, Name: "Firearms"}
	weaponExplosives = mosaic.Code{ID: 6, Name: "Explosives"}
	weaponIncendiary = mosaic.Code{ID: 8, Name: "Incendiary"}
	weaponMelee      = mosaic.Code{ID: 9, Name: "Melee"}
	weaponVehicle    = mosaic.Code{ID: 10, Name: "Vehicle (not to include vehicle-borne explosives, i.e., car or truck bombs)"}
)

// GTD target types (targtype1).
var (
	targetBusiness    = mosaic.Code{ID: 1, Name: "Business"}
	targetGovernment  = mosaic.Code{ID: 2, Name: "Government (General)"}
	targetPolice      = mosaic.Code{ID: 3, Name: "Police"}
	targetMilitary    = mosaic.Code{ID: 4, Name: "Military"}
	targetAirports    = mosaic.Code{ID: 6, Name: "Airports & Aircraft"}
	targetDiplomatic  = mosaic.Code{ID: 7, Name: "Government (Diplomatic)"}
	targetEducational = mosaic.Code{ID: 8, Name: "Educational Institution"}
	targetJournalists = mosaic.Code{ID: 10, Name: "Journalists & Media"}
	targetPrivate     = mosaic.Code{ID: 14, Name: "Private Citizens & Property"}
	targetReligious   = mosaic.Code{ID: 15, Name: "Religious Figures/Institutions"}
	targetTransport   = mosaic.Code{ID: 19, Name: "Transportation"}
)

// cue is a word or phrase that says an attack happened.
type cue struct {
	// words are lower-cased tokens, matched in a row.
	words []string
	// attack and weapon are the GTD codes the cue implies; zero when it
	// implies none.
	attack, weapon mosaic.Code
	// event is true for a cue that reports an attack by itself — a verb in
	// the past or the historic present, or a noun that is only used of
	// attacks that happened ("explosion", "arson"). A noun that as often
	// names an attack planned, feared or called for ("attack", "bombing")
	// is false: it joins a sentence to an incident another sentence
	// reported, but does not report one.
	event bool
	// lethal is true when the cue itself says someone died.
	lethal bool
	// agentive is true for a verb whose subject is the attacker in the
	// active voice ("X stabbed Y").
	agentive bool
}

func c(phrase string, attack, weapon mosaic.Code, event, lethal, agentive bool) cue {
	return cue{words: splitWords(phrase), attack: attack, weapon: weapon, event: event, lethal: lethal, agentive: agentive}
}

// cuesByFirst lists, by its first word, the cues (their indexes in cues,
// in order) that begin with that word: a sentence's word is compared with
// the few cues it may begin rather than with every cue.
var cuesByFirst = func() map[string][]int {
	by := map[string][]int{}
	for k, cu := range cues {
		by[cu.words[0]] = append(by[cu.words[0]], k)
	}
	return by
}()

// cues, longest first where one is a prefix of another, so that "car bomb"
// is read before "bomb" would be.
var cues = func() []cue {
	none := mosaic.Code{}
	var out []cue
	verbs := func(attack, weapon mosaic.Code, lethal bool, phrases ...string) {
		for _, p := range phrases {
			out = append(out, c(p, attack, weapon, true, lethal, true))
		}
	}
	nouns := func(attack, weapon mosaic.Code, event bool, phrases ...string) {
		for _, p := range phrases {
			out = append(out, c(p, attack, weapon, event, false, false))
		}
	}
	// Incendiary: arson of property is GTD's Facility/Infrastructure Attack.
	verbs(attackFacility, weaponIncendiary, false, "set alight", "set fire", "set on fire", "torched",
		"set it alight", "set it on fire", "set them alight", "set them on fire", "poured petrol", "doused",
		"firebombed", "fire-bombed", "petrol-bombed", "petrol bombed", "set ablaze")
	nouns(attackFacility, weaponIncendiary, true, "petrol bomb", "petrol bombs", "firebomb", "fire bomb",
		"molotov cocktail", "molotov cocktails", "arson", "arson attack", "incendiary device")
	// Explosives.
	verbs(attackBombing, weaponExplosives, false, "bombed", "detonated", "exploded", "blew up", "blown up",
		"blew himself up", "blew herself up", "blew themselves up")
	nouns(attackBombing, weaponExplosives, true, "car bomb", "car bombing", "truck bomb", "roadside bomb",
		"suicide bomber", "suicide bombers", "suicide bombing", "suicide attack", "explosion", "explosions",
		"blast", "blasts", "explosive device", "ied", "grenade attack", "bomb attack", "bomb blast")
	nouns(attackBombing, weaponExplosives, false, "bombing", "bombings", "bomb", "bombs")
	// Firearms.
	verbs(attackArmedAssault, weaponFirearms, false, "shot", "shoots", "opened fire", "fired on", "fired at",
		"gunned down", "machine-gunned", "sprayed with bullets", "shot at")
	verbs(attackArmedAssault, weaponFirearms, true, "shot dead", "shot and killed", "shot to death")
	nouns(attackArmedAssault, weaponFirearms, true, "gunman", "gunmen", "shooting", "shootings", "gunfire",
		"gun attack", "shootout")
	// Blades.
	verbs(attackArmedAssault, weaponMelee, false, "stabbed", "stabs", "knifed", "slashed")
	verbs(attackArmedAssault, weaponMelee, true, "stabbed to death", "hacked to death", "beheaded")
	nouns(attackArmedAssault, weaponMelee, true, "stabbing", "stabbings", "knife attack", "machete attack",
		"axe attack", "stab wound", "stab wounds")
	// Vehicles: the codebook's weapon type is plain; the attack type of a
	// ramming is not, so none is given.
	verbs(none, weaponVehicle, false, "rammed", "ploughed into", "plowed into", "drove into")
	nouns(none, weaponVehicle, true, "vehicle attack", "ramming attack", "truck attack")
	// Without weapons.
	verbs(attackUnarmed, none, false, "punched", "kicked", "beat up", "strangled")
	verbs(attackUnarmed, none, true, "beaten to death")
	// Hostages and hijacking.
	verbs(attackKidnapping, none, false, "kidnapped", "abducted", "kidnaps", "abducts", "seized hostage")
	nouns(attackKidnapping, none, true, "kidnapping", "abduction")
	verbs(attackBarricade, none, false, "took hostage", "taken hostage", "held hostage", "holding hostage",
		"took hostages", "taken hostages", "held hostages")
	nouns(attackBarricade, none, true, "hostage-taking", "hostage taking", "siege")
	verbs(attackHijacking, none, false, "hijacked", "hijack")
	nouns(attackHijacking, none, true, "hijacking", "hijackers", "hijacker")
	verbs(attackAssassination, none, true, "assassinated", "assassinates")
	nouns(attackAssassination, none, true, "assassination", "assassin", "assassins")
	// Killing and attacking, which say nothing of the type.
	verbs(none, none, true, "killed", "kills", "murdered", "murders", "slain", "slew", "massacred")
	verbs(none, none, false, "attacked", "assaulted", "ambushed")
	nouns(none, none, true, "killing", "killings", "slaying", "massacre", "ambush", "terror attack",
		"terrorist attack", "terrorist attacks")
	// "murder" names a charge as often as an act: "charged with murder".
	nouns(none, none, false, "attack", "attacks", "assault", "assailant", "attacker", "murder")
	return out
}()

// perpetrate are verbs that make an attack noun an event with an agent:
// "X carried out the attack", "Y launched an assault", "Z threw a petrol
// bomb".
var perpetrate = phrases("carried out", "launched", "staged", "committed", "perpetrated", "mounted", "executed",
	"threw", "hurled", "lobbed", "tossed", "planted", "detonated", "set off")

// blockers are words that, shortly before a cue, make it an attack not
// (yet) carried out: planned, threatened, called for, feared, foiled, or
// denied. "to" before a cue reads the cue as an infinitive ("plans to
// attack"), so a verb after "to" is blocked but a noun is not ("the
// response to the attack").
var blockers = set("plan", "plans", "planned", "planning", "plot", "plots", "plotted", "plotting", "threat",
	"threats", "threaten", "threatens", "threatened", "threatening", "urge", "urges", "urged", "urging",
	"incite", "incited", "inciting", "prepare", "prepares", "preparing", "prepared", "intend", "intends",
	"intended", "intending", "would", "will", "could", "might", "may", "should", "shall", "if", "foiled",
	"thwarted", "prevented", "averted", "fear", "fears", "feared", "warned", "warning", "warnings",
	"possible", "potential", "future", "not", "no", "never", "n't", "without", "nor", "deny", "denies",
	"denied", "call", "calls", "called", "calling", "wants", "want", "wanted", "hoped", "vowed", "vows",
	"risk", "avoid", "against")

// clauseBreaks end the reach of a blocker.
var clauseBreaks = set(",", ";", ":", "(", ")", "and", "but", "while", "after", "before", "when", "as",
	"then", "which", "who")

// targets map victim and place nouns to GTD target types.
var targets = func() map[string]mosaic.Code {
	m := map[string]mosaic.Code{}
	add := func(code mosaic.Code, words ...string) {
		for _, w := range words {
			m[w] = code
		}
	}
	add(targetPolice, "police", "policeman", "policemen", "policewoman", "officer", "officers", "pcso",
		"constable", "constables", "gendarme", "gendarmes", "gendarmerie", "checkpoint", "patrol",
		"cop", "cops", "trooper", "troopers", "sheriff", "deputy")
	add(targetMilitary, "soldier", "soldiers", "troops", "army", "military", "barracks", "base",
		"convoy", "marines", "servicemen", "serviceman")
	add(targetReligious, "mosque", "mosques", "church", "churches", "synagogue", "synagogues", "temple",
		"temples", "imam", "priest", "pastor", "rabbi", "worshippers", "congregation", "shrine", "cleric")
	add(targetBusiness, "bar", "pub", "shop", "store", "shopkeeper", "restaurant", "cafe", "café",
		"hotel", "nightclub", "club", "supermarket", "bank", "office", "offices", "factory", "business",
		"company", "owner", "warehouse", "market")
	add(targetTransport, "station", "bus", "buses", "train", "trains", "railway", "metro", "subway",
		"passengers", "travellers", "travelers", "commuters", "coach", "tram", "ferry")
	add(targetAirports, "airport", "airliner", "aircraft", "plane", "flight")
	add(targetEducational, "school", "schools", "university", "college", "pupils", "teacher", "teachers",
		"students", "student", "campus")
	add(targetJournalists, "journalist", "journalists", "reporter", "reporters", "newspaper", "broadcaster")
	add(targetDiplomatic, "embassy", "consulate", "diplomat", "diplomats", "ambassador")
	add(targetGovernment, "minister", "governor", "mayor", "politician", "senator", "parliament",
		"ministry", "councillor", "official", "officials", "judge")
	add(targetPrivate, "civilians", "civilian", "pedestrians", "passers-by", "passersby", "residents",
		"villagers", "shoppers", "crowd", "woman", "man", "men", "women", "children", "family", "home", "house")
	return m
}()

// weaponWords give a weapon type to an incident whose cue gave none:
// "attacked them with a knife".
var weaponWords = func() map[string]mosaic.Code {
	m := map[string]mosaic.Code{}
	add := func(code mosaic.Code, words ...string) {
		for _, w := range words {
			m[w] = code
		}
	}
	add(weaponMelee, "knife", "knives", "blade", "machete", "machetes", "axe", "sword", "hammer", "bat", "cleaver")
	add(weaponFirearms, "gun", "guns", "rifle", "rifles", "pistol", "pistols", "handgun", "shotgun",
		"firearm", "firearms", "kalashnikov", "ak-47", "bullets", "bullet")
	add(weaponExplosives, "explosives", "explosive", "grenade", "grenades", "dynamite", "tnt", "detonator")
	add(weaponIncendiary, "petrol", "gasoline", "accelerant", "lighter fluid")
	return m
}()

// Casualty words. "hurt" and "injured" count the wounded; "dead" and
// "died" the killed.
var (
	killWords  = set("killed", "killing", "dead", "died", "dies", "deaths", "death", "fatalities", "lives", "slain", "bodies", "fatally")
	woundWords = set("wounded", "injured", "hurt", "injuring", "wounding", "injuries", "injury", "wounds",
		"hospitalised", "hospitalized", "casualties")
	// woundVerbs count the wounded after a number in the passive: "two
	// people were stabbed".
	woundVerbs = set("stabbed", "shot", "slashed", "knifed", "burned", "burnt", "cut", "hit")
	// numberWords are the counts news English writes in words.
	numberWords = map[string]int{
		"one": 1, "a": 1, "an": 1, "two": 2, "both": 2, "three": 3, "four": 4, "five": 5, "six": 6,
		"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
		"fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
		"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "dozen": 12, "dozens": 24, "hundred": 100,
		"single": 1,
	}
	// noneWords before a casualty word mean zero: "nobody was injured",
	// "no casualties", "no one was hurt".
	noneWords = set("no", "nobody", "none", "noone", "no-one")
)

// Claims.
var (
	claimWords = set("claimed", "claims", "claim", "claiming")
	// claimNouns follow a claim verb: "claimed responsibility", "claimed
	// the attack".
	claimNouns = set("responsibility", "attack", "attacks", "bombing", "killing", "stabbing", "shooting",
		"credit", "operation")
	// mouthpieces are words for outlets that speak for a group: "its
	// news agency said".
	mouthpieces = set("agency", "outlet", "channel", "mouthpiece", "statement")
	// branchWords in a claimant's name or beside it make a claim a
	// branch's: "Sinai Province", "Wilayat Khorasan".
	branchWords = set("province", "wilayat", "wilaya", "wilayah", "branch", "affiliate", "franchise")
)

// Attribution cues, read in any sentence of the document that names the
// attack or its attacker.
var (
	inspiredPhrases = phrases("inspired by", "inspired attack", "acted on the call", "answered the call",
		"heeded the call", "responded to the call", "heeding the call", "answering the call",
		"inspired-only", "inspired only", "by propaganda only", "pledged allegiance", "pledging allegiance",
		"pledge of allegiance")
	directedPhrases = phrases("on the orders of", "on the instructions of", "at the direction of",
		"directed by", "ordered by", "instructed by", "sent by", "dispatched by", "tasked by",
		"under orders from", "on orders from", "planned by", "masterminded by", "financed by", "funded by",
		"trained by", "armed by", "supplied by")
	// notTerror are phrases that say an incident is not terrorism: GTD's
	// doubtterr.
	notTerror = phrases("not terrorism-related", "not terrorism related", "not a terrorist incident",
		"not a terrorist attack", "not terror-related", "not terror related", "not being treated as terrorism",
		"not being treated as a terrorist", "not treated as terrorism", "not treated as a terrorist",
		"no terrorist motive", "not a terror attack", "not terrorist-related", "not linked to terrorism",
		"not terrorism")
	// agentNouns name the attacker without naming him: "the attacker was
	// identified as X", "the suspect, named as X".
	agentNouns = set("attacker", "assailant", "gunman", "bomber", "suspect", "perpetrator", "killer",
		"hijacker", "kidnapper", "attackers", "assailants", "gunmen", "bombers", "suspects", "perpetrators")
	// identify are the verbs that put a name to an agent noun or to "him".
	identify = phrases("identified as", "named as", "identified him as", "is", "was")
	// loneActor: "X acted alone" names X as the attacker.
	loneActor = phrases("acted alone", "carried out the attack", "was arrested", "was detained",
		"has been charged", "was charged", "has been arrested", "was remanded")
)

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

func phrases(ps ...string) [][]string {
	out := make([][]string, len(ps))
	for i, p := range ps {
		out[i] = splitWords(p)
	}
	return out
}
