package web

import (
	"context"
	"testing"

	"mosaic/internal/store"
)

// TestBrowserUpload runs e2e/upload.mjs on the authorisation matrix,
// logged in as one of alpha's analysts: a report and a corrupt PDF
// uploaded through the page into a new collection, each row ending as the
// server answered it, and search finding the report. The store is then
// checked here: the collection is alpha's and holds the report alone.
func TestBrowserUpload(t *testing.T) {
	m := newMatrix(t)
	ctx := context.Background()
	if _, err := m.store.AddUser(ctx, store.User{Name: analyst, Agency: alpha, Role: store.Analyst, Clearance: "SECRET"}, ""); err != nil {
		t.Fatal(err)
	}
	const collection = "field-reports"
	t.Setenv("MOSAIC_UPLOAD_COLLECTION", collection)
	t.Setenv("MOSAIC_UPLOAD_TEXT", "Harbour report\n\nWendeline Harrowgate met Osric Tamberlane at the Quillfeather depot on 4 May 2021.\n")
	t.Setenv("MOSAIC_UPLOAD_WORD", "Quillfeather")
	runBrowser(t, &fixture{store: m.store}, "upload.mjs", m.h)

	titles, agency := collectionDocs(t, m, collection)
	if agency != alpha || len(titles) != 1 {
		t.Errorf("%s: agency %q, documents %q; want alpha's, the report alone", collection, agency, titles)
	}
	log, err := m.store.AuditLog(ctx, store.AuditFilter{Action: "upload"})
	if err != nil || len(log) != 1 || log[0].User != analyst || log[0].Object != collection {
		t.Errorf("audit log of uploads: %+v, %v", log, err)
	}
}
