package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"strings"
)

// TokenPrefix starts every API token, so that a token pasted where it
// should not be (a log, a chat, a repository) is recognisable and can be
// searched for.
const TokenPrefix = "mosaic_"

// secretBytes is the entropy of tokens and session secrets: 256 bits, so
// that guessing one is hopeless however many tries are made.
const secretBytes = 32

// NewToken returns a new random API token: TokenPrefix followed by 32
// random bytes in unpadded base64url. Only its Digest is to be stored.
func NewToken() string {
	return TokenPrefix + randomString()
}

// NewSessionSecret returns a new random session secret, the value of a
// session cookie: 32 random bytes in unpadded base64url. Only its Digest
// is to be stored.
func NewSessionSecret() string {
	return randomString()
}

func randomString() string {
	b := make([]byte, secretBytes)
	// crypto/rand.Read never fails (it panics if the system's source
	// does, since there is nothing sensible to carry on with).
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Digest is the SHA-256 digest under which the store keeps a token, a
// session secret or a CSRF token. A fast hash is enough: the secrets are
// random and long, so there is no dictionary to try against a stolen digest.
func Digest(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

// LooksLikeToken reports whether s has the form of an API token, so that
// a malformed one is refused without a look-up.
func LooksLikeToken(s string) bool {
	rest, ok := strings.CutPrefix(s, TokenPrefix)
	return ok && len(rest) == base64.RawURLEncoding.EncodedLen(secretBytes)
}

// CSRFToken returns the CSRF token of the session whose secret is given:
// an HMAC of a fixed label keyed by the secret. It can be derived again
// from the session cookie, so the page can be told it after a reload,
// while a page of another origin, which cannot read the HttpOnly cookie,
// cannot compute it.
func CSRFToken(sessionSecret string) string {
	m := hmac.New(sha256.New, []byte(sessionSecret))
	m.Write([]byte("mosaic csrf token v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// SameDigest reports whether secret's Digest is digest, in time that does
// not depend on where they differ.
func SameDigest(secret string, digest []byte) bool {
	return subtle.ConstantTimeCompare(Digest(secret), digest) == 1
}
