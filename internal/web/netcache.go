package web

import (
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
type networkCache struct {
	mu    sync.Mutex
	gen   int64
	built map[string]*networkBuild
	// running holds a token for each build that is reading relations.
	running chan struct{}
}

// networkBuild is one network, built or being built.
type networkBuild struct {
	done chan struct{} // closed when n and err are set
	n    *network.Network
	err  error
}

// maxCachedNetworks bounds the filters whose networks are kept.
const maxCachedNetworks = 16

// networkBuildTimeout bounds one build, which no request's end stops.
const networkBuildTimeout = 10 * time.Minute

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

func (c *networkCache) get(ctx context.Context, corpus Corpus, key string, opts network.Options) (*network.Network, error) {
	gen, err := corpus.EntityGeneration(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if gen != c.gen || c.built == nil {
		c.gen, c.built = gen, map[string]*networkBuild{}
	}
	if c.running == nil {
		c.running = make(chan struct{}, maxNetworkBuilds)
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
			return nil, errBusy
		}
		b = &networkBuild{done: make(chan struct{})}
		c.built[key] = b
		go c.build(context.WithoutCancel(ctx), b, corpus, key, opts)
	}
	c.mu.Unlock()
	select {
	case <-b.done:
		return b.n, b.err
	case <-ctx.Done():
		return nil, ctx.Err()
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
	if b.err != nil {
		c.mu.Lock()
		if c.built[key] == b {
			delete(c.built, key)
		}
		c.mu.Unlock()
	}
	close(b.done)
}
