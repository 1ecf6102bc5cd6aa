package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"mosaic"
	"mosaic/internal/discovery"
	"mosaic/internal/store"
	"mosaic/internal/store/postgres"
)

const discoveryAbout = `Tells agencies on separate servers which of them hold material on a name, phone number or
e-mail address, without a plaintext name or identifier leaving either server. Each server exports
an index of keyed, hardened Bloom-filter encodings of an agency's names and identifiers, under a
linkage key the agencies share (and the exchange never sees); the other imports or pulls it and
answers its analysts' queries against it, hit or no hit, with a rough count of documents.

  key                 make a new linkage key (--out, readable by you only); share it with the
                      other agencies by a means you trust, never with the index
  export              write the index of --agency's collections, or of --collections only, leaving
                      out, say, classified ones (--linkage-key), kept as the index 'mosaic serve'
                      gives peers, or written to --out only (to send by hand)
  token               give peer --peer a token to pull this server's index with, printed alone on
                      the last line (only its digest is kept); again to replace it, --revoke to end it
  import FILE         keep the index FILE a peer sent as peer --peer
  pull                fetch peer --peer's index from --url over HTTPS with the token it gave you
                      (--token-file), checking its certificate against --ca-file or the system's
  query NAME|PHONE|EMAIL
                      which peers' agencies hold material on it (--linkage-key), and roughly how
                      much: 1, 2-5, 6-20 or more documents

A data folder keeps the exported index, the tokens' digests and peers' indexes under
discovery/; a PostgreSQL database keeps them in a table, shared by every server on it.`

func runDiscovery(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "discovery", "key|export|token|import FILE|pull|query NAME|PHONE|EMAIL", discoveryAbout)
	db := dbFlag(fs)
	agency := fs.String("agency", "", "export: the agency whose collections are encoded")
	collections := fs.String("collections", "", "export: comma-separated collections of the agency to encode (default: all of them up to --classification)")
	classification := fs.String("classification", store.Classifications[0], "export: without --collections, the highest classification of the collections encoded: a peer's analysts are cleared by no one here")
	keyFile := fs.String("linkage-key", "", "export, query: file of the linkage key the agencies share")
	out := fs.String("out", "", "key: file to write; export: file to write the index to instead of keeping it as the one served to peers")
	peer := fs.String("peer", "", "token, import, pull: the peer's name (letters, digits, '.', '_', '-')")
	revoke := fs.Bool("revoke", false, "token: revoke the peer's token instead of giving one")
	url := fs.String("url", "", "pull: the peer's index, https://HOST"+discovery.ExchangePath)
	tokenFile := fs.String("token-file", "", "pull: file of the token the peer gave you")
	caFile := fs.String("ca-file", "", "pull: PEM certificates to check the peer's against (default: the system's)")
	user := fs.String("user", os.Getenv("USER"), "export, query: who, for the audit log (default $USER)")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	want := map[string]int{"key": 1, "export": 1, "token": 1, "import": 2, "pull": 1, "query": 2}
	if len(pos) == 0 || want[pos[0]] != len(pos) {
		fs.Usage()
		return errUsage
	}
	var files discovery.Files
	if pos[0] != "key" {
		var closeFiles func()
		if files, closeFiles, err = discoveryFiles(ctx, *db); err != nil {
			return err
		}
		defer closeFiles()
	}
	need := func(flags ...string) error {
		values := map[string]string{"agency": *agency, "linkage-key": *keyFile, "out": *out, "peer": *peer, "url": *url, "token-file": *tokenFile}
		for _, f := range flags {
			if strings.TrimSpace(values[f]) == "" {
				fmt.Fprintf(e.stderr, "mosaic discovery %s needs --%s (see mosaic discovery -h)\n", pos[0], f)
				return errUsage
			}
		}
		return nil
	}
	switch pos[0] {
	case "key":
		if err := need("out"); err != nil {
			return err
		}
		if err := discovery.WriteKeyFile(*out, discovery.NewKey()); err != nil {
			return err
		}
		_, err := fmt.Fprintf(e.stdout, "wrote a new linkage key to %s (readable by you only)\n", *out)
		return err
	case "export":
		if err := need("agency", "linkage-key"); err != nil {
			return err
		}
		var only []string
		if strings.TrimSpace(*collections) != "" {
			for _, c := range strings.Split(*collections, ",") {
				only = append(only, strings.TrimSpace(c))
			}
		} else {
			var err error
			if only, err = collectionsUpTo(ctx, *db, *agency, *classification); err != nil {
				return err
			}
		}
		return discoveryExport(ctx, e, *db, files, *agency, only, *keyFile, *out, *user, *asJSON)
	case "token":
		if err := need("peer"); err != nil {
			return err
		}
		if *revoke {
			if err := discovery.RevokePeerToken(ctx, files, *peer); err != nil {
				return err
			}
			_, err := fmt.Fprintf(e.stdout, "revoked the token of peer %s\n", *peer)
			return err
		}
		token, err := discovery.AddPeerToken(ctx, files, *peer)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(e.stdout, "peer %s pulls this server's index from https://HOST%s with this token (any token it had before no longer works):\n%s\n",
			*peer, discovery.ExchangePath, token)
		return err
	case "import":
		if err := need("peer"); err != nil {
			return err
		}
		ix, err := discovery.ReadIndexFile(pos[1])
		if err != nil {
			return err
		}
		if err := discovery.SavePeer(ctx, files, *peer, ix); err != nil {
			return err
		}
		return showPeerIndex(e, "imported", *peer, ix, *asJSON)
	case "pull":
		if err := need("peer", "url", "token-file"); err != nil {
			return err
		}
		if err := discovery.ValidPeerName(*peer); err != nil {
			return err
		}
		token, err := os.ReadFile(*tokenFile)
		if err != nil {
			return fmt.Errorf("token: %w", err)
		}
		var pool *x509.CertPool
		if *caFile != "" {
			pem, err := os.ReadFile(*caFile)
			if err != nil {
				return fmt.Errorf("--ca-file: %w", err)
			}
			pool = x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return fmt.Errorf("--ca-file %s: no PEM certificate in it", *caFile)
			}
		}
		ix, err := discovery.Pull(ctx, *url, strings.TrimSpace(string(token)), pool)
		if err != nil {
			return err
		}
		if err := discovery.SavePeer(ctx, files, *peer, ix); err != nil {
			return err
		}
		return showPeerIndex(e, "pulled", *peer, ix, *asJSON)
	default: // query
		if err := need("linkage-key"); err != nil {
			return err
		}
		return discoveryQuery(ctx, e, *db, files, *keyFile, pos[1], *user, *asJSON)
	}
}

