package auth

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
)

func TestToken(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		tok := NewToken()
		if !strings.HasPrefix(tok, "mosaic_") || !LooksLikeToken(tok) {
			t.Fatalf("token %q: want mosaic_ and 43 base64url characters", tok)
		}
		raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(tok, "mosaic_"))
		if err != nil || len(raw) != 32 {
			t.Fatalf("token %q does not hold 32 bytes: %v", tok, err)
		}
		if seen[tok] {
			t.Fatalf("token %q made twice", tok)
		}
		seen[tok] = true
	}
	for _, bad := range []string{"", "mosaic_", "mosaic_abc", "Bearer mosaic_" + strings.Repeat("a", 43), strings.Repeat("a", 50)} {
		if LooksLikeToken(bad) {
			t.Errorf("LooksLikeToken(%q) = true", bad)
		}
	}
}

func TestDigest(t *testing.T) {
	want := sha256.Sum256([]byte("abc"))
	if got := Digest("abc"); !bytes.Equal(got, want[:]) {
		t.Errorf("Digest(abc) = %x, want %x", got, want)
	}
	if !SameDigest("abc", want[:]) || SameDigest("abd", want[:]) || SameDigest("abc", nil) {
		t.Error("SameDigest does not tell the secret of a digest from another")
	}
}

func TestCSRFToken(t *testing.T) {
	a, b := NewSessionSecret(), NewSessionSecret()
	if a == b || len(a) != 43 {
		t.Fatalf("session secrets %q and %q: want two different 43-character strings", a, b)
	}
	if CSRFToken(a) != CSRFToken(a) {
		t.Error("a session's CSRF token changes between derivations")
	}
	if CSRFToken(a) == CSRFToken(b) {
		t.Error("two sessions share a CSRF token")
	}
	if CSRFToken(a) == a || strings.Contains(CSRFToken(a), a) {
		t.Error("the CSRF token gives away the session secret")
	}
}

func TestCheckAbsent(t *testing.T) {
	if err := CheckAbsent("anything"); err != ErrMismatch {
		t.Errorf("CheckAbsent = %v, want ErrMismatch", err)
	}
}
