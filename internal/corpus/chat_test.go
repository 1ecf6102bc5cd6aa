package corpus

import (
	"bytes"
	"strings"
	"testing"
)

func TestWriteChat(t *testing.T) {
	var a, b bytes.Buffer
	n, err := New(3).WriteChat(&a, 100_000)
	if err != nil || n != int64(a.Len()) || n < 100_000 || n > 100_200 {
		t.Fatalf("wrote %d bytes (%d buffered), %v", n, a.Len(), err)
	}
	New(3).WriteChat(&b, 100_000)
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same seed wrote different chats")
	}
	for _, line := range strings.Split(strings.TrimSuffix(a.String(), "\n"), "\n") {
		if !strings.HasPrefix(line, "[20") || !strings.Contains(line, "] ") || !strings.Contains(line, ": ") {
			t.Fatalf("not a chat line: %q", line)
		}
	}
}