// discoveryExport encodes the index of an agency's collections, showing
// how many documents it has read on a terminal, and keeps it among files
// to serve to peers, or writes it to out when given (to send by hand).
func discoveryExport(ctx context.Context, e *env, db string, files discovery.Files, agency string, only []string, keyFile, out, user string, asJSON bool) error {
	key, err := discovery.ReadKeyFile(keyFile)
	if err != nil {
		return err
	}
	enc, err := discovery.NewEncoder(key, discovery.DefaultParams)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	var last time.Time
	shown := false
	ix, err := discovery.ExportCollections(ctx, st, agency, only, enc, func(done, total int) {
		if !e.tty || time.Since(last) < 100*time.Millisecond && done < total {
			return
		}
		last = time.Now()
		fmt.Fprintf(e.stderr, "\r\033[Kexport %s: %d of %d documents read", agency, done, total)
		shown = true
	})
	if shown {
		fmt.Fprint(e.stderr, "\r\033[K")
	}
	if err != nil {
		return err
	}
	where, size := out, 0
	if out != "" {
		size, err = discovery.WriteIndexFile(out, ix)
	} else {
		where = "the index served to peers, in " + files.String()
		size, err = discovery.SaveExport(ctx, files, ix)
	}
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	if _, err := st.Record(ctx, store.AuditEntry{User: user, Agency: agency, Action: "discovery-export", Object: where, Outcome: "ok"}); err != nil {
		return err
	}
	counts := map[mosaic.MentionType]int{}
	for _, r := range ix.Records {
		counts[r.Kind]++
	}
	if asJSON {
		return e.jsonOut().Encode(struct {
			File    string                     `json:"file"`
			Agency  string                     `json:"agency"`
			Records int                        `json:"records"`
			Kinds   map[mosaic.MentionType]int `json:"kinds"`
			Bytes   int                        `json:"bytes"`
			Seconds float64                    `json:"seconds"`
		}{where, agency, len(ix.Records), counts, size, elapsed.Seconds()})
	}
	_, err = fmt.Fprintf(e.stdout, "wrote %s: the index of %s, %d records (%d persons, %d organisations, %d phones, %d e-mails), %d bytes, in %s\n",
		where, agency, len(ix.Records), counts[mosaic.Person], counts[mosaic.Org], counts[mosaic.Phone], counts[mosaic.Email], size, elapsed.Round(time.Millisecond))
	return err
}

