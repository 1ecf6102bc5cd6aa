// Package graph holds the entity-to-entity network algorithms of the
// workbench over a compact adjacency: CSR, compressed sparse rows, where the
// neighbours of every node sit in one sorted run of a single array.
//
// Nodes are dense int32 ids 0..n-1; callers map their own ids (entity ids,
// labels of an edge list) to these and back. The graph is undirected with
// float64 edge weights: a Builder merges parallel edges by summing their
// weights and drops self-loops, so a Graph is simple and every edge appears
// in the rows of both its ends.
//
// The pieces:
//
//   - Builder and Graph: construction by counting sort, so that ten million
//     edges build in seconds, and neighbour lookups that return slices of the
//     CSR arrays without copying. ReadEdgeList builds one from a TSV edge list.
//   - Searcher: hop-bounded neighbourhoods (Within), shortest paths by
//     bidirectional BFS and k shortest loopless paths (Yen), all by hop count
//     and all able to skip edges through a Filter. A Searcher keeps its
//     scratch between queries, so a query costs what it visits, not O(n).
//   - Louvain and Modularity: community detection by multi-level modularity
//     optimisation.
//   - PageRank, Betweenness (Brandes, exact or sampled), Eigenvector and Top:
//     centrality, to rank who matters in a network.
//   - Generate: a deterministic graph with planted communities and
//     heavy-tailed degrees, for benchmarks and tests.
//
// A Graph is immutable once built and safe for concurrent readers.
package graph
