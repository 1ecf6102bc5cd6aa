package sqlstore

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestTsvectorAsParsed holds tsvectorOf to what PostgreSQL's own parser
// makes of the same tokens: to_tsvector('simple', ...) of random keyed
// tokens (some beginning as numbers in scientific notation, which the
// parser splits), of a token repeated past the positions a lexeme keeps,
// and of none, weighted and not, must equal the literal read as a tsvector.
func TestTsvectorAsParsed(t *testing.T) {
	url := postgresSchema(t)
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	token := func() string {
		b := make([]byte, 16)
		for i := range b {
			b[i] = "abcdefghijklmnopqrstuvwxyz234567"[rng.IntN(32)]
		}
		// A token beginning with digits, e and digits, or ending there.
		switch rng.IntN(8) {
		case 0:
			copy(b, "7e2")
		case 1:
			copy(b, "23e456")
		case 2:
			copy(b[13:], "4e5")
		case 3:
			copy(b, "22e")
		}
		return string(b)
	}
	var texts []string
	for range 200 {
		vocab := make([]string, 1+rng.IntN(40))
		for i := range vocab {
			vocab[i] = token()
		}
		words := make([]string, rng.IntN(300))
		for i := range words {
			words[i] = vocab[rng.IntN(len(vocab))]
		}
		texts = append(texts, strings.Join(words, " "))
	}
	texts = append(texts, "", strings.Repeat("abcdefghijklmnop ", 300)+"7e2abcdefghijklm 2e3 2e3 e5 5e",
		"7e7777777777777a 222222222222222e 2222e22222222222 2222222222222222")
	scientific := 0
	for _, text := range texts {
		if strings.Contains(text, "7e2") {
			scientific++
		}
		for _, weight := range []string{"", "A"} {
			var same bool
			var parsed, literal string
			if err := db.QueryRowContext(ctx, `SELECT p = l, p::text, l::text FROM
				(SELECT setweight(to_tsvector('simple', $1), coalesce(nullif($2, ''), 'D')::"char") p, $3::tsvector l) x`,
				text, weight, tsvectorOf(text, weight)).Scan(&same, &parsed, &literal); err != nil {
				t.Fatalf("%q: %v", text, err)
			}
			if !same {
				t.Fatalf("weight %q: to_tsvector gives\n%.300s\nthe literal\n%.300s", weight, parsed, literal)
			}
		}
	}
	if scientific < 20 {
		t.Fatalf("only %d texts hold a token the parser splits", scientific)
	}
}