// collectionsUpTo names the agency's collections classified at or below
// label, the ones an export encodes by default.
func collectionsUpTo(ctx context.Context, db, agency, label string) ([]string, error) {
	level := store.ClassificationLevel(label)
	if level < 0 {
		return nil, fmt.Errorf("--classification %q: want one of %s", label, strings.Join(store.Classifications, ", "))
	}
	st, err := openStore(ctx, db, false)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	cs, err := st.Collections(ctx, store.Scope{})
	if err != nil {
		return nil, err
	}
	only, above := []string{}, 0
	for _, c := range cs {
		if c.Agency != agency {
			continue
		}
		if l := store.ClassificationLevel(c.Classification); l >= 0 && l <= level {
			only = append(only, c.Name)
		} else {
			above++
		}
	}
	if len(only) == 0 {
		return nil, fmt.Errorf("agency %q has no collection classified %s or below (%d above): name them with --collections, or raise --classification", agency, label, above)
	}
	return only, nil
}

// showPeerIndex says what a peer's index that was just kept holds.
func showPeerIndex(e *env, verb, peer string, ix *discovery.Index, asJSON bool) error {
	if asJSON {
		return e.jsonOut().Encode(struct {
			Peer    string    `json:"peer"`
			Agency  string    `json:"agency"`
			Records int       `json:"records"`
			Created time.Time `json:"created"`
		}{peer, ix.Agency, len(ix.Records), ix.Created})
	}
	_, err := fmt.Fprintf(e.stdout, "%s peer %s: the index of %s, %d records, exported %s\n",
		verb, peer, ix.Agency, len(ix.Records), ix.Created.Local().Format("2006-01-02 15:04"))
	return err
}

// discoveryQuery asks every peer's index about q and prints hit or no hit
// for each peer.
func discoveryQuery(ctx context.Context, e *env, db string, files discovery.Files, keyFile, q, user string, asJSON bool) error {
	key, err := discovery.ReadKeyFile(keyFile)
	if err != nil {
		return err
	}
	ps, err := discovery.LoadPeers(ctx, files, key)
	if err != nil {
		return err
	}
	for name, err := range ps.Unusable {
		fmt.Fprintf(e.stderr, "peer %s not asked: %v\n", name, err)
	}
	if len(ps.Names()) == 0 {
		return errors.New("no peer to ask: import or pull a peer's index first")
	}
	hits := ps.Query(q)
	// The query is audited where the store is; a folder holding only
	// peers' indexes has no log to write to.
	if st, err := openStore(ctx, db, false); err == nil {
		_, err := st.Record(ctx, store.AuditEntry{User: user, Action: "discovery-query", Object: q, Outcome: "ok"})
		st.Close()
		if err != nil {
			return err
		}
	} else if !errors.Is(err, errNoData) {
		return err
	}
	if asJSON {
		if hits == nil {
			hits = []discovery.PeerHit{}
		}
		return e.jsonOut().Encode(struct {
			Peers []string            `json:"peers"`
			Hits  []discovery.PeerHit `json:"hits"`
		}{ps.Names(), hits})
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PEER\tAGENCY\tANSWER\tDOCUMENTS")
	for _, p := range ps.Names() {
		hit := false
		for _, h := range hits {
			if h.Peer == p {
				fmt.Fprintf(tw, "%s\t%s\thit\t%s\n", h.Peer, h.Agency, h.Bucket)
				hit = true
			}
		}
		if !hit {
			fmt.Fprintf(tw, "%s\t\tno hit\t\n", p)
		}
	}
	return tw.Flush()
}

// discoveryFiles returns where the store of db keeps discovery's exchange
// files: a data folder's discovery/ folder, or a PostgreSQL database's
// table; and a function to call when done with them.
func discoveryFiles(ctx context.Context, db string) (discovery.Files, func(), error) {
	if !postgres.IsURL(db) {
		return discovery.Folder(db), func() {}, nil
	}
	st, err := openStore(ctx, db, false)
	if err != nil {
		return nil, nil, err
	}
	return discovery.Stored(st, postgres.Redact(db)), func() { st.Close() }, nil
}
