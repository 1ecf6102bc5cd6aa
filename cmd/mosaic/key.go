package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"mosaic/internal/store/postgres"
	"mosaic/internal/store/sqlite"
	"mosaic/internal/store/sqlstore"
)

const keyAbout = `Makes and rotates the key that encrypts a store's documents at rest (a data folder's,
or a PostgreSQL database's): their titles, text and metadata, and the words of the search
index.

  new --out FILE          write a new random key to FILE (base64, readable by you alone)
  rotate --new-key-file FILE
                          re-encrypt the store of --db with the key in FILE, a batch of
                          documents at a time. If it is interrupted, run it again with
                          the same two keys: it resumes, and until it ends only the old key
                          opens the store. Stop 'mosaic serve' and 'mosaic worker' on the
                          store first: a server keeps the key it started with, and once
                          the rotation ends it can neither read nor add documents until
                          restarted.

Every command finds the key, in order, in the file named by $MOSAIC_KEY_FILE, in
$MOSAIC_KEY (base64), or in the data folder's mosaic.key, made on first use so that a
sample works with no set-up. A key kept beside the data protects nothing: on a server,
keep it elsewhere (another disk, a secrets manager) and set MOSAIC_KEY_FILE. No command
takes the key as a flag, so that it never shows in a process list.

rotate takes the old key from there too, and afterwards the new key is the one to give:
if the old one was the folder's mosaic.key, the new key replaces it there. A PostgreSQL
database has no folder: its key comes from $MOSAIC_KEY_FILE or $MOSAIC_KEY, and after a
rotation every server and worker on it needs the new one.

Stays in clear, because SQL must join, group or sort by it: document ids (hashes of the
content), sizes, formats, dates, collection and agency names, mention offsets, and the
names of entities and of their mentions.`

func runKey(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "key", "new --out FILE | rotate --new-key-file FILE", keyAbout)
	db := dbFlag(fs)
	out := fs.String("out", "", "new: the file to write the key to (must not exist)")
	newKeyFile := fs.String("new-key-file", "", "rotate: the file holding the new key (from 'mosaic key new')")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "new" && pos[0] != "rotate" {
		fs.Usage()
		return errUsage
	}
	if pos[0] == "new" {
		if *out == "" {
			return fmt.Errorf("new needs --out FILE: a key is never printed")
		}
		k, err := sqlstore.NewKey()
		if err != nil {
			return err
		}
		if err := sqlstore.WriteKeyFile(*out, k); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "wrote a new key to %s\n", *out)
		return nil
	}
	if *newKeyFile == "" {
		return fmt.Errorf("rotate needs --new-key-file FILE (make one with 'mosaic key new --out FILE')")
	}
	return rotateKey(ctx, e, *db, *newKeyFile)
}

// rotateKey re-encrypts the store of db (a data folder or a PostgreSQL
// address) with the key in newKeyFile.
func rotateKey(ctx context.Context, e *env, db, newKeyFile string) error {
	newKey, err := sqlstore.ReadKeyFile(newKeyFile)
	if err != nil {
		return err
	}
	pg := postgres.IsURL(db)
	if !pg {
		if _, err := os.Stat(filepath.Join(db, sqlite.FileName)); errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%w in %s", errNoData, db)
		}
	}
	// An ingest under way writes with the key it opened the store with.
	release, err := lockIngest(db)
	if err != nil {
		return err
	}
	defer release()
	opened, err := openStore(ctx, db, false)
	if err != nil {
		return err
	}
	defer opened.Close()
	// Both stores are sqlstore's, which rotates keys.
	st, ok := opened.(*sqlstore.Store)
	if !ok {
		return fmt.Errorf("key rotation: the store of %s cannot rotate keys", displayDB(db))
	}
	progress := func(done, total int) {
		if e.tty {
			fmt.Fprintf(e.stderr, "\rre-encrypting: %d of %d documents", done, total)
		}
	}
	err = st.RotateKey(ctx, newKey, progress)
	if e.tty {
		fmt.Fprintln(e.stderr)
	}
	if err != nil {
		return fmt.Errorf("%w (run the same command again to resume)", err)
	}
	if pg || os.Getenv(sqlstore.EnvKeyFile) != "" || os.Getenv(sqlstore.EnvKey) != "" {
		name := db
		if pg {
			name = postgres.Redact(db)
		}
		fmt.Fprintf(e.stdout, "%s is encrypted with the new key: from now on set %s=%s\n", name, sqlstore.EnvKeyFile, newKeyFile)
		return nil
	}
	dir := db
	// The old key was the folder's own file: the new one takes its place,
	// written beside it and renamed over it, so the file is never half
	// written.
	path := filepath.Join(dir, sqlstore.KeyFileName)
	tmp := path + ".new"
	os.Remove(tmp)
	if err := sqlstore.WriteKeyFile(tmp, newKey); err != nil {
		return fmt.Errorf("%s is encrypted with the new key, but %s still holds the old one: %w", dir, path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("%s is encrypted with the new key, but %s still holds the old one: %w", dir, path, err)
	}
	fmt.Fprintf(e.stdout, "%s is encrypted with the new key, now in %s\n", dir, path)
	return nil
}
