package discovery

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The exchange: each server serves its own exported index to the peers it
// gave a token to, and pulls each peer's index with the token that peer gave
// it. Tokens go one way each ("mutual tokens"): holding a peer's token lets
// a server read that peer's index and nothing else. A server stores only
// the SHA-256 digests of the tokens it gave out.

// ExchangePath is where a server serves its index.
const ExchangePath = "/api/v1/discovery/index"

// NewToken returns a new random token for a peer, 256 bits in URL-safe
// base64, and the digest a server keeps of it.
func NewToken() (token string, digest [32]byte) {
	var b [32]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	token = base64.RawURLEncoding.EncodeToString(b[:])
	return token, TokenDigest(token)
}

// TokenDigest is the digest a server keeps of a token it gave a peer.
func TokenDigest(token string) [32]byte { return sha256.Sum256([]byte(token)) }

// Handler serves the index exported among Files to a peer presenting a
// token whose digest is one of Digests or of the tokens file among Files
// (see AddPeerToken). It reads both on each request, so that a new export,
// or a token given or revoked, takes effect without a restart.
type Handler struct {
	Files   Files
	Digests [][32]byte
	// AllowInsecureLoopback lets a request without TLS through when it
	// comes from a loopback address; for tests and a local proxy only.
	AllowInsecureLoopback bool
}

