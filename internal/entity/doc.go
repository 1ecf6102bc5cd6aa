// Package entity turns names into entities: it prepares names for matching
// (transliteration to Latin, folding of accents, titles, particles and name
// order), compares two names feature by feature so that every verdict can be
// explained, and clusters many names into entities with blocking that keeps
// the cost near-linear.
//
// The pieces, in the order a name meets them:
//
//   - NewName normalises a raw name once: scripts are transliterated (Arabic,
//     Persian, Urdu and Pashto letters, Cyrillic, Greek, Hebrew and Korean by
//     tables of this package, the rest through go-unidecode, Chinese as
//     pinyin), accents folded, titles dropped, "SURNAME, Given" and "SURNAME
//     Given" reordered, Arabic articles and particles (al-, el-, as-, bin, ibn,
//     ould, Abu) split off and marked, and "Abd al-X" and "X al-Din" compounds
//     joined. Each token gets a consonant skeleton that maps transliteration
//     variants (ou/u, q/k, kh/h, dj/j, ch/sh, double letters, vowels) to one
//     key, and a vowel profile that tells apart names the skeleton confuses
//     (Muhammad and Mahmud, Hasan and Husayn).
//   - Compare aligns the tokens of two names (order-insensitive, with a bonus
//     for the same order) and scores the alignment, with rules an analyst
//     would apply: surnames must agree, given names must not conflict,
//     initials must be compatible, a kunya ("Abu X al-Y") matches only another
//     spelling of the same kunya, an acronym matches its expansion. Its
//     features add up to its score, so a verdict explains itself.
//   - Dedupe clusters names using the blocking keys of each Name; Index does
//     the same incrementally, one new name at a time.
//
// Organisations' names are matched as an analyst reads them: by their head
// noun (findHead: a coalition is not the group it is named against, and
// two coalitions are not one on the word "coalition"), with the generic
// words aliases translate aligned across languages and scripts (concepts).
//
// Corefer links the mentions of one document, including the other names a
// text states ("X (ISIL)", "also known by its Arabic acronym as DAESH");
// Resolver ties each document's mentions to stored entities through an
// Index, keeping stated aliases across documents, and links names that a
// Watchlist gives (the built-in OFAC counter-terrorism entries, or a
// user's list) to the entity of their entry. Evaluate scores Dedupe on the
// OFAC counter-terrorism entries with B-cubed precision and recall.
package entity
