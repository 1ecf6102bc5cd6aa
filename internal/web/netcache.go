package web

import (
	"cmp"
	"context"
	"fmt"
	"sync"
	"time"

	"mosaic/internal/network"
)

// networkCache keeps the networks built for recent filters until the
// store's generation changes: an ingest or a judgement. Building reads
// every relation, so without it each request would.
//
// A network is built once however many requests want it at the same time,
// and its build does not end with the request that started it: on a large
// corpus it can outlast one request's deadline, and a build cancelled with
// each request that gave up would never finish. Requests wait for it only
// until their own deadline.
//
// At most maxNetworkBuilds builds run at once, and a build in flight is
// never evicted; a request for yet another filter while maxCachedNetworks
// builds are unfinished is refused (errBusy), so that a client trying
// filters one after another cannot set off unbounded work.
//
// While ingest runs, every batch changes the generation, and at 100,000
// documents a build takes 35 s: a request whose network is being built
// anew waits for it staleWait at most, then is answered from the last
// network built for its filter, stale (see networkFor), rather than wait
// for, or time out on, a build that the next batch outdates.
type networkCache struct {
	mu    sync.Mutex
	gen   int64
	built map[string]*networkBuild
	// last is the newest network built for each filter, of this
	// generation or an earlier one.
	last map[string]*networkBuild
	// running holds a token for each build that is reading relations.
	running chan struct{}
	// staleWait, when set, replaces defaultStaleWait.
	staleWait time.Duration
}

// networkBuild is one network, built or being built.
type networkBuild struct {
	gen  int64
	done chan struct{} // closed when n and err are set
	n    *network.Network
	err  error
}

// defaultStaleWait is how long a request waits for its network to be
// built anew before it is answered from the last one built.
const defaultStaleWait = 2 * time.Second

// maxCachedNetworks bounds the filters whose networks are kept.
const maxCachedNetworks = 16

// networkBuildTimeout bounds one build, which no request's end stops. A
// million documents on PostgreSQL take about 10 minutes on a 2-core
// machine (bench serve, 2026-12-07), which a bound of 10 cancelled, and
// the next request started over.
const networkBuildTimeout = time.Hour

// maxNetworkBuilds bounds the builds that read relations at once.
const maxNetworkBuilds = 2

// errBusy refuses a network while too many others are being built.
var errBusy = fmt.Errorf("%w: too many networks are being built; try again shortly", errUnavailable)

// finished reports whether b's build is over.
func (b *networkBuild) finished() bool {
	select {
	case <-b.done:
		return true
	default:
		return false
	}
}

// get returns the network of the filter key, and whether it is stale: an
// earlier generation's, while the current one's is being built.
func (c *networkCache) get(ctx context.Context, corpus Corpus, key string, opts network.Options) (*network.Network, bool, error) {
	gen, err := corpus.EntityGeneration(ctx)
	if err != nil {
		return nil, false, err
	}
	c.mu.Lock()
	if gen != c.gen || c.built == nil {
		c.gen, c.built = gen, map[string]*networkBuild{}
	}
	if c.running == nil {
		c.running = make(chan struct{}, maxNetworkBuilds)
		c.last = map[string]*networkBuild{}
	}
	b := c.built[key]
	if b == nil {
		if len(c.built) >= maxCachedNetworks {
			for k, old := range c.built {
				if old.finished() {
					delete(c.built, k)
				}
			}
		}
		if len(c.built) >= maxCachedNetworks {
			c.mu.Unlock()
			return nil, false, errBusy
		}
		b = &networkBuild{gen: gen, done: make(chan struct{})}
		c.built[key] = b
		go c.build(context.WithoutCancel(ctx), b, corpus, key, opts)
	}
	last := c.last[key]
	c.mu.Unlock()
	if last != nil && last.gen < b.gen {
		t := time.NewTimer(cmp.Or(c.staleWait, defaultStaleWait))
		defer t.Stop()
		select {
		case <-b.done:
			if b.err == nil {
				return b.n, false, nil
			}
		case <-t.C:
		case <-ctx.Done():
			return nil, false, ctx.Err()
		}
		return last.n, true, nil
	}
	select {
	case <-b.done:
		return b.n, false, b.err
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
}

// build builds b's network; a failed build is forgotten, so that the next
// request tries again.
func (c *networkCache) build(ctx context.Context, b *networkBuild, corpus Corpus, key string, opts network.Options) {
	ctx, cancel := context.WithTimeout(ctx, networkBuildTimeout)
	defer cancel()
	select {
	case c.running <- struct{}{}:
		b.n, b.err = network.Build(ctx, corpus, opts)
		<-c.running
	case <-ctx.Done():
		b.err = ctx.Err()
	}
	c.mu.Lock()
	switch {
	case b.err != nil:
		if c.built[key] == b {
			delete(c.built, key)
		}
	case c.last[key] == nil || c.last[key].gen < b.gen:
		// The filters remembered are bounded as the builds are: the
		// oldest go first.
		if _, ok := c.last[key]; !ok && len(c.last) >= maxCachedNetworks {
			var oldest string
			for k, l := range c.last {
				if oldest == "" || l.gen < c.last[oldest].gen {
					oldest = k
				}
			}
			delete(c.last, oldest)
		}
		c.last[key] = b
	}
	c.mu.Unlock()
	close(b.done)
}
