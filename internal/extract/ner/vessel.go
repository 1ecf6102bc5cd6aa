package ner

import "unicode"

// shipPrefixes are the prefixes navies and registers put before a ship's
// name: "HMS Dauntless", "USS Cole". A name after one is a ship — MISC, as
// CoNLL-2003 types vehicles — however much it looks like a person's.
// Prefixes that are also common words or acronyms (INS, JS, SS, ITS, FS)
// are left out.
var shipPrefixes = map[string]bool{
	"HMS": true, "USS": true, "USNS": true, "HMCS": true, "HMAS": true, "HMNZS": true,
	"RFA": true, "HMY": true, "MV": true, "M/V": true, "RV": true, "TCG": true, "ROKS": true,
	"KRI": true, "HNLMS": true, "HDMS": true, "HNoMS": true, "HSwMS": true, "BNS": true,
	"PNS": true, "NRP": true, "FGS": true,
}

// shipNames makes "PREFIX Name ..." one MISC mention: the prefix (written
// as navies write it), and the capitalised words after it, with "of" or
// "the" between two of them ("HMS Prince of Wales"). Spans the model found
// there are replaced.
func shipNames(spans []Span, words []string) []Span {
	changed := false
	for i := 0; i+1 < len(words); i++ {
		if !shipPrefixes[words[i]] || !shipWord(words[i+1]) {
			continue
		}
		e := i + 2
		for e < len(words) {
			if shipWord(words[e]) {
				e++
				continue
			}
			if (words[e] == "of" || words[e] == "the") && e+1 < len(words) && shipWord(words[e+1]) {
				e += 2
				continue
			}
			break
		}
		kept := spans[:0]
		conf := 0.9
		for _, sp := range spans {
			if sp.End <= i || sp.Start >= e {
				kept = append(kept, sp)
			} else {
				conf = max(conf, sp.Confidence)
			}
		}
		spans = append(kept, Span{Start: i, End: e, Kind: MISC, Confidence: conf})
		changed = true
		i = e - 1
	}
	if changed {
		sortSpans(spans)
	}
	return spans
}

// shipWord is a word of a ship's name: capitalised.
func shipWord(w string) bool {
	for _, r := range w {
		return unicode.IsUpper(r)
	}
	return false
}
