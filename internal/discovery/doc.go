// Package discovery tells agencies on separate servers which of them hold
// material on a name, a telephone number or an e-mail address, without a
// plaintext name or identifier leaving either server.
//
// Each server exports an Index of keyed, hardened Bloom-filter encodings of
// its entities' spellings and identifiers (see Encoder), made under a
// linkage key the agencies share and the exchange never sees. A peer
// imports the index and answers its own analysts' queries against it:
// hit or no-hit, with a rough count of documents.
package discovery
