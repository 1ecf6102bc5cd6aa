package discovery

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"mosaic"
)

// MaxPeerNameLen bounds a peer's name.
const MaxPeerNameLen = 64

// ValidPeerName reports whether name may name a peer: letters, digits,
// '.', '_' and '-', not starting with '.', at most MaxPeerNameLen bytes. A
// peer's name becomes a file name, so nothing else is let through.
func ValidPeerName(name string) error {
	if name == "" || len(name) > MaxPeerNameLen || name[0] == '.' {
		return fmt.Errorf("peer name %q: empty, too long or starting with '.'", name)
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return fmt.Errorf("peer name %q: only letters, digits, '.', '_' and '-' may name a peer", name)
		}
	}
	return nil
}

// SavePeer keeps ix as peer name's index among files, replacing the one
// before it whole: a reader sees the old index or the new one, never part
// of one.
func SavePeer(ctx context.Context, files Files, name string, ix *Index) error {
	if err := ValidPeerName(name); err != nil {
		return err
	}
	data, err := encode(ix)
	if err != nil {
		return fmt.Errorf("save peer %s: %w", name, err)
	}
	if err := files.Write(ctx, peersDir+name+".json", data); err != nil {
		return fmt.Errorf("save peer %s: %w", name, err)
	}
	return nil
}

// encode returns ix as a file holds it (see Index.Write).
func encode(ix *Index) ([]byte, error) {
	var buf bytes.Buffer
	err := ix.Write(&buf)
	return buf.Bytes(), err
}

// writeAtomic writes data to path through a temporary file in the same
// folder, synced, then renamed over path.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // a no-op once renamed
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync() // the rename's durability; best effort where folders cannot sync
		d.Close()
	}
	return nil
}

// WriteIndexFile writes ix to path atomically, readable by its owner only,
// making path's folder if needed, as a folder's Files write; it returns
// the file's size in bytes.
func WriteIndexFile(path string, ix *Index) (int, error) {
	data, err := encode(ix)
	if err != nil {
		return 0, err
	}
	return len(data), folder(filepath.Dir(path)).Write(context.Background(), filepath.Base(path), data)
}

