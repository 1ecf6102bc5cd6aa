// Package relation is Mosaic's learned relation classifier: given one
// sentence and two entity mentions in it, it says which typed relation, if
// any, the sentence states between them — member, location, attack or family
// — and in which direction, with a probability.
//
// The model is multinomial logistic regression over hashed sparse features
// of the pair (the two mention types and their order, the token distance,
// the words between them as a bag, bigrams and their first and last, the
// words just outside, each mention's last word, punctuation and other
// mentions between). It is trained by Train with stochastic gradient descent
// and L2 regularisation, in a fixed order from a fixed seed, so the same data
// and options give the same weights, byte for byte. Weights are quantised to
// 8 bits and written gzipped by Save; `mosaic train relations` writes
// model.gz here, which the binary embeds (Default).
//
// Training data comes from the annotated corpora (package annotated):
// CoNLL04's train split and Re-DocRED's dev split. Every pair of name
// mentions in one sentence is an example, labelled with the mapped relation
// between their entities when the sentence is among that relation's
// evidence, "none" when the entities hold no mapped relation; pairs whose
// relation is stated elsewhere, or is one Mosaic has no name for, teach
// nothing and are left out. Per-type probability thresholds are chosen on
// CoNLL04's dev split (Thresholds) and stored with the weights.
//
// Why this model: on CoNLL04 dev, gold mentions given, it scores F1 0.704
// taking the most probable class at probability 0.5, where an averaged
// perceptron over the same features scores 0.680, 0.686 and 0.691 after 5,
// 10 and 20 epochs; and it gives a probability, which sets per-type
// thresholds and is the Confidence Mosaic shows. With its dev-chosen
// thresholds (member 0.25, location 0.35, attack 0.11; family, which
// CoNLL04 does not annotate, 0.5) it scores P 0.733 R 0.729 F1 0.731 there.
// It learns from both corpora: trained on CoNLL04 alone it scores 0.732 on
// CoNLL04 dev, on both 0.731, and only Re-DocRED teaches it family and the
// phrasing of text other than news. (Re-DocRED's test split, on which the
// README reports it, was not used to choose anything here.)
//
// The package depends on no other part of extraction: a caller describes a
// sentence as its words and the two mentions as token spans with types
// (Pair), so package extract can use it without an import cycle.
package relation
