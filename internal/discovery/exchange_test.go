package discovery

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"mosaic"
)

// server is one Mosaic server of the exchange test: its store's data
// folder, its exported index served over TLS, and the bytes it served.
type server struct {
	db    string
	ts    *httptest.Server
	mu    sync.Mutex
	wire  bytes.Buffer
	token string // the token it gave its peer
}

// recorder keeps a copy of every byte a handler writes.
type recorder struct {
	http.ResponseWriter
	s *server
}

func (r recorder) Write(b []byte) (int, error) {
	r.s.mu.Lock()
	r.s.wire.Write(b)
	r.s.mu.Unlock()
	return r.ResponseWriter.Write(b)
}

func newServer(t *testing.T, agency string, docs []held) *server {
	t.Helper()
	agencies := map[string]string{}
	for _, d := range docs {
		agencies[d.collection] = agency
	}
	st, db := openStore(t, agencies, docs)
	ix, err := Export(context.Background(), st, agency, mustEncoder(t, testKey, DefaultParams), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := SaveExport(context.Background(), Folder(db), ix); err != nil {
		t.Fatal(err)
	}
	s := &server{db: db}
	token, digest := NewToken()
	s.token = token
	h := &Handler{Files: Folder(db), Digests: [][32]byte{digest}}
	s.ts = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(recorder{w, s}, r)
	}))
	t.Cleanup(s.ts.Close)
	return s
}

func pool(s *server) *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(s.ts.Certificate())
	return p
}

// TestExchange runs two servers that share nothing but the linkage key:
// each pulls the other's index with the token the other gave it, then
// finds the other's hits for a name both hold and none for a name only it
// holds, and no plaintext name or identifier crossed the wire.
func TestExchange(t *testing.T) {
	ctx := context.Background()
	paris := []held{
		{"paris-leads", "Salah Abdeslam rented a car; Ahmed Khan paid. Call +33 6 12 34 56 78.", []heldMention{
			{mosaic.Person, "Salah Abdeslam", ""}, {mosaic.Person, "Ahmed Khan", ""},
			{mosaic.Phone, "+33 6 12 34 56 78", "+33612345678"}}},
		{"paris-leads", "Ahmed Khan wrote from khan.a@example.net.", []heldMention{
			{mosaic.Person, "Ahmed Khan", ""}, {mosaic.Email, "khan.a@example.net", "khan.a@example.net"}}},
	}
	brussels := []held{
		{"brussels-files", "ABDESLAM, Salah was seen in Molenbeek with Ibrahim Haddad.", []heldMention{
			{mosaic.Person, "ABDESLAM, Salah", ""}, {mosaic.Person, "Ibrahim Haddad", ""}}},
		{"brussels-files", "Haddad's number is 0033 6 12 34 56 78.", []heldMention{
			{mosaic.Phone, "0033 6 12 34 56 78", "+33612345678"}}},
	}
	a, b := newServer(t, "paris", paris), newServer(t, "brussels", brussels)
	url := func(s *server) string { return s.ts.URL + ExchangePath }

	// a pulls b with the token b gave it, and b pulls a.
	for _, p := range []struct {
		from, to *server
		peer     string
	}{{a, b, "brussels"}, {b, a, "paris"}} {
		ix, err := Pull(ctx, url(p.to), p.to.token, pool(p.to))
		if err != nil {
			t.Fatalf("pull %s: %v", p.peer, err)
		}
		if err := SavePeer(ctx, Folder(p.from.db), p.peer, ix); err != nil {
			t.Fatal(err)
		}
	}

	tests := []struct {
		at     *server
		kind   mosaic.MentionType
		query  string
		want   string
		reason string
	}{
		{a, mosaic.Person, "Salah Abdeslam", "[{brussels brussels 1}]", "both hold him"},
		{b, mosaic.Person, "Salah Abdeslam", "[{paris paris 1}]", "both hold him"},
		{a, mosaic.Phone, "+33612345678", "[{brussels brussels 1}]", "both hold the number"},
		{b, mosaic.Phone, "+33 6 12 34 56 78", "[{paris paris 1}]", "both hold the number"},
		{b, mosaic.Person, "Ahmed Khan", "[{paris paris 2-5}]", "only paris holds him, in two documents"},
		{a, mosaic.Person, "Ahmed Khan", "[]", "only paris, the asker, holds him"},
		{a, mosaic.Person, "Ibrahim Haddad", "[{brussels brussels 1}]", "only brussels holds him"},
		{b, mosaic.Person, "Ibrahim Haddad", "[]", "only brussels, the asker, holds him"},
		{b, mosaic.Email, "khan.a@example.net", "[{paris paris 1}]", "only paris holds the address"},
		{a, mosaic.Email, "khan.a@example.net", "[]", "only paris, the asker, holds the address"},
	}
	for _, tt := range tests {
		ps, err := LoadPeers(ctx, Folder(tt.at.db), testKey)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps.Unusable) != 0 {
			t.Fatalf("unusable peers: %v", ps.Unusable)
		}
		got := fmt.Sprint(ps.Lookup(tt.kind, tt.query))
		if got != tt.want {
			t.Errorf("%s asked at %s: %s, want %s (%s)", tt.query, map[*server]string{a: "paris", b: "brussels"}[tt.at], got, tt.want, tt.reason)
		}
	}

	for name, s := range map[string]*server{"paris": a, "brussels": b} {
		if s.wire.Len() == 0 {
			t.Fatalf("%s served nothing", name)
		}
		assertNoPlaintext(t, s.wire.Bytes(), append(append([]held{}, paris...), brussels...))
	}
}

