package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// selfSigned writes a certificate for 127.0.0.1 and its key into dir and
// returns their paths and a pool that trusts it.
func selfSigned(t *testing.T, dir string) (cert, key string, pool *x509.CertPool) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "mosaic test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	writeFile(t, cert, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	writeFile(t, key, string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})))
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(c)
	return cert, key, pool
}

// freeAddr is a loopback address no one listens on, for a server to take.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestTwoServersDiscovery: two agencies on two servers that share nothing
// but a linkage key each export an index of their names, give each other
// a token, pull each other's index over HTTPS, and then answer their
// analysts' discovery queries with the other's hits — a name both hold is
// a hit on both sides, a name only the asker holds is none — while
// neither index file, nor anything a server stored of the other's, holds
// a plaintext name or number.
func TestTwoServersDiscovery(t *testing.T) {
	dir := t.TempDir()
	cert, key, pool := selfSigned(t, dir)
	linkage := filepath.Join(dir, "linkage.key")
	if _, errs, code := runMosaic(t, "discovery", "key", "--out", linkage); code != 0 {
		t.Fatalf("discovery key: %s", errs)
	}
	type side struct {
		name, agency, db, addr, analystToken string
	}
	sides := []*side{
		{name: "police", agency: "Police", db: filepath.Join(dir, "police")},
		{name: "press", agency: "Press", db: filepath.Join(dir, "press")},
	}
	writeFile(t, filepath.Join(dir, "in", "police", "q.txt"), questioned)
	writeFile(t, filepath.Join(dir, "in", "press", "fr.txt"), phoneRecords)
	for _, s := range sides {
		if _, errs, code := runMosaic(t, "ingest", "--db", s.db, "--collection", s.name, "--agency", s.agency, filepath.Join(dir, "in", s.name)); code != 0 {
			t.Fatalf("ingest %s: %s", s.name, errs)
		}
		if _, errs, code := runMosaic(t, "discovery", "export", "--db", s.db, "--agency", s.agency, "--linkage-key", linkage, "--user", "tests"); code != 0 {
			t.Fatalf("export %s: %s", s.name, errs)
		}
		out, errs, code := runMosaic(t, "user", "--db", s.db, "add", "--agency", s.agency, "--role", "analyst", s.name+"-analyst")
		if code != 0 {
			t.Fatalf("user add %s: %s", s.name, errs)
		}
		s.analystToken = lastLine(out)
		s.addr = freeAddr(t)
	}
	// Each gives the other a token to pull its index with.
	for i, s := range sides {
		other := sides[1-i]
		out, errs, code := runMosaic(t, "discovery", "token", "--db", s.db, "--peer", other.name)
		if code != 0 {
			t.Fatalf("discovery token: %s", errs)
		}
		writeFile(t, filepath.Join(dir, other.name+"-pulls-"+s.name+".token"), lastLine(out)+"\n")
	}

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	for _, s := range sides {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out, errb bytes.Buffer
			if code := run(ctx, &env{stdout: &out, stderr: &errb}, []string{"serve", "--db", s.db, "--addr", s.addr,
				"--tls-cert", cert, "--tls-key", key, "--linkage-key", linkage}); code != 0 {
				t.Errorf("serve %s: exit %d\n%s", s.name, code, errb.String())
			}
		}()
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 30 * time.Second}
	for _, s := range sides {
		up := false
		for range 200 {
			if res, err := client.Get("https://" + s.addr + "/healthz"); err == nil {
				res.Body.Close()
				up = true
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if !up {
			t.Fatalf("server %s never answered", s.name)
		}
	}
	for i, s := range sides {
		other := sides[1-i]
		if _, errs, code := runMosaic(t, "discovery", "pull", "--db", s.db, "--peer", other.name,
			"--url", "https://"+other.addr+"/api/v1/discovery/index", "--ca-file", cert,
			"--token-file", filepath.Join(dir, s.name+"-pulls-"+other.name+".token")); code != 0 {
			t.Fatalf("%s pulls %s: %s", s.name, other.name, errs)
		}
	}
	// A pull without the token is refused.
	if res, err := client.Get("https://" + sides[0].addr + "/api/v1/discovery/index"); err != nil || res.StatusCode != http.StatusUnauthorized {
		t.Errorf("index without a token: %v %v", res, err)
	} else {
		res.Body.Close()
	}

	type peerHit struct{ Peer, Agency, Documents string }
	discover := func(s *side, q string) []peerHit {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, "https://"+s.addr+"/api/v1/discover?q="+url.QueryEscape(q), nil)
		req.Header.Set("Authorization", "Bearer "+s.analystToken)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var got struct{ Peers []peerHit }
		if res.StatusCode != http.StatusOK || json.NewDecoder(res.Body).Decode(&got) != nil {
			t.Fatalf("discover %q on %s: status %d", q, s.name, res.StatusCode)
		}
		return got.Peers
	}
	police, press := sides[0], sides[1]
	for _, tc := range []struct {
		on   *side
		q    string
		want string
	}{
		{police, "Samir Haddad", "press/Press/1"},
		{police, "Tariq Nasser", "press/Press/1"},
		{press, "Samir Haddad", "police/Police/1"},
		{press, "Tariq Nasser", ""},
		{police, "Ansar al-Thughur", "press/Press/1"},
		{police, "Nobody Atall", ""},
	} {
		var got []string
		for _, h := range discover(tc.on, tc.q) {
			got = append(got, h.Peer+"/"+h.Agency+"/"+h.Documents)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%s asks its peer about %q: %v, want %q", tc.on.name, tc.q, got, tc.want)
		}
	}
	// Nothing either server exported or keeps of the other holds a name
	// or number in clear.
	for _, s := range sides {
		for _, f := range []string{filepath.Join(s.db, "discovery", "index.json"), filepath.Join(s.db, "discovery", "peers", map[string]string{"police": "press", "press": "police"}[s.name]+".json")} {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"Samir", "Haddad", "Tariq", "Nasser", "Ansar", "Thughur", "Leeds"} {
				if bytes.Contains(bytes.ToLower(b), []byte(strings.ToLower(name))) {
					t.Errorf("%s (%d bytes) holds %q in clear", f, len(b), name)
				}
			}
		}
	}
}