// ReadIndexFile reads and validates the index in the file at path.
func ReadIndexFile(path string) (*Index, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ix, err := ReadIndex(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ix, nil
}

// Peers are the indexes imported from peers, with the encoders that query
// them under the local linkage key. They do not change once loaded, and are
// safe for concurrent use: a server loads them again to see a new import.
type Peers struct {
	peers []peer
	// Unusable names the peers whose index could not be read or was made
	// under another key or params, with the reason; their indexes are
	// not queried.
	Unusable map[string]error
}

type peer struct {
	name string
	ix   *Index
	enc  *Encoder
}

// PeerHit says that an agency of a peer holds material matching a query,
// and roughly how much.
type PeerHit struct {
	Peer   string `json:"peer"`
	Agency string `json:"agency"`
	Bucket string `json:"bucket"`
}

// LoadPeers reads every peer index among files for querying under the
// linkage key. Files without peers load none. An index that cannot be used
// is listed in Unusable, not returned as an error, so that one bad file
// does not stop queries of the others.
func LoadPeers(ctx context.Context, files Files, key []byte) (*Peers, error) {
	ps := &Peers{Unusable: make(map[string]error)}
	list, err := files.List(ctx, peersDir)
	if err != nil {
		return nil, fmt.Errorf("load peers: %w", err)
	}
	encoders := make(map[Params]*Encoder)
	for _, f := range list {
		name, ok := strings.CutSuffix(strings.TrimPrefix(f.Name, peersDir), ".json")
		if !ok || strings.Contains(name, "/") || ValidPeerName(name) != nil {
			continue
		}
		data, _, err := files.Read(ctx, f.Name)
		if errors.Is(err, fs.ErrNotExist) {
			continue // gone since it was listed
		}
		if err != nil {
			ps.Unusable[name] = err
			continue
		}
		ix, err := ReadIndex(bytes.NewReader(data))
		if err != nil {
			ps.Unusable[name] = fmt.Errorf("%s in %s: %w", f.Name, files, err)
			continue
		}
		enc := encoders[ix.Params]
		if enc == nil {
			if enc, err = NewEncoder(key, ix.Params); err != nil {
				return nil, fmt.Errorf("load peers: %w", err)
			}
			encoders[ix.Params] = enc
		}
		if err := ix.Compatible(enc); err != nil {
			ps.Unusable[name] = err
			continue
		}
		ps.peers = append(ps.peers, peer{name: name, ix: ix, enc: enc})
	}
	return ps, nil
}

// Names returns the names of the usable peers, sorted.
func (ps *Peers) Names() []string {
	var out []string
	for _, p := range ps.peers {
		out = append(out, p.name)
	}
	sort.Strings(out)
	return out
}

// Lookup asks every usable peer's index whether it holds a match for
// value, a name or identifier of kind: the hits, by peer and agency.
func (ps *Peers) Lookup(kind mosaic.MentionType, value string) []PeerHit {
	var out []PeerHit
	for _, p := range ps.peers {
		for _, h := range p.ix.Lookup(p.enc, kind, value) {
			out = append(out, PeerHit{Peer: p.name, Agency: h.Agency, Bucket: h.Bucket})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Peer != out[j].Peer {
			return out[i].Peer < out[j].Peer
		}
		return out[i].Agency < out[j].Agency
	})
	return out
}

// Query asks every usable peer about q, a name, phone number or e-mail
// address as an analyst types it (see QueryKinds): one hit per peer and
// agency, with the largest bucket of its matches, a name being asked as a
// person's and as an organisation's.
func (ps *Peers) Query(q string) []PeerHit {
	kinds, value := QueryKinds(q)
	type holder struct{ peer, agency string }
	best := map[holder]string{}
	var order []holder
	for _, k := range kinds {
		for _, h := range ps.Lookup(k, value) {
			key := holder{h.Peer, h.Agency}
			if _, ok := best[key]; !ok {
				order = append(order, key)
			}
			if bucketRank(h.Bucket) > bucketRank(best[key]) {
				best[key] = h.Bucket
			}
		}
	}
	var out []PeerHit
	for _, k := range order {
		out = append(out, PeerHit{Peer: k.peer, Agency: k.agency, Bucket: best[k]})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Peer != out[j].Peer {
			return out[i].Peer < out[j].Peer
		}
		return out[i].Agency < out[j].Agency
	})
	return out
}

// LivePeers are the peer indexes among a server's files as they stand: a
// server keeps one, and a peer imported or pulled while it runs (by this
// server or another on the same database) is queried from the next request
// on, without a restart.
type LivePeers struct {
	files Files
	key   []byte

	mu     sync.Mutex
	peers  *Peers
	stamp  string
	loaded bool
}

// NewLivePeers returns the peers among files, queried under the linkage
// key.
func NewLivePeers(files Files, key []byte) *LivePeers {
	return &LivePeers{files: files, key: key}
}

// Current returns the peers as the files now hold them, loading them again
// if any was written, added or removed since the last call.
func (lp *LivePeers) Current(ctx context.Context) (*Peers, error) {
	list, err := lp.files.List(ctx, peersDir)
	if err != nil {
		return nil, fmt.Errorf("peers: %w", err)
	}
	var stamp strings.Builder
	for _, f := range list {
		fmt.Fprintf(&stamp, "%s %d\n", f.Name, f.Modified.UnixNano())
	}
	lp.mu.Lock()
	defer lp.mu.Unlock()
	if lp.loaded && stamp.String() == lp.stamp {
		return lp.peers, nil
	}
	ps, err := LoadPeers(ctx, lp.files, lp.key)
	if err != nil {
		return nil, err
	}
	lp.peers, lp.stamp, lp.loaded = ps, stamp.String(), true
	return ps, nil
}

// Query asks the current peers about q, as Peers.Query does.
func (lp *LivePeers) Query(q string) ([]PeerHit, error) {
	ps, err := lp.Current(context.Background())
	if err != nil {
		return nil, err
	}
	return ps.Query(q), nil
}