func TestExchangeRefuses(t *testing.T) {
	ctx := context.Background()
	s := newServer(t, "paris", []held{{"paris-leads", "Salah Abdeslam.", []heldMention{{mosaic.Person, "Salah Abdeslam", ""}}}})
	u := s.ts.URL + ExchangePath
	other, _ := NewToken()
	tests := []struct {
		name  string
		url   string
		token string
		pool  *x509.CertPool
		want  string
	}{
		{"another token", u, other, pool(s), "401"},
		{"no token", u, "", pool(s), "no token"},
		{"unknown certificate", u, s.token, x509.NewCertPool(), "certificate"},
		{"plain http beyond loopback", "http://example.org/x", s.token, nil, "https URL is needed"},
	}
	for _, tt := range tests {
		_, err := Pull(ctx, tt.url, tt.token, tt.pool)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one saying %q", tt.name, err, tt.want)
		}
		if err != nil && tt.token != "" && strings.Contains(err.Error(), tt.token) {
			t.Errorf("%s: the error shows the token", tt.name)
		}
	}
	// Without TLS the handler refuses even the right token, unless it
	// allows loopback.
	h := &Handler{Files: Folder(s.db), Digests: [][32]byte{TokenDigest(s.token)}}
	plain := httptest.NewServer(h)
	defer plain.Close()
	if _, err := Pull(ctx, plain.URL, s.token, nil); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("plain http: %v, want 403", err)
	}
	h.AllowInsecureLoopback = true
	if _, err := Pull(ctx, plain.URL, s.token, nil); err != nil {
		t.Errorf("plain http on loopback, allowed: %v", err)
	}
	req, _ := http.NewRequest(http.MethodPost, plain.URL, nil)
	req.Header.Set("Authorization", "Bearer "+s.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %s, want 405", resp.Status)
	}
}

