package extract

import (
	"strings"
	"testing"
	"time"

	"mosaic"
)

// want is an expected mention: its text (located in the input with
// strings.Index, scanning left to right) and its Norm.
type want struct {
	text, norm string
}

// checkMentions extracts text with the pattern recognisers and compares the
// mentions of type typ with ws.
func checkMentions(t *testing.T, text string, anchor time.Time, typ mosaic.MentionType, ws []want) {
	t.Helper()
	res := New(Patterns()...).Extract(text, anchor)
	var got []mosaic.Mention
	for _, m := range res.Mentions {
		if m.Type == typ {
			got = append(got, m)
		}
	}
	show := func() string {
		var b strings.Builder
		for _, m := range got {
			b.WriteString("\n\t" + m.Text + " → " + m.Norm)
		}
		return b.String()
	}
	if len(got) != len(ws) {
		t.Fatalf("%s in %q: got %d mentions, want %d:%s", typ, text, len(got), len(ws), show())
	}
	from := 0
	for i, w := range ws {
		at := strings.Index(text[from:], w.text)
		if at < 0 {
			t.Fatalf("test bug: %q not in %q after %d", w.text, text, from)
		}
		start := from + at
		m := got[i]
		if m.Start != start || m.End != start+len(w.text) || m.Norm != w.norm {
			t.Errorf("%s %d: got %q [%d,%d) norm %q, want %q [%d,%d) norm %q",
				typ, i, m.Text, m.Start, m.End, m.Norm, w.text, start, start+len(w.text), w.norm)
		}
		from = start + len(w.text)
	}
}

func TestEmail(t *testing.T) {
	tests := []struct {
		name, text string
		want       []want
	}{
		{"plain", "Write to john.smith@example.com today.", []want{{"john.smith@example.com", "john.smith@example.com"}}},
		{"lower-cased", "From: Karim.Nasser@Mail.Example.ORG", []want{{"Karim.Nasser@Mail.Example.ORG", "karim.nasser@mail.example.org"}}},
		{"sentence stop and brackets", "(a_b-c+tag@sub.example.co.uk).", []want{{"a_b-c+tag@sub.example.co.uk", "a_b-c+tag@sub.example.co.uk"}}},
		{"two", "cc: x@example.net, y@example.net", []want{{"x@example.net", "x@example.net"}, {"y@example.net", "y@example.net"}}},
		{"no domain dot", "user@localhost", nil},
		{"handle", "follow @example on social media", nil},
		{"numeric tld", "root@10.0.0.1", nil},
		{"bare at", "meet @ 5", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkMentions(t, tt.text, time.Time{}, mosaic.Email, tt.want) })
	}
}

func TestURL(t *testing.T) {
	tests := []struct {
		name, text string
		want       []want
	}{
		{"https", "See https://example.com/path?q=1&r=2 for more.", []want{{"https://example.com/path?q=1&r=2", ""}}},
		{"trailing stop", "Posted at http://example.org/a/b.html.", []want{{"http://example.org/a/b.html", ""}}},
		{"trailing comma and bracket", "(see http://example.org/x), then", []want{{"http://example.org/x", ""}}},
		{"balanced bracket kept", "at https://en.wikipedia.org/wiki/Foo_(bar).", []want{{"https://en.wikipedia.org/wiki/Foo_(bar)", ""}}},
		{"www", "Visit www.example.com/forum!", []want{{"www.example.com/forum", ""}}},
		{"ftp", "ftp://files.example.net/dump.zip", []want{{"ftp://files.example.net/dump.zip", ""}}},
		{"quoted", "\"https://t.example/abc\"", []want{{"https://t.example/abc", ""}}},
		{"user info is part of the URL", "http://user@example.com/x", []want{{"http://user@example.com/x", ""}}},
		{"scheme alone", "the http:// prefix", nil},
		{"www alone", "the www. prefix", nil},
		{"bare domain", "reported by example.com", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkMentions(t, tt.text, time.Time{}, mosaic.URL, tt.want) })
	}
}

