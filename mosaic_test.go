package mosaic

import "testing"

// TestNormIdentifier: what an analyst types meets what extraction
// stored, and a Norm normalises to itself.
func TestNormIdentifier(t *testing.T) {
	tests := []struct {
		kind     MentionType
		in, want string
	}{
		{Phone, "+44 1632 960001", "+441632960001"},
		{Phone, "0044 (1632) 960-001", "+441632960001"},
		{Phone, "+441632960001", "+441632960001"},
		{Phone, "555-0199", "5550199"},
		{Phone, "+", ""},
		{Email, " Someone@Example.ORG ", "someone@example.org"},
		{Person, " Samir ", "Samir"},
	}
	for _, tt := range tests {
		if got := NormIdentifier(tt.kind, tt.in); got != tt.want {
			t.Errorf("NormIdentifier(%s, %q) = %q, want %q", tt.kind, tt.in, got, tt.want)
		}
	}
}
