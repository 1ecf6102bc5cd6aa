package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"mosaic/internal/store"
)

// gatedCorpus is the fixture's store with its relations held back until
// the gate opens, counting the reads.
type gatedCorpus struct {
	Corpus
	gate  chan struct{}
	reads atomic.Int32
}

func (g *gatedCorpus) Relations(ctx context.Context, f store.RelationFilter, fn func(store.RelationRow) error) error {
	g.reads.Add(1)
	<-g.gate
	return g.Corpus.Relations(ctx, f, fn)
}

// A network slower to build than a request's deadline is built once for
// all the requests that want it, and is there for the next request even
// though every request that waited for it gave up.
func TestNetworkBuildOutlastsRequests(t *testing.T) {
	f, srv, id := networkCase(t)
	g := &gatedCorpus{Corpus: srv.Corpus, gate: make(chan struct{})}
	srv.Corpus = g
	srv.RequestTimeout = 50 * time.Millisecond
	h := f.as(analyst, srv.Handler())
	target := fmt.Sprintf("/api/v1/entities/%d/neighbours?hops=1", id("Idris Kallweit"))
	var wg sync.WaitGroup
	statuses := make([]int, 6)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, _ := get(t, h, target)
			statuses[i] = res.StatusCode
		}()
	}
	wg.Wait()
	for i, s := range statuses {
		if s != http.StatusServiceUnavailable {
			t.Errorf("request %d while the network builds: status %d, want 503", i, s)
		}
	}
	close(g.gate)
	srv.RequestTimeout = 10 * time.Second
	h = f.as(analyst, srv.Handler())
	var got struct {
		Neighbours []struct {
			Name string `json:"name"`
		} `json:"neighbours"`
	}
	getJSON(t, h, target, http.StatusOK, &got, "neighbours", "complete")
	if len(got.Neighbours) == 0 {
		t.Errorf("no neighbours of Kallweit once the network is built")
	}
	if n := g.reads.Load(); n != 1 {
		t.Errorf("relations read %d times, want once for every request", n)
	}
}

// A client trying one filter after another sets off a bounded amount of
// work: at most maxNetworkBuilds builds read relations at once, and
// filters past maxCachedNetworks unfinished builds are refused.
func TestNetworkBuildsBounded(t *testing.T) {
	f, srv, id := networkCase(t)
	g := &gatedCorpus{Corpus: srv.Corpus, gate: make(chan struct{})}
	srv.Corpus = g
	srv.RequestTimeout = 20 * time.Millisecond
	h := f.as(analyst, srv.Handler())
	kallweit := id("Idris Kallweit")
	var bodies []string
	for day := 1; day <= maxCachedNetworks+1; day++ {
		res, body := get(t, h, fmt.Sprintf("/api/v1/entities/%d/neighbours?hops=1&since=2016-01-%02d", kallweit, day))
		if res.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("filter %d while the builds wait: status %d, want 503", day, res.StatusCode)
		}
		bodies = append(bodies, string(body))
	}
	if !strings.Contains(bodies[len(bodies)-1], "too many networks") {
		t.Errorf("the filter past the bound: %s, want it refused as too many builds", bodies[len(bodies)-1])
	}
	if strings.Contains(bodies[0], "too many networks") {
		t.Errorf("the first filter was refused: %s", bodies[0])
	}
	time.Sleep(50 * time.Millisecond)
	if n := g.reads.Load(); n != maxNetworkBuilds {
		t.Errorf("%d builds reading relations at once, want %d", n, maxNetworkBuilds)
	}
	close(g.gate)
}

// regatedCorpus is the fixture's store with a generation of its own and
// its relations held back while a gate is shut, counting the reads.
type regatedCorpus struct {
	Corpus
	gen   atomic.Int64
	mu    sync.Mutex
	gate  chan struct{}
	reads atomic.Int32
}

func (g *regatedCorpus) EntityGeneration(context.Context) (int64, error) { return g.gen.Load(), nil }

func (g *regatedCorpus) Relations(ctx context.Context, f store.RelationFilter, fn func(store.RelationRow) error) error {
	g.reads.Add(1)
	g.mu.Lock()
	gate := g.gate
	g.mu.Unlock()
	<-gate
	return g.Corpus.Relations(ctx, f, fn)
}

// While a new generation's network is being built (an ingest batch came),
// a request is answered from the last network built, marked stale, and
// not kept waiting for the build; once built, the new one answers.
func TestNetworkStaleWhileRebuilt(t *testing.T) {
	f, srv, id := networkCase(t)
	g := &regatedCorpus{Corpus: srv.Corpus, gate: make(chan struct{})}
	close(g.gate)
	g.gen.Store(1)
	srv.Corpus = g
	srv.networks.staleWait = 20 * time.Millisecond
	h := f.as(analyst, srv.Handler())
	target := fmt.Sprintf("/api/v1/entities/%d/neighbours?hops=1", id("Idris Kallweit"))
	type reply struct {
		Neighbours []struct {
			Name string `json:"name"`
		} `json:"neighbours"`
	}
	read := func() (reply, *http.Response) {
		t.Helper()
		res, body := get(t, h, target)
		var r reply
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d: %s", target, res.StatusCode, body)
		}
		if err := json.Unmarshal([]byte(body), &r); err != nil {
			t.Fatalf("GET %s: %v", target, err)
		}
		return r, res
	}
	first, res := read()
	if len(first.Neighbours) == 0 || res.Header.Get(staleHeader) != "" {
		t.Fatalf("first network: %d neighbours, stale %q; want some, fresh", len(first.Neighbours), res.Header.Get(staleHeader))
	}
	shut := make(chan struct{})
	g.mu.Lock()
	g.gate = shut
	g.mu.Unlock()
	g.gen.Store(2)
	stale, res := read()
	if res.Header.Get(staleHeader) != "building" || len(stale.Neighbours) != len(first.Neighbours) {
		t.Errorf("while the next network builds: %d neighbours, stale %q; want the %d of the last one, stale",
			len(stale.Neighbours), res.Header.Get(staleHeader), len(first.Neighbours))
	}
	close(shut)
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, _ := get(t, h, target)
		if res.StatusCode == http.StatusOK && res.Header.Get(staleHeader) == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the new network never answered: status %d, stale %q", res.StatusCode, res.Header.Get(staleHeader))
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := g.reads.Load(); n != 2 {
		t.Errorf("relations read %d times, want twice: once a generation", n)
	}
}
