package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"mosaic"
	"mosaic/internal/store"
)

// What one agency may learn of another's holdings (store.Discovery), how
// it asks for them (store.Shares) and what it is told when new material
// matches (store.Alerts). Discovery reads every collection, whatever the
// caller's scope: its answers are counts, which the caller buckets.

// subjectMentions renders the condition that a mention m names the
// subject: one of its entities or an entity merged with one in the
// judgements of agency (merges), or the identifier. It returns ErrInvalid
// for a subject that names nothing.
func subjectMentions(s store.Subject, agency string) (string, []any, error) {
	if len(s.Entities) > 0 {
		// The entities as they read after the agency's merges (an entity
		// no merge joins reads as itself), then every member of their
		// groups.
		roots := `(SELECT coalesce((SELECT g.root FROM merges g WHERE g.agency = ? AND g.entity = e.id), e.id)
			FROM entities e WHERE e.id IN ` + idList(s.Entities) + `)`
		return `(m.entity IN ` + roots + ` OR m.entity IN (SELECT g.entity FROM merges g WHERE g.agency = ? AND g.root IN ` + roots + `))`,
			[]any{agency, agency, agency}, nil
	}
	norm := mosaic.NormIdentifier(s.Kind, s.Norm)
	if norm == "" || (s.Kind != mosaic.Phone && s.Kind != mosaic.Email) {
		return "", nil, fmt.Errorf("%w: a subject names entities, or a phone number or e-mail address", store.ErrInvalid)
	}
	// The IN term, as the partial index mentions_identifier states it,
	// lets SQLite use that index.
	return `m.type IN ('PHONE', 'EMAIL') AND m.type = ? AND m.norm = ?`, []any{string(s.Kind), norm}, nil
}

// levelOf renders, as SQL, the place of the label in column among
// store.Classifications, so that labels compare and take a maximum by rank
// rather than by spelling. Classify stores only those labels; anything
// else ranks as the highest, as level does in Go, so that an unknown label
// is shown to the fewest.
func levelOf(column string) string {
	var b strings.Builder
	b.WriteString("CASE " + column)
	for i, l := range store.Classifications {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", l, i)
	}
	fmt.Fprintf(&b, " ELSE %d END", len(store.Classifications)-1)
	return b.String()
}

// Holders implements store.Discovery. Entities read as except's merges
// join them.
func (s *Store) Holders(ctx context.Context, sub store.Subject, except, clearance string) ([]store.AgencyCount, error) {
	cond, args, err := subjectMentions(sub, except)
	if err != nil {
		return nil, fmt.Errorf("holders: %w", err)
	}
	cleared := 0
	if clearance != "" {
		if cleared = store.ClassificationLevel(clearance); cleared < 0 {
			return nil, fmt.Errorf("holders: clearance %q: %w", clearance, store.ErrInvalid)
		}
	}
	labels, largs := inList("c.classification", store.Classifications[:cleared+1])
	// The highest label is taken as the highest level, and read back as
	// its label.
	rows, err := s.db.QueryContext(ctx, `SELECT a.name, count(DISTINCT h.doc), max(`+levelOf("c.classification")+`)
		FROM mentions m JOIN holdings h ON h.doc = m.doc
		JOIN collections c ON c.id = h.collection_id JOIN agencies a ON a.id = c.agency_id
		WHERE `+cond+` AND a.name != ? AND `+labels+` GROUP BY a.name ORDER BY a.name`, append(append(args, except), largs...)...)
	if err != nil {
		return nil, fmt.Errorf("holders: %w", err)
	}
	defer rows.Close()
	out := []store.AgencyCount{}
	for rows.Next() {
		var c store.AgencyCount
		var top int
		if err := rows.Scan(&c.Agency, &c.Documents, &top); err != nil {
			return nil, fmt.Errorf("holders: %w", err)
		}
		c.Classification = store.Classifications[top]
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("holders: %w", err)
	}
	return out, nil
}

