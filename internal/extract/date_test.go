package extract

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"mosaic"
)

// anchor is a Wednesday.
var anchor = time.Date(2016, 7, 20, 0, 0, 0, 0, time.UTC)

func TestDateNorm(t *testing.T) {
	tests := []struct {
		name, text string
		want       []want
	}{
		// Full dates in many forms.
		{"day month year", "On 12 June 2016 they met.", []want{{"12 June 2016", "2016-06-12"}}},
		{"month day year", "On June 12, 2016 they met.", []want{{"June 12, 2016", "2016-06-12"}}},
		{"ordinal of", "the 12th of June 2016", []want{{"12th of June 2016", "2016-06-12"}}},
		{"weekday prefix", "Sunday, 12 June 2016.", []want{{"Sunday, 12 June 2016", "2016-06-12"}}},
		{"weekday month first", "Sunday, June 12, 2016", []want{{"Sunday, June 12, 2016", "2016-06-12"}}},
		{"iso", "dated 2016-06-12.", []want{{"2016-06-12", "2016-06-12"}}},
		{"iso with time", "at 2016-06-12T10:00:00Z", []want{{"2016-06-12T10:00:00Z", "2016-06-12"}}},
		{"slashes day first", "on 12/06/2016", []want{{"12/06/2016", "2016-06-12"}}},
		{"slashes month first when day first is impossible", "on 06/13/2016", []want{{"06/13/2016", "2016-06-13"}}},
		{"dots", "on 12.06.2016", []want{{"12.06.2016", "2016-06-12"}}},
		{"two-digit year", "on 12/06/16 and 1/2/98", []want{{"12/06/16", "2016-06-12"}, {"1/2/98", "1998-02-01"}}},
		{"abbreviated month", "on Jun. 12, 2016 and 3 Sept 2015", []want{{"Jun. 12, 2016", "2016-06-12"}, {"3 Sept 2015", "2015-09-03"}}},
		{"french", "le 12 juin 2016 et le 1er août 2016", []want{{"12 juin 2016", "2016-06-12"}, {"1er août 2016", "2016-08-01"}}},
		{"french month alone", "en juillet", []want{{"juillet", "2016-07"}}},
		{"month year", "in June 2016 and March, 2015", []want{{"June 2016", "2016-06"}, {"March, 2015", "2015-03"}}},
		{"range of days", "from 12-14 June 2016", []want{{"12-14 June 2016", "2016-06-12/2016-06-14"}}},
		{"range month first", "on June 12-14, 2016", []want{{"June 12-14, 2016", "2016-06-12/2016-06-14"}}},
		{"range with to", "between 3 to 5 May 2016", []want{{"3 to 5 May 2016", "2016-05-03/2016-05-05"}}},
		{"range of years", "during 2014-2016 and (2010-12)", []want{{"2014-2016", "2014/2016"}, {"2010-12", "2010/2012"}}},
		{"decade", "in the 1990s and the '80s", []want{{"1990s", "199"}, {"'80s", "198"}}},
		{"prefixed", "by mid-2015, early-1990s and late-June", []want{{"mid-2015", "2015"}, {"early-1990s", "199"}, {"late-June", "2016-06"}}},

		// Years only in date context.
		{"year after preposition", "in 2015, since 2011 and until 2020.", []want{{"2015", "2015"}, {"2011", "2011"}, {"2020", "2020"}}},
		{"year connected", "from 2015 to 2017", []want{{"2015", "2015"}, {"2017", "2017"}}},
		{"year in brackets", "the report (2014) said", []want{{"2014", "2014"}}},
		{"year before function word", "In 2015 the group split.", []want{{"2015", "2015"}}},
		{"count", "2015 people were displaced", nil},
		{"count after preposition", "in 2015 people died and a total of 2015 cases", nil},
		{"number without context", "He paid 2015 dollars for 1999 rounds.", nil},
		{"old time", "at 1200 hours in 1200", nil},

		// Relative to the anchor.
		{"in June", "It started in June.", []want{{"June", "2016-06"}}},
		{"month soon after the anchor", "due in August", []want{{"August", "2016-08"}}},
		{"month long after the anchor", "since September", []want{{"September", "2015-09"}}},
		{"day month without year", "on 12 June", []want{{"12 June", "2016-06-12"}}},
		{"month day without year", "on June 12 at noon", []want{{"June 12", "2016-06-12"}}},
		{"yearless range", "on 12 to 14 June", []want{{"12 to 14 June", "2016-06-12/2016-06-14"}}},
		{"leap day", "on 29 February", []want{{"29 February", "2016-02-29"}}},
		{"in June 12 people", "In June 12 people died.", []want{{"June", "2016-06"}}},
		{"last year", "last year", []want{{"last year", "2015"}}},
		{"this and next year", "this year and next year", []want{{"this year", "2016"}, {"next year", "2017"}}},
		{"months", "last month and next month", []want{{"last month", "2016-06"}, {"next month", "2016-08"}}},
		{"weeks", "this week and last week", []want{{"this week", "2016-W29"}, {"last week", "2016-W28"}}},
		{"yesterday", "He arrived yesterday.", []want{{"yesterday", "2016-07-19"}}},
		{"today tomorrow", "today or tomorrow", []want{{"today", "2016-07-20"}, {"tomorrow", "2016-07-21"}}},
		{"last night this morning", "last night and this morning", []want{{"last night", "2016-07-19"}, {"this morning", "2016-07-20"}}},
		{"on Monday", "They met on Monday.", []want{{"Monday", "2016-07-18"}}},
		{"weekday of the anchor", "said on Wednesday", []want{{"Wednesday", "2016-07-20"}}},
		{"last weekday", "last Monday and last Wednesday", []want{{"last Monday", "2016-07-18"}, {"last Wednesday", "2016-07-13"}}},
		{"next and this weekday", "next Monday or this Friday", []want{{"next Monday", "2016-07-25"}, {"this Friday", "2016-07-22"}}},
		{"last month name", "last June and last August, next March", []want{{"last June", "2016-06"}, {"last August", "2015-08"}, {"next March", "2017-03"}}},
		{"days later", "two days later", []want{{"two days later", "2016-07-22"}}},
		{"weeks ago", "three weeks ago", []want{{"three weeks ago", "2016-W26"}}},
		{"months ago", "six months ago", []want{{"six months ago", "2016-01"}}},
		{"a year ago", "a year ago", []want{{"a year ago", "2015"}}},
		{"digits days earlier", "10 days earlier", []want{{"10 days earlier", "2016-07-10"}}},

		// Words that are not dates.
		{"modal may", "We may leave. May I help?", nil},
		{"verb march", "They march on the capital.", nil},
		{"name Jan", "Jan Kowalski met Jun Li.", nil},
		{"month without context", "August is a name here: August said no.", nil},
		{"the next day", "the next day and last years", nil},
		{"days before an event", "two days before the attack", nil},
		{"impossible day keeps the month", "on 31 June 2016 and 2016-02-30", []want{{"June 2016", "2016-06"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkMentions(t, tt.text, anchor, mosaic.Date, tt.want) })
	}
}

func TestDateAnchor(t *testing.T) {
	t.Run("no anchor: relative dates kept without norm", func(t *testing.T) {
		text := "The group met last year and again in June, on Monday and on 12 June."
		checkMentions(t, text, time.Time{}, mosaic.Date, []want{
			{"last year", ""}, {"June", ""}, {"Monday", ""}, {"12 June", ""},
		})
	})
	t.Run("no anchor: absolute dates still normalised", func(t *testing.T) {
		checkMentions(t, "in June 2016 and in 2015", time.Time{}, mosaic.Date, []want{{"June 2016", "2016-06"}, {"2015", "2015"}})
	})
	t.Run("anchor from the first full date in the text", func(t *testing.T) {
		text := "The group formed in June. Report of 3 March 2015. They met yesterday and last year, and on 9 May 2014."
		checkMentions(t, text, time.Time{}, mosaic.Date, []want{
			{"June", "2014-06"}, {"3 March 2015", "2015-03-03"}, {"yesterday", "2015-03-02"},
			{"last year", "2014"}, {"9 May 2014", "2014-05-09"},
		})
	})
	t.Run("month-year is not a full date", func(t *testing.T) {
		text := "In June 2016 it began; yesterday it ended on 4 July 2016."
		checkMentions(t, text, time.Time{}, mosaic.Date, []want{
			{"June 2016", "2016-06"}, {"yesterday", "2016-07-03"}, {"4 July 2016", "2016-07-04"},
		})
	})
	t.Run("document date wins over the text", func(t *testing.T) {
		checkMentions(t, "Written 3 March 2015; he left yesterday.", anchor, mosaic.Date, []want{
			{"3 March 2015", "2015-03-03"}, {"yesterday", "2016-07-19"},
		})
	})
	t.Run("document date is read in its own time zone", func(t *testing.T) {
		late := time.Date(2016, 7, 20, 23, 30, 0, 0, time.FixedZone("UTC+5", 5*3600))
		checkMentions(t, "yesterday", late, mosaic.Date, []want{{"yesterday", "2016-07-19"}})
	})
	t.Run("leap day placed in the last leap year", func(t *testing.T) {
		checkMentions(t, "on 29 February", time.Date(2017, 7, 1, 0, 0, 0, 0, time.UTC), mosaic.Date, []want{{"29 February", "2016-02-29"}})
	})
}

// isoForms are the Norm shapes a DATE may take: a day, month, year, decade
// or ISO week, or a range of two of them.
var isoForm = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}|\d{4}-\d{2}|\d{4}|\d{3}|\d{4}-W\d{2})$`)

// validDateNorm reports whether n is empty or a well-formed ISO 8601 date,
// period or range.
func validDateNorm(n string) bool {
	if n == "" {
		return true
	}
	parts := strings.Split(n, "/")
	if len(parts) > 2 {
		return false
	}
	for _, p := range parts {
		if !isoForm.MatchString(p) {
			return false
		}
		switch {
		case len(p) == 10:
			if _, err := time.Parse("2006-01-02", p); err != nil {
				return false
			}
		case len(p) == 7:
			if _, err := time.Parse("2006-01", p); err != nil {
				return false
			}
		case len(p) == 8:
			if p[6:] < "01" || p[6:] > "53" {
				return false
			}
		}
	}
	return len(parts) == 1 || parts[0] < parts[1]
}

func TestValidDateNorm(t *testing.T) {
	for n, ok := range map[string]bool{
		"": true, "2016": true, "2016-06": true, "2016-06-12": true, "199": true, "2016-W29": true,
		"2016-06-12/2016-06-14": true, "2014/2016": true,
		"2016-13": false, "2016-02-30": false, "16": false, "2016-W60": false, "2016/2014": false, "x": false,
	} {
		if got := validDateNorm(n); got != ok {
			t.Errorf("validDateNorm(%q) = %v, want %v", n, got, ok)
		}
	}
}