// ServeHTTP answers GET with the index and 401 without a valid token. It
// refuses plain HTTP (but from loopback when allowed): a token and the
// index must not cross a network in clear.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if r.TLS == nil && !(h.AllowInsecureLoopback && isLoopback(r.RemoteAddr)) {
		http.Error(w, "TLS required", http.StatusForbidden)
		return
	}
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || !h.known(r.Context(), token) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="mosaic discovery"`)
		http.Error(w, "unauthorised", http.StatusUnauthorized)
		return
	}
	data, modified, err := h.Files.Read(r.Context(), exportFile)
	if err != nil {
		http.Error(w, "no index exported", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	http.ServeContent(w, r, "", modified, bytes.NewReader(data))
}

// known reports whether the token's digest is one of h.Digests or of the
// tokens file, comparing every digest in constant time. A tokens file that
// cannot be read grants nothing.
func (h *Handler) known(ctx context.Context, token string) bool {
	if token == "" {
		return false
	}
	digests := h.Digests
	if ts, err := readTokens(ctx, h.Files); err == nil {
		for _, d := range ts {
			digests = append(digests[:len(digests):len(digests)], d)
		}
	}
	d := TokenDigest(token)
	found := 0
	for _, k := range digests {
		found |= subtle.ConstantTimeCompare(d[:], k[:])
	}
	return found == 1
}

// SaveExport keeps ix among files as the index served to peers (see
// Handler), and returns its size in bytes.
func SaveExport(ctx context.Context, files Files, ix *Index) (int, error) {
	data, err := encode(ix)
	if err != nil {
		return 0, err
	}
	if err := files.Write(ctx, exportFile, data); err != nil {
		return 0, fmt.Errorf("keep the exported index in %s: %w", files, err)
	}
	return len(data), nil
}

// ServerHandler returns the handler that serves the index exported among
// files to the peers given tokens there.
func ServerHandler(files Files) *Handler { return &Handler{Files: files} }

// AddPeerToken gives peer a new token to pull the exported index with,
// replacing (and so revoking) any token it had, and returns it. Only its
// digest is kept, in a file of the peer's own (tokens/PEER): two servers
// on one database giving tokens to two peers at once both keep theirs,
// where rewriting one file of every peer's digest kept only the last
// writer's.
func AddPeerToken(ctx context.Context, files Files, peer string) (string, error) {
	if err := ValidPeerName(peer); err != nil {
		return "", err
	}
	token, digest := NewToken()
	if err := files.Write(ctx, tokensDir+peer, []byte(hex.EncodeToString(digest[:])+"\n")); err != nil {
		return "", err
	}
	return token, nil
}

// RevokePeerToken removes peer's token, leaving its file empty. It
// returns an error wrapping fs.ErrNotExist if the peer has none.
func RevokePeerToken(ctx context.Context, files Files, peer string) error {
	if err := ValidPeerName(peer); err != nil {
		return err
	}
	ts, err := readTokens(ctx, files)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if _, ok := ts[peer]; !ok {
		return fmt.Errorf("revoke token of %s: no token given: %w", peer, fs.ErrNotExist)
	}
	return files.Write(ctx, tokensDir+peer, []byte{})
}

// readTokens reads the digests of the tokens given: peer name to the
// SHA-256 of its token. A peer's own file (tokens/PEER, the hex digest,
// empty once revoked) overrides the file of every peer's digest an earlier
// release kept (tokens.json, peer name to hex digest), which is only read.
func readTokens(ctx context.Context, files Files) (map[string][32]byte, error) {
	ts := map[string][32]byte{}
	parse := func(peer, h string) error {
		b, err := hex.DecodeString(strings.TrimSpace(h))
		if err != nil || len(b) != 32 {
			return fmt.Errorf("tokens in %s: the digest of %s is not 64 hex digits", files, peer)
		}
		ts[peer] = [32]byte(b)
		return nil
	}
	data, _, err := files.Read(ctx, legacyTokensFile)
	switch {
	case err == nil:
		var raw map[string]string
		if err := json.Unmarshal(data, &raw); err != nil {
			return nil, fmt.Errorf("tokens in %s: %w", files, err)
		}
		for peer, h := range raw {
			if err := parse(peer, h); err != nil {
				return nil, err
			}
		}
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	stamps, err := files.List(ctx, tokensDir)
	if err != nil {
		return nil, err
	}
	for _, f := range stamps {
		// A file no peer could be named after (a file manager's, say) is
		// not a token's; one that does not hold a digest grants its peer
		// nothing, and no other peer loses its token over it.
		peer := strings.TrimPrefix(f.Name, tokensDir)
		if ValidPeerName(peer) != nil {
			continue
		}
		data, _, err := files.Read(ctx, f.Name)
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed since listed
		}
		if err != nil {
			return nil, err
		}
		if len(data) == 0 || parse(peer, string(data)) != nil {
			delete(ts, peer)
		}
	}
	return ts, nil
}

// isLoopback reports whether addr (host:port) is a loopback address.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Pull fetches a peer's index from u with the token the peer gave, and
// validates it. u must be https, or http to a loopback address; the
// peer's certificate is checked against caPool, or the system's roots when
// caPool is nil.
func Pull(ctx context.Context, u, token string, caPool *x509.CertPool) (*Index, error) {
	pu, err := url.Parse(u)
	if err != nil {
		return nil, fmt.Errorf("pull: %w", err)
	}
	switch {
	case pu.Scheme == "https":
	case pu.Scheme == "http" && isLoopbackHost(pu.Hostname()):
	default:
		return nil, fmt.Errorf("pull %s: an https URL is needed (plain http only to loopback)", pu.Redacted())
	}
	if token == "" {
		return nil, fmt.Errorf("pull %s: no token", pu.Redacted())
	}
	client := &http.Client{
		Timeout: 5 * time.Minute,
		Transport: &http.Transport{
			Proxy:               http.ProxyFromEnvironment,
			TLSClientConfig:     &tls.Config{RootCAs: caPool, MinVersion: tls.VersionTLS12},
			TLSHandshakeTimeout: 10 * time.Second,
		},
		// A redirect would carry the request elsewhere: refuse it rather
		// than send the token, or trust an index, from another place.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	defer client.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, pu.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("pull %s: %w", pu.Redacted(), err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("pull %s: %w", pu.Redacted(), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("pull %s: %s", pu.Redacted(), resp.Status)
	}
	ix, err := ReadIndex(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("pull %s: %w", pu.Redacted(), err)
	}
	return ix, nil
}

func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