// HeldDocuments implements store.Discovery. The documents come in the
// order they were stored. Entities read as the holding agency's merges
// join them: it is the agency that shares its documents, and what it has
// judged to be one man is what it shares on him.
func (s *Store) HeldDocuments(ctx context.Context, sub store.Subject, agency string) ([]mosaic.DocID, error) {
	held, err := heldDocuments(ctx, s.db, sub, agency)
	if err != nil {
		return nil, err
	}
	out := make([]mosaic.DocID, len(held))
	for i, d := range held {
		out[i] = d.id
	}
	return out, nil
}

// heldDoc is a document an agency holds on a subject: its row, its ID,
// the source of the agency's first holding of it and the highest label of
// the agency's collections that hold it.
type heldDoc struct {
	seq    int64
	id     mosaic.DocID
	source string
	label  string
}

func heldDocuments(ctx context.Context, q querier, sub store.Subject, agency string) ([]heldDoc, error) {
	cond, args, err := subjectMentions(sub, agency)
	if err != nil {
		return nil, fmt.Errorf("documents of agency %q: %w", agency, err)
	}
	rows, err := q.QueryContext(ctx, `SELECT h.doc, d.id, h.source, c.classification
		FROM holdings h JOIN documents d ON d.seq = h.doc
		JOIN collections c ON c.id = h.collection_id JOIN agencies a ON a.id = c.agency_id
		WHERE a.name = ? AND h.doc IN (SELECT m.doc FROM mentions m WHERE `+cond+`)
		ORDER BY h.doc, h.seq`, append([]any{agency}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("documents of agency %q: %w", agency, err)
	}
	defer rows.Close()
	out := []heldDoc{}
	for rows.Next() {
		var d heldDoc
		var id string
		if err := rows.Scan(&d.seq, &id, &d.source, &d.label); err != nil {
			return nil, fmt.Errorf("documents of agency %q: %w", agency, err)
		}
		d.id = mosaic.DocID(id)
		// One row per holding: the first of a document gives its source,
		// the others may raise its label.
		if n := len(out); n > 0 && out[n-1].seq == d.seq {
			if level(d.label) > level(out[n-1].label) {
				out[n-1].label = d.label
			}
			continue
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("documents of agency %q: %w", agency, err)
	}
	return out, nil
}

// shareColumns are the columns scanShare reads from share_requests. The
// query, reason and answer, typed by analysts, and the subject, which
// holds the identifier asked about, are sealed (rowID "share").
const shareColumns = `id, "user", agency, owner, query, subject, reason, created_at, status,
	decided_by, answer, coalesce(decided_at, ''), collection`

func (s *Store) scanShare(row interface{ Scan(...any) error }) (store.ShareRequest, error) {
	var r store.ShareRequest
	var created, status, decided string
	var query, subject, reason, answer any
	err := row.Scan(&r.ID, &r.User, &r.Agency, &r.Owner, &query, &subject, &reason, &created, &status,
		&r.DecidedBy, &answer, &decided, &r.Collection)
	if err != nil {
		return r, err
	}
	id := rowID("share", r.ID)
	if r.Query, err = s.openColumn(query, id, "query"); err != nil {
		return r, err
	}
	if r.Reason, err = s.openColumn(reason, id, "reason"); err != nil {
		return r, err
	}
	if r.Answer, err = s.openColumn(answer, id, "answer"); err != nil {
		return r, err
	}
	sub, err := s.openColumn(subject, id, "subject")
	if err != nil {
		return r, err
	}
	r.Created, r.Status, r.Decided = parseTime(created), store.ShareStatus(status), parseTime(decided)
	if err := json.Unmarshal([]byte(sub), &r.Subject); err != nil {
		return r, fmt.Errorf("subject: %w", err)
	}
	return r, nil
}

// RequestShare implements store.Shares. The subject must name entities or
// a phone number or e-mail address (ErrInvalid otherwise); an identifier
// is kept as extraction normalises it.
func (s *Store) RequestShare(ctx context.Context, r store.ShareRequest) (store.ShareRequest, error) {
	for _, p := range []*string{&r.User, &r.Agency, &r.Owner, &r.Query, &r.Reason} {
		*p = strings.TrimSpace(*p)
	}
	fail := func(err error) (store.ShareRequest, error) {
		return store.ShareRequest{}, fmt.Errorf("share request of %q to %q: %w", r.Agency, r.Owner, err)
	}
	switch {
	case r.User == "" || r.Agency == "" || r.Owner == "" || r.Query == "" || r.Reason == "":
		return fail(fmt.Errorf("%w: a share request needs a user, their agency, the owner, the query and a reason", store.ErrInvalid))
	case r.Owner == r.Agency:
		return fail(fmt.Errorf("%w: an agency asks another, not itself", store.ErrInvalid))
	}
	if _, _, err := subjectMentions(r.Subject, r.Owner); err != nil {
		return fail(err)
	}
	if len(r.Subject.Entities) > 0 {
		r.Subject.Kind, r.Subject.Norm = "", ""
	} else {
		r.Subject.Norm = mosaic.NormIdentifier(r.Subject.Kind, r.Subject.Norm)
	}
	subject, err := json.Marshal(r.Subject)
	if err != nil {
		return fail(err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	var owners int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM agencies WHERE name = ?`, r.Owner).Scan(&owners); err != nil {
		return fail(err)
	}
	if owners == 0 {
		return fail(fmt.Errorf("no agency %q: %w", r.Owner, store.ErrNotFound))
	}
	// The sealed values name their row, so its ID is taken before the
	// insert, under the write lock the transaction holds.
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM share_requests`).Scan(&r.ID); err != nil {
		return fail(err)
	}
	k := s.crypt.writer()
	if err := checkKeyVersion(ctx, tx, k); err != nil {
		return fail(err)
	}
	r.Created, r.Status = time.Now().UTC(), store.SharePending
	r.DecidedBy, r.Answer, r.Decided, r.Collection = "", "", time.Time{}, ""
	id := rowID("share", r.ID)
	_, err = tx.ExecContext(ctx, `INSERT INTO share_requests (id, "user", agency, owner, query, subject, reason, created_at, status, answer)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.User, r.Agency, r.Owner, k.seal([]byte(r.Query), id, "query"), k.seal(subject, id, "subject"),
		k.seal([]byte(r.Reason), id, "reason"), formatTime(r.Created), string(r.Status), k.seal(nil, id, "answer"))
	if err != nil {
		return fail(err)
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return r, nil
}

// ShareRequests implements store.Shares.
func (s *Store) ShareRequests(ctx context.Context, agency string) ([]store.ShareRequest, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+shareColumns+` FROM share_requests
		WHERE agency = ?1 OR owner = ?1 ORDER BY id DESC`, agency)
	if err != nil {
		return nil, fmt.Errorf("share requests of %q: %w", agency, err)
	}
	defer rows.Close()
	out := []store.ShareRequest{}
	for rows.Next() {
		r, err := s.scanShare(rows)
		if err != nil {
			return nil, fmt.Errorf("share requests of %q: %w", agency, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("share requests of %q: %w", agency, err)
	}
	return out, nil
}

// ShareRequest implements store.Shares.
func (s *Store) ShareRequest(ctx context.Context, id int64) (store.ShareRequest, error) {
	return s.shareRequest(ctx, s.db, id)
}

func (s *Store) shareRequest(ctx context.Context, q querier, id int64) (store.ShareRequest, error) {
	r, err := s.scanShare(q.QueryRowContext(ctx, `SELECT `+shareColumns+` FROM share_requests WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("share request %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("share request %d: %w", id, err)
	}
	return r, nil
}

// DecideShare implements store.Shares. A collection made for an approval
// is called shared-ID (with a further number if that is taken), carries
// the highest label of the Owner's collections that held the documents,
// and holds each document with the source of the Owner's first holding of
// it. If the Owner no longer holds anything on the subject, approving
// without a collection returns ErrConflict.
func (s *Store) DecideShare(ctx context.Context, id int64, user string, approve bool, answer, collection string) (store.ShareRequest, error) {
	user, answer, collection = strings.TrimSpace(user), strings.TrimSpace(answer), strings.TrimSpace(collection)
	fail := func(err error) (store.ShareRequest, error) {
		return store.ShareRequest{}, fmt.Errorf("decide share request %d: %w", id, err)
	}
	if user == "" || answer == "" {
		return fail(fmt.Errorf("%w: a decision needs a user and an answer", store.ErrInvalid))
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	r, err := s.shareRequest(ctx, tx, id)
	if err != nil {
		return fail(err)
	}
	if r.Status != store.SharePending {
		return fail(fmt.Errorf("%w: %s by %s already", store.ErrConflict, r.Status, r.DecidedBy))
	}
	r.Status, r.DecidedBy, r.Answer, r.Decided = store.ShareRefused, user, answer, time.Now().UTC()
	if approve {
		r.Status = store.ShareApproved
		if collection == "" {
			if collection, err = shareCollection(ctx, tx, r); err != nil {
				return fail(err)
			}
		} else {
			var owner string
			err := tx.QueryRowContext(ctx, `SELECT a.name FROM collections c JOIN agencies a ON a.id = c.agency_id
				WHERE c.name = ?`, collection).Scan(&owner)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fail(err)
			}
			if owner != r.Owner {
				return fail(fmt.Errorf("%q owns no collection %q: %w", r.Owner, collection, store.ErrNotFound))
			}
		}
		r.Collection = collection
		// The requesting agency exists if a user of it asked; a request
		// recorded without one gains it here.
		if _, err := tx.ExecContext(ctx, `INSERT INTO agencies (name) VALUES (?) ON CONFLICT (name) DO NOTHING`, r.Agency); err != nil {
			return fail(err)
		}
		g := store.Grant{Collection: collection, Agency: r.Agency, By: user, Reason: answer}
		if err := grant(ctx, tx, &g); err != nil {
			return fail(err)
		}
	}
	k := s.crypt.writer()
	if err := checkKeyVersion(ctx, tx, k); err != nil {
		return fail(err)
	}
	_, err = tx.ExecContext(ctx, `UPDATE share_requests SET status = ?, decided_by = ?, answer = ?, decided_at = ?, collection = ?
		WHERE id = ?`, string(r.Status), r.DecidedBy, k.seal([]byte(r.Answer), rowID("share", r.ID), "answer"),
		formatTime(r.Decided), r.Collection, r.ID)
	if err != nil {
		return fail(err)
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return r, nil
}

// shareCollection creates, in tx, a collection of the request's Owner
// holding what the Owner holds on its subject, and returns its name.
func shareCollection(ctx context.Context, tx *txn, r store.ShareRequest) (string, error) {
	held, err := heldDocuments(ctx, tx, r.Subject, r.Owner)
	if err != nil {
		return "", err
	}
	if len(held) == 0 {
		return "", fmt.Errorf("%w: %q holds nothing on the subject any more", store.ErrConflict, r.Owner)
	}
	label := store.Classifications[0]
	for _, d := range held {
		if level(d.label) > level(label) {
			label = d.label
		}
	}
	name := fmt.Sprintf("shared-%d", r.ID)
	for n := 2; ; n++ {
		var taken int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM collections WHERE name = ?`, name).Scan(&taken); err != nil {
			return "", err
		}
		if taken == 0 {
			break
		}
		name = fmt.Sprintf("shared-%d-%d", r.ID, n)
	}
	now := formatTime(time.Now())
	var cid int64
	err = tx.QueryRowContext(ctx, `INSERT INTO collections (name, agency_id, created_at, classification)
		SELECT ?, id, ?, ? FROM agencies WHERE name = ? RETURNING id`, name, now, label, r.Owner).Scan(&cid)
	if err != nil {
		return "", fmt.Errorf("create collection %q: %w", name, err)
	}
	for _, d := range held {
		if _, err := tx.ExecContext(ctx, `INSERT INTO holdings (doc, collection_id, source, added_at) VALUES (?, ?, ?, ?)`,
			d.seq, cid, d.source, now); err != nil {
			return "", fmt.Errorf("collection %q: holding: %w", name, err)
		}
	}
	if err := countHoldings(ctx, tx, map[int64]int{cid: len(held)}); err != nil {
		return "", err
	}
	// As in Add: a collection that gains documents changes what its
	// scopes show about entities.
	if err := bumpGeneration(ctx, tx); err != nil {
		return "", err
	}
	return name, nil
}

// AddAlerts implements store.Alerts. Created defaults to now and
// Classification to UNCLASSIFIED. An alert that repeats one stored is
// skipped, unless it is classified lower: then the stored alert takes its
// label and time, since users cleared only for the lower label may now be
// told, and told when. It returns ErrInvalid for an alert without an
// agency, another agency or an entity, or with an unknown label.
func (s *Store) AddAlerts(ctx context.Context, as []store.Alert) error {
	for _, a := range as {
		if a.Agency == "" || a.Other == "" || a.Entity == 0 {
			return fmt.Errorf("add alerts: %w: an alert needs an agency, another agency and an entity", store.ErrInvalid)
		}
		if a.Classification != "" && store.ClassificationLevel(a.Classification) < 0 {
			return fmt.Errorf("add alerts: %w: unknown classification %q", store.ErrInvalid, a.Classification)
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("add alerts: %w", err)
	}
	defer tx.Rollback()
	now := time.Now()
	for _, a := range as {
		if a.Created.IsZero() {
			a.Created = now
		}
		if a.Classification == "" {
			a.Classification = store.Classifications[0]
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO alerts (agency, other, entity, theirs, created_at, classification)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (agency, other, entity, theirs) DO UPDATE SET classification = excluded.classification, created_at = excluded.created_at
			WHERE `+levelOf("excluded.classification")+` < `+levelOf("alerts.classification"),
			a.Agency, a.Other, a.Entity, a.Theirs, formatTime(a.Created), a.Classification); err != nil {
			return fmt.Errorf("add alerts: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("add alerts: %w", err)
	}
	return nil
}

// AlertsFor implements store.Alerts.
func (s *Store) AlertsFor(ctx context.Context, agency, clearance string) ([]store.Alert, error) {
	cleared := 0
	if clearance != "" {
		if cleared = store.ClassificationLevel(clearance); cleared < 0 {
			return nil, fmt.Errorf("alerts of %q: clearance %q: %w", agency, clearance, store.ErrInvalid)
		}
	}
	labels, largs := inList("classification", store.Classifications[:cleared+1])
	rows, err := s.db.QueryContext(ctx, `SELECT id, agency, other, entity, theirs, created_at, classification
		FROM alerts WHERE agency = ? AND `+labels, append([]any{agency}, largs...)...)
	if err != nil {
		return nil, fmt.Errorf("alerts of %q: %w", agency, err)
	}
	defer rows.Close()
	out := []store.Alert{}
	for rows.Next() {
		var a store.Alert
		var created string
		if err := rows.Scan(&a.ID, &a.Agency, &a.Other, &a.Entity, &a.Theirs, &created, &a.Classification); err != nil {
			return nil, fmt.Errorf("alerts of %q: %w", agency, err)
		}
		a.Created = parseTime(created)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("alerts of %q: %w", agency, err)
	}
	// Sorted here: the stored times trim trailing zeros, so they do not
	// sort as text.
	slices.SortFunc(out, func(a, b store.Alert) int {
		if c := b.Created.Compare(a.Created); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	return out, nil
}
