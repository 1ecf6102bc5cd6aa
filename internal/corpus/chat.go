package corpus

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// WriteChat writes to w a chat export of at least size bytes, one message a
// line ("[2016-05-03 14:22] Karim Benali: ..."), and returns the bytes
// written. It is as dense in names as the exports and leak dumps analysts
// load whole: every message has a speaker, and most name people, places,
// groups, phone numbers or addresses, some 40,000 mentions a megabyte.
func (g *Generator) WriteChat(w io.Writer, size int64) (int64, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	var n int64
	day := g.date()
	for i := 0; n < size; i++ {
		if i%400 == 0 {
			day = day.AddDate(0, 0, 1)
		}
		var line string
		speaker := g.person()
		switch g.rng.IntN(6) {
		case 0:
			line = fmt.Sprintf("met %s and %s in %s, call me on +32 4%02d %02d %02d %02d", g.person(), g.person(), g.pick(places),
				g.rng.IntN(100), g.rng.IntN(100), g.rng.IntN(100), g.rng.IntN(100))
		case 1:
			line = fmt.Sprintf("%s says %s is with %s in %s now", g.person(), g.person(), g.pick(groups), g.pick(places))
		case 2:
			line = fmt.Sprintf("send it to %s@example.org before %d %s, %s knows", strings.ToLower(strings.ReplaceAll(g.person(), " ", ".")),
				1+g.rng.IntN(28), months[g.rng.IntN(12)], g.person())
		case 3:
			line = fmt.Sprintf("%s %s %s in %s", g.person(), g.pick(verbs), g.person(), g.pick(places))
		case 4:
			line = fmt.Sprintf("ok, tell %s and %s", g.person(), g.person())
		default:
			line = "ok"
		}
		k, err := fmt.Fprintf(bw, "[%s %02d:%02d] %s: %s\n", day.Format("2006-01-02"), g.rng.IntN(24), g.rng.IntN(60), speaker, line)
		n += int64(k)
		if err != nil {
			return n, err
		}
	}
	return n, bw.Flush()
}