// TestDiscoveryExportLeavesOutClassified: an export encodes only the
// agency's unclassified collections unless told a higher classification
// or the collections by name, since a peer's analysts are cleared by no
// one here.
func TestDiscoveryExportLeavesOutClassified(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	linkage := filepath.Join(dir, "linkage.key")
	if _, errs, code := runMosaic(t, "discovery", "key", "--out", linkage); code != 0 {
		t.Fatalf("discovery key: %s", errs)
	}
	writeFile(t, filepath.Join(dir, "open", "q.txt"), questioned)
	writeFile(t, filepath.Join(dir, "secret", "fr.txt"), phoneRecords)
	for _, c := range []string{"open", "secret"} {
		if _, errs, code := runMosaic(t, "ingest", "--db", db, "--collection", c, "--agency", "Police", filepath.Join(dir, c)); code != 0 {
			t.Fatalf("ingest %s: %s", c, errs)
		}
	}
	if _, errs, code := runMosaic(t, "collection", "--db", db, "classify", "secret", "SECRET"); code != 0 {
		t.Fatalf("classify: %s", errs)
	}
	records := func(args ...string) int {
		t.Helper()
		out, errs, code := runMosaic(t, append([]string{"discovery", "export", "--db", db, "--agency", "Police", "--linkage-key", linkage,
			"--out", filepath.Join(dir, "ix.json"), "--json", "--user", "tests"}, args...)...)
		var got struct{ Records int }
		if code != 0 || json.Unmarshal([]byte(out), &got) != nil {
			t.Fatalf("export %v: exit %d\n%s%s", args, code, out, errs)
		}
		return got.Records
	}
	open, secret, named := records(), records("--classification", "SECRET"), records("--collections", "open,secret")
	if open == 0 || secret <= open || named != secret {
		t.Errorf("records: %d by default, %d up to SECRET, %d naming both collections; want the default fewer", open, secret, named)
	}
	if _, errs, code := runMosaic(t, "discovery", "export", "--db", db, "--agency", "Police", "--linkage-key", linkage,
		"--out", filepath.Join(dir, "x.json"), "--classification", "COSMIC"); code == 0 || !strings.Contains(errs, "COSMIC") {
		t.Errorf("an unknown classification: exit %d\n%s", code, errs)
	}
}
