// Package discovery tells agencies on separate servers which of them hold
// material on a name, a telephone number or an e-mail address, without a
// plaintext name or identifier leaving either server.
//
// Each server exports an Index of one agency's holdings: for every distinct
// spelling of a person or organisation (after Mosaic's name normalisation)
// and every distinct normalised phone number or e-mail address, one Record
// holding a keyed, hardened Bloom filter of it (see Encoder), its kind, a
// random ID and store.Bucket of the documents held on it. The filters are
// made under a linkage key the agencies agree on and never hand to the
// exchange. A peer imports the index, or pulls it over HTTPS with a token
// the owner gave it (Handler, Pull), keeps it under the data folder (Peers)
// and answers its own analysts' queries against it: hit or no hit, per
// agency, with the bucket.
//
// What an index discloses, to whoever holds it:
//
//   - The agency's name, when the index was made, and the encoding's
//     parameters.
//   - How many distinct spellings and identifiers of each kind the agency
//     holds, and for each the bucket of its documents (1, 2-5, 6-20, more):
//     a rough measure of the size and shape of the holdings.
//   - Without the linkage key: filters only. No text, title, document ID,
//     entity ID or date; record IDs are random and new with each export,
//     and records are in the order of those IDs. Each spelling is one
//     record, so no filter repeats and a frequency attack on whole filters
//     has nothing to count. A bit's frequency across records is blurred by
//     balancing (every unfolded filter has exactly half its bits set, so
//     weight says nothing of a name's length) and XOR-folding (each stored
//     bit is the parity of two positions), and the HMAC keys differ per
//     kind, so persons, organisations, phones and e-mails are separate
//     populations. What is left is the similarity of filters to one
//     another: a graph-matching attack that aligns the records' similarity
//     graph with that of a list of known names can still re-identify the
//     spellings whose neighbourhoods are distinctive.
//   - With the linkage key, which every peer holds: membership of any name
//     or identifier the holder can think of. A peer may encode a list of
//     candidates and test them against the index offline, without limit
//     and without the owner knowing; hit/no-hit with a bucket is exactly
//     what the index is for. Identifiers in particular are short of
//     entropy: a peer can enumerate a country's phone numbers. Agencies
//     should share the key only with peers they would answer such
//     questions for, and export only collections they would.
//
// The key check value lets a peer tell an index made under another key
// from one that holds nothing it asks about; it reveals nothing of the key.
package discovery
