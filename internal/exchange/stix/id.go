package stix

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// uuid is a UUID's 16 bytes.
type uuid [16]byte

// mosaicNamespace is the namespace of every identifier Mosaic derives
// for a domain or relationship object, a marking or a bundle: fixed, so
// that the same content gets the same identifier in every export.
var mosaicNamespace = mustUUID("3a6efc2d-ed8c-4576-af9e-bbf345a14798")

// observableNamespace is the namespace STIX 2.1 fixes for the
// identifiers of cyber-observable objects (section 2.9).
var observableNamespace = mustUUID("00abedb4-aa42-466c-9c01-fed23315a9b7")

func mustUUID(s string) uuid {
	u, ok := parseUUID(s)
	if !ok {
		panic("stix: bad UUID " + s)
	}
	return u
}

// parseUUID reads the 8-4-4-4-12 hex form.
func parseUUID(s string) (uuid, bool) {
	var u uuid
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return u, false
	}
	h := s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:36]
	if _, err := hex.Decode(u[:], []byte(h)); err != nil {
		return u, false
	}
	return u, true
}

func (u uuid) String() string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:36], u[10:16])
	return string(b[:])
}

// uuid5 is the name-based UUID of RFC 9562 section 5.5: SHA-1 over the
// namespace and the name, with the version and variant bits set.
func uuid5(ns uuid, name string) uuid {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u uuid
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return u
}

// objectID is a domain or relationship object's identifier: its type and
// the UUIDv5 of its parts, joined by a separator no part contains.
func objectID(typ string, parts ...string) string {
	return typ + "--" + uuid5(mosaicNamespace, typ+"\x1f"+strings.Join(parts, "\x1f")).String()
}

// observableID is a cyber-observable's identifier as STIX 2.1 derives it
// from its value: the UUIDv5, under the observable namespace, of the
// canonical JSON (RFC 8785) of {"value": value}.
func observableID(typ, value string) string {
	return typ + "--" + uuid5(observableNamespace, `{"value":`+canonicalString(value)+`}`).String()
}

// canonicalString writes s as RFC 8785 does: quotes, backslashes and
// control characters escaped, everything else as written.
func canonicalString(s string) string {
	s = strings.ToValidUTF8(s, string(utf8.RuneError))
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// splitID checks that id is a type, "--" and a UUID of an RFC 9562
// version STIX admits (1 to 5) and the RFC's variant, and returns the type.
func splitID(id string) (string, bool) {
	typ, u, ok := strings.Cut(id, "--")
	if !ok || !typePattern(typ) {
		return "", false
	}
	v, ok := parseUUID(u)
	if !ok {
		return "", false
	}
	if ver := v[6] >> 4; ver < 1 || ver > 5 {
		return "", false
	}
	if v[8]&0xc0 != 0x80 {
		return "", false
	}
	return typ, true
}

// typePattern reports whether s is a valid object type name: lower-case
// ASCII letters, digits and single hyphens, starting with a letter, 3 to
// 250 characters.
func typePattern(s string) bool {
	if len(s) < 3 || len(s) > 250 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-':
			if s[i-1] == '-' {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// timestampLayout is STIX's timestamp: UTC to the millisecond, as created
// and modified require.
const timestampLayout = "2006-01-02T15:04:05.000Z"

func timestamp(t time.Time) string { return t.UTC().Format(timestampLayout) }

// parseTimestamp reads an RFC 3339 timestamp of any precision.
func parseTimestamp(s string) (time.Time, error) {
	return time.Parse(time.RFC3339Nano, s)
}