// TestServerHandler gives a peer a token through the tokens file, which a
// running handler reads on each request, then replaces and revokes it: with
// the files in a data folder, and in the store's database.
func TestServerHandler(t *testing.T) {
	ctx := context.Background()
	st, db := openStore(t, alphaAgencies, alphaDocs)
	ix, err := Export(ctx, st, "alpha", mustEncoder(t, testKey, DefaultParams), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, files := range []Files{Folder(db), Stored(st, "the test store")} {
		t.Run(fmt.Sprintf("%T", files), func(t *testing.T) {
			ts := httptest.NewTLSServer(ServerHandler(files))
			defer ts.Close()
			pull := func(token string) error {
				_, err := Pull(ctx, ts.URL+ExchangePath, token, pool(&server{ts: ts}))
				return err
			}
			first, err := AddPeerToken(ctx, files, "bravo")
			if err != nil {
				t.Fatal(err)
			}
			if err := pull(first); err == nil || !strings.Contains(err.Error(), "503") {
				t.Errorf("before an export: %v, want 503", err)
			}
			if _, err := SaveExport(ctx, files, ix); err != nil {
				t.Fatal(err)
			}
			got, err := Pull(ctx, ts.URL+ExchangePath, first, pool(&server{ts: ts}))
			if err != nil || got.Agency != "alpha" || len(got.Records) != len(ix.Records) {
				t.Errorf("with the token given: %v", err)
			}
			second, err := AddPeerToken(ctx, files, "bravo")
			if err != nil {
				t.Fatal(err)
			}
			if err := pull(first); err == nil || !strings.Contains(err.Error(), "401") {
				t.Errorf("with the token replaced: %v, want 401", err)
			}
			if err := pull(second); err != nil {
				t.Errorf("with the new token: %v", err)
			}
			data, _, err := files.Read(ctx, "tokens/bravo")
			if err != nil || strings.Contains(string(data), second) {
				t.Errorf("the tokens file holds the token in clear (or cannot be read: %v)", err)
			}
			// Tokens given to several peers at once, as servers sharing one
			// database would: each peer keeps its own.
			peers := []string{"charlie", "delta", "echo", "foxtrot"}
			given := make([]string, len(peers))
			var wg sync.WaitGroup
			for i, p := range peers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					given[i], _ = AddPeerToken(ctx, files, p)
				}()
			}
			wg.Wait()
			for i, p := range peers {
				if err := pull(given[i]); err != nil {
					t.Errorf("%s's token, given beside the others: %v", p, err)
				}
			}
			if err := RevokePeerToken(ctx, files, "bravo"); err != nil {
				t.Fatal(err)
			}
			if err := pull(second); err == nil || !strings.Contains(err.Error(), "401") {
				t.Errorf("with the token revoked: %v, want 401", err)
			}
			if err := RevokePeerToken(ctx, files, "bravo"); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("revoking again: %v, want ErrNotExist", err)
			}
		})
	}
}

// TestLegacyTokensFile reads the one file of every peer's digest an earlier
// release kept: its tokens still pull, and a peer's own file, as a new
// token or a revocation, overrides its line there.
func TestLegacyTokensFile(t *testing.T) {
	ctx := context.Background()
	files := Folder(t.TempDir())
	oldToken, oldDigest := NewToken()
	keptToken, keptDigest := NewToken()
	legacy := fmt.Sprintf(`{"bravo": %q, "charlie": %q}`, hex.EncodeToString(oldDigest[:]), hex.EncodeToString(keptDigest[:]))
	if err := files.Write(ctx, "tokens.json", []byte(legacy)); err != nil {
		t.Fatal(err)
	}
	h := ServerHandler(files)
	if !h.known(ctx, oldToken) || !h.known(ctx, keptToken) {
		t.Fatal("the tokens of the earlier release's file are not known")
	}
	newToken, err := AddPeerToken(ctx, files, "bravo")
	if err != nil {
		t.Fatal(err)
	}
	if h.known(ctx, oldToken) || !h.known(ctx, newToken) {
		t.Error("a new token for bravo did not replace the one in the earlier file")
	}
	if err := RevokePeerToken(ctx, files, "charlie"); err != nil {
		t.Fatal(err)
	}
	if h.known(ctx, keptToken) {
		t.Error("charlie's token, revoked, still pulls")
	}
	if err := RevokePeerToken(ctx, files, "charlie"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("revoking charlie again: %v, want ErrNotExist", err)
	}
	// A file manager's file beside the tokens, and a peer's file that holds
	// no digest: bravo keeps its token, delta has none.
	if err := files.Write(ctx, "tokens/.DS_Store", []byte("\x00\x01")); err != nil {
		t.Fatal(err)
	}
	if err := files.Write(ctx, "tokens/delta", []byte("not a digest")); err != nil {
		t.Fatal(err)
	}
	if !h.known(ctx, newToken) {
		t.Error("bravo's token refused beside a stray file and a broken one")
	}
	if err := RevokePeerToken(ctx, files, "delta"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("revoking delta, whose file holds no digest: %v, want ErrNotExist", err)
	}
}
