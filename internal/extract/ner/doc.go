// Package ner is Mosaic's named-entity recogniser: a tagger for people
// (PER), organisations (ORG), places (LOC) and other names (MISC), trained
// by Mosaic's own code on CoNLL-2003 and embedded in the binary.
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
// # Reproducing
//
//	mosaic train ner --conll ../shared/data/conll2003/train.txt --dev ../shared/data/conll2003/dev.txt
//	mosaic eval ner --conll ../shared/data/conll2003/dev.txt --json
//	go test -run=^$ -bench=. ./internal/extract/ner/
//
// Training is deterministic (fixed seeds for shuffling, augmentation and
// folds) and writes model.gz, which the binary embeds; run it from the
// repository root and rebuild.
package ner