func TestIP(t *testing.T) {
	tests := []struct {
		name, text string
		want       []want
	}{
		{"ipv4", "Logged in from 192.168.10.254 at night.", []want{{"192.168.10.254", "192.168.10.254"}}},
		{"ipv4 sentence end and port", "Server 10.0.0.1:8080 and 8.8.8.8.", []want{{"10.0.0.1", "10.0.0.1"}, {"8.8.8.8", "8.8.8.8"}}},
		{"ipv4 cidr", "block 203.0.113.0/24 now", []want{{"203.0.113.0", "203.0.113.0"}}},
		{"ipv6 compressed", "from 2001:db8::ff00:42:8329 today", []want{{"2001:db8::ff00:42:8329", "2001:db8::ff00:42:8329"}}},
		{"ipv6 full, canonicalised", "host 2001:0DB8:0000:0000:0000:FF00:0042:8329.", []want{{"2001:0DB8:0000:0000:0000:FF00:0042:8329", "2001:db8::ff00:42:8329"}}},
		{"ipv6 link local", "iface fe80::1 up", []want{{"fe80::1", "fe80::1"}}},
		{"ipv6 loopback", "bound to ::1 only", []want{{"::1", "::1"}}},
		{"ipv4-mapped", "seen as ::ffff:192.0.2.128 here", []want{{"::ffff:192.0.2.128", "::ffff:192.0.2.128"}}},
		{"octet too large", "at 256.1.1.1", nil},
		{"version number", "upgrade to 1.2.3 now", nil},
		{"longer dotted run", "section 1.2.3.4.5 says", nil},
		{"prefixed version", "firmware v1.2.3.4 is old", nil},
		{"leading zeros", "value 01.02.03.04", nil},
		{"date", "on 12.06.2016 at", nil},
		{"time", "at 12:30:45 sharp", nil},
		{"mac address", "mac 00:1A:2B:3C:4D:5E", nil},
		{"code", "std::vector and Foo::Bar", nil},
		{"decimal", "grew 3.5 percent", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkMentions(t, tt.text, time.Time{}, mosaic.IP, tt.want) })
	}
}

func TestPhone(t *testing.T) {
	tests := []struct {
		name, text string
		want       []want
	}{
		{"uk international", "Call +44 20 7946 0958 now.", []want{{"+44 20 7946 0958", "+442079460958"}}},
		{"us international", "Tel: +1 (555) 010-0199", []want{{"+1 (555) 010-0199", "+15550100199"}}},
		{"belgian", "at +32 2 555 01 23.", []want{{"+32 2 555 01 23", "+3225550123"}}},
		{"trunk prefix in brackets", "+44 (0)20 7946 0958", []want{{"+44 (0)20 7946 0958", "+442079460958"}}},
		{"solid international", "whatsapp +447700900123", []want{{"+447700900123", "+447700900123"}}},
		{"00 international prefix", "Tel. 0049 30 1234567.", []want{{"0049 30 1234567", "+49301234567"}}},
		{"berlin national", "030 12345678", []want{{"030 12345678", "03012345678"}}},
		{"uk national", "ring 020 7946 0958 or 07700 900123", []want{{"020 7946 0958", "02079460958"}, {"07700 900123", "07700900123"}}},
		{"french national", "au 06 12 34 56 78", []want{{"06 12 34 56 78", "0612345678"}}},
		{"us area code", "(555) 010-0199", []want{{"(555) 010-0199", "5550100199"}}},
		{"us dotted", "555.010.0199", []want{{"555.010.0199", "5550100199"}}},
		{"us local", "call 555-0199 after 5", []want{{"555-0199", "5550199"}}},
		{"followed by a count", "call 555-0199 5 times", []want{{"555-0199", "5550199"}}},
		{"iso date", "on 2016-06-12 at", nil},
		{"day-first date", "on 12-06-2016 and 12.06.2016", nil},
		{"years", "in 2015 and 2016, 1990-2000, 2015 2016", nil},
		{"time", "at 09:30 and 21:45:10", nil},
		{"money", "paid $1,000,000 and €1.000.000 and 1 000 000 dollars", nil},
		{"counts", "12 345 678 people", nil},
		{"id without phone grouping", "passport 123456789 and case 20160612001", nil},
		{"isbn", "ISBN 978-3-16-148410-0", nil},
		{"ssn-like", "id 123-45-6789", nil},
		{"ip", "from 192.168.100.200", nil},
		{"decimal", "3.14159 and 2.71828", nil},
		{"short", "room 555-01", nil},
		{"credit card", "4111 1111 1111 1111", nil},
		{"glued to a word", "flight A380-800 and BA-0207 946 0958", nil},
		{"range", "pages 1234-5678", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkMentions(t, tt.text, time.Time{}, mosaic.Phone, tt.want) })
	}
}
