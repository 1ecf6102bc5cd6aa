package discovery

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"mosaic"
	"mosaic/internal/extract"
)

// KeyBytes is the length of a linkage key NewKey makes: 256 bits.
const KeyBytes = 32

// NewKey returns a new random linkage key.
func NewKey() []byte {
	k := make([]byte, KeyBytes)
	rand.Read(k) // never fails (crypto/rand)
	return k
}

// WriteKeyFile writes key to path in base64 on one line, readable by its
// owner only. It refuses to replace a file, so that a key the agencies
// agreed on is not lost to a slip of the command line.
func WriteKeyFile(path string, key []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("write linkage key: %w", err)
	}
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		return fmt.Errorf("write linkage key %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("write linkage key %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write linkage key %s: %w", path, err)
	}
	return nil
}

// ReadKeyFile reads a linkage key written by WriteKeyFile: base64 of at
// least MinKeyBytes bytes, in a file that only its owner may read (as ssh
// refuses a private key others can read: whoever reads the key can test
// any name against every peer's index). The error never quotes the
// file's content.
func ReadKeyFile(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read linkage key: %w", err)
	}
	if runtime.GOOS != "windows" && info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("read linkage key %s: readable by others (mode %v); chmod 600 it", path, info.Mode().Perm())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read linkage key: %w", err)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(data)))
	if err != nil {
		return nil, fmt.Errorf("read linkage key %s: not base64 (make one with 'mosaic discovery key')", path)
	}
	if len(key) < MinKeyBytes {
		return nil, fmt.Errorf("read linkage key %s: %d bytes, at least %d needed", path, len(key), MinKeyBytes)
	}
	return key, nil
}

// identifiers recognises phone numbers and e-mail addresses as ingest does.
var identifiers = extract.New(extract.Patterns()...)

// QueryKinds reads what a query asks about: if the whole of q is a phone
// number or an e-mail address as extraction reads one, that kind and its
// normalised form, which is what an index holds; otherwise a name, asked
// as a person's and as an organisation's.
func QueryKinds(q string) (kinds []mosaic.MentionType, value string) {
	q = strings.TrimSpace(q)
	for _, m := range identifiers.Extract(q, time.Time{}).Mentions {
		if m.Start == 0 && m.End == len(q) && m.Norm != "" && (m.Type == mosaic.Phone || m.Type == mosaic.Email) {
			return []mosaic.MentionType{m.Type}, m.Norm
		}
	}
	return []mosaic.MentionType{mosaic.Person, mosaic.Org}, q
}
