// Package ner is Mosaic's named-entity recogniser: a tagger for people
// (PER), organisations (ORG), places (LOC) and other names (MISC), trained
// by Mosaic's own code on CoNLL-2003, Re-DocRED and CoNLL04 and embedded in
// the binary.
//
// # Model
//
// An averaged structured perceptron (Collins, 2002) over hashed sparse
// features, decoded with Viterbi over BILOU labels restricted to
// well-formed sequences. A perceptron was chosen over a CRF because it
// trains in seconds on two cores (a CRF needs forward-backward and many
// L-BFGS passes for the same features) and reaches the dev F1 of the best
// published feature-based systems here; Ratinov and Roth (2009) found the
// two on par for NER given the same features.
//
// Features are hashed with FNV-1a and mixed into 2^20 buckets (Options.Bits;
// 2^22 scored the same on dev and is slower: a 16 MB index instead of 4 MB);
// a bucket's row holds one weight per label for each pass. Inference needs
// no string map and allocates nothing per token.
//
// Two passes: the first tags each sentence alone; the second adds what the
// first found elsewhere in the document (docfeat.go) — a name tagged PER
// once is PER throughout, an ALL-CAPS headline word seen capitalised in
// the text is a name. The second pass is trained on jackknifed first-pass
// output (4 folds), so it learns how far to trust it.
//
// Generalising beyond 1990s Reuters: word shape, affixes, the case of the
// whole sentence (ALL-CAPS, lower case, Title Case) combined with shape and
// word, particles and kunyas (al-, el-, bin, ibn, abu, umm, van der),
// titles before a name, organisation words (Ministry, Brigade, Front),
// demonyms, gazetteers (OFAC names and organisations, CLDR countries,
// GeoNames cities: see gazetteer/ATTRIBUTION) and 10% of the training
// sentences added again upper-cased and 10% lower-cased.
//
// # Measured
//
// Dev F1 (CoNLL-2003 eng.testa, conlleval exact match) after 12 epochs per
// model, each group added to the row above, as printed by
// `mosaic train ner --features ...`:
//
//	features                                    dev F1
//	base (words, shapes, window ±2, case)       0.8879
//	+ affixes 1–4                               0.9050
//	+ character trigrams                        0.9000  (dropped: hurts)
//	+ word classes (titles, particles, ...)     0.9063  (without trigrams)
//	+ gazetteers                                0.9124
//	+ document pass                             0.9233
//	+ case augmentation 10%+10%  (the default)  0.9285
//	default + character trigrams                0.9243
//	default, augmentation 20%+20%               0.9247
//	default, 8 / 20 epochs                      0.9239 / 0.9269
//	default, 2^20 buckets                       0.9282
//	default, seed 2                             0.9246  (seed noise ≈ ±0.2)
//
// Word classes and gazetteers add little on Reuters dev, which the words
// themselves already cover; they are there for text that is not Reuters.
// Augmentation is what keeps upper- and lower-cased text readable (see
// `mosaic eval ner --case upper|lower`).
//
// # More varied text
//
// CoNLL-2003 is 1996 Reuters: sport, markets, politics. Beside it the model
// trains on the mention annotations of Re-DocRED (dev split: Wikipedia
// articles on people, bands, ships, battles, companies) and CoNLL04 (train
// split: US news), read by FromAnnotated in CoNLL-2003's conventions
// (corpus.go). Neither annotates every name — Re-DocRED only those in its
// entity clusters, CoNLL04 no MISC — so the tokens they leave open that
// may be names are free: training fills them with the best labels the
// current weights allow (partial annotation as latent structure), instead
// of teaching that they are not names. An update on such a sentence weighs
// half one on CoNLL-2003 (Options.Partial). Scored by `mosaic eval ner`
// (F1; Re-DocRED test and CoNLL04 dev leave out names predicted where the
// corpus annotates none):
//
//	training data, policy for unannotated tokens   CoNLL dev  Re-DocRED test  CoNLL04 dev
//	CoNLL-2003 alone (the model before this)        0.9282     0.590           0.678
//	CoNLL-2003 alone, today's word classes          0.9268     0.588           0.672
//	+ CoNLL04 train                                 0.9269     0.606           0.831
//	+ Re-DocRED dev                                 0.9308     0.714           0.699
//	+ both, unannotated read as O                   0.9311     0.715           0.839
//	+ both, sentences with any dropped              0.9280     0.711           0.783
//	+ both, free, full weight                       0.9284     0.721           0.842
//	+ both, free, half weight (the default)         0.9316     0.716           0.839
//
// Extra corpora at half weight unless said; seed noise is about ±0.3 on
// each. Free and read-as-O score alike here,
// where names on unannotated tokens are not scored; free is kept because
// it does not teach that a name the corpus skipped is not one
// (TestPartialTraining). The model file stores weights as
// multiples of one step (file.go), which keeps it at 3.0 MB.
//
// # After the tagger
//
// Recognize applies conventions the model cannot learn from its corpora:
// offices come off the front of a person, including the end of an office
// the tagger swept in ("Secretary of State Jane Doe" gives "Jane Doe";
// office.go); post-nominals off the end ("MP", "QC"); a name after a naval
// prefix is a ship, MISC (vessel.go); international bodies (UN, NATO, EU)
// and armed groups are organisations, and so is a name an Arabic
// organisation head starts ("Ansar al-...", "Jabhat ..."); an organisation
// cut at "and", "of" or "for" is joined again when an acronym after it or
// the OFAC gazetteer says it is one name (join.go); and a surname of a
// person the document names in full is that person wherever it stands
// alone, also in lower-case speech (surname.go).
//
// # Reproducing
//
//	mosaic train ner --conll ../shared/data/conll2003/train.txt --redocred ../shared/data/redocred/dev.json \
//		--conll04 ../shared/data/conll04/train.json --dev ../shared/data/conll2003/dev.txt
//	mosaic eval ner --conll ../shared/data/conll2003/dev.txt --json
//	mosaic eval ner --redocred ../shared/data/redocred/test.json
//	mosaic eval ner --conll04 ../shared/data/conll04/dev.json
//	go test -run=^$ -bench=. ./internal/extract/ner/
//
// Training is deterministic (fixed seeds for shuffling, augmentation and
// folds) and writes model.gz, which the binary embeds; run it from the
// repository root and rebuild.
package ner
