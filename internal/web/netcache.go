package web

import (
	"context"
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
type networkCache struct {
	mu    sync.Mutex
	gen   int64
	built map[string]*networkBuild
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

func (c *networkCache) get(ctx context.Context, corpus Corpus, key string, opts network.Options) (*network.Network, error) {
	gen, err := corpus.EntityGeneration(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if gen != c.gen || c.built == nil {
		c.gen, c.built = gen, map[string]*networkBuild{}
	}
	b := c.built[key]
	if b == nil {
		if len(c.built) >= maxCachedNetworks {
			clear(c.built) // builds in flight still reach their waiters
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
	b.n, b.err = network.Build(ctx, corpus, opts)
	if b.err != nil {
		c.mu.Lock()
		if c.built[key] == b {
			delete(c.built, key)
		}
		c.mu.Unlock()
	}
	close(b.done)
}
