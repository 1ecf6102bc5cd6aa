#!/usr/bin/env python3
"""Time igraph's Louvain (community_multilevel) on a TSV edge list.

Usage: scripts/igraph-louvain.py FILE.tsv [--seed N] [--repeat N]

FILE.tsv holds "source<TAB>target[<TAB>weight]" lines, as written by
"mosaic bench-graph --write-edges". Prints the load time, then for each run
the multilevel time (load excluded), the modularity and the community count,
so that they can be set beside mosaic's own figures on the same graph.
Needs python3-igraph (Debian) or the igraph wheel.
"""
import argparse
import random
import time

import igraph


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("edges", help="TSV edge list")
    ap.add_argument("--seed", type=int, default=1, help="seed of igraph's random node order")
    ap.add_argument("--repeat", type=int, default=1, help="runs to time")
    args = ap.parse_args()

    start = time.perf_counter()
    # Ncol reads whitespace-separated "a b [weight]" lines, names nodes in
    # order of appearance and merges nothing: the file has each edge once.
    g = igraph.Graph.Read_Ncol(args.edges, names=True, weights="if_present", directed=False)
    load = time.perf_counter() - start
    weights = "weight" if "weight" in g.es.attributes() else None
    print(f"igraph {igraph.__version__}: {g.vcount()} nodes, {g.ecount()} edges, loaded in {load:.2f}s")

    random.seed(args.seed)
    for run in range(args.repeat):
        start = time.perf_counter()
        parts = g.community_multilevel(weights=weights)
        secs = time.perf_counter() - start
        q = g.modularity(parts.membership, weights=weights)
        print(f"run {run + 1}: multilevel {secs:.2f}s, modularity {q:.4f}, {len(parts)} communities")


if __name__ == "__main__":
    main()
