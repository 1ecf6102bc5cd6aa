package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestHijri runs the command as a user would; the expected dates are the
// published ones (1 Ramadan 1437 = 2016-06-06, Eid al-Fitr 1437 =
// 2016-07-06 in Saudi Arabia), the two Ramadans of 2030 as ICU's
// islamic-umalqura calendar gives them.
func TestHijri(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"hijri", "2016-07-01"}, "1437-09-26 Ramadan\n"},
		{[]string{"hijri", "2016-07-06"}, "1437-10-01 Shawwal\n"},
		{[]string{"hijri", "2022-07-30"}, "1444-01-01 Muharram\n"},
		{[]string{"hijri", "--to-gregorian", "1437-09-26"}, "2016-07-01\n"},
		{[]string{"hijri", "1437-09-01", "--to-gregorian"}, "2016-06-06\n"},
		{[]string{"hijri", "--ramadan", "2016"}, "Ramadan 1437: 2016-06-06 to 2016-07-05 (30 days)\n"},
		{[]string{"hijri", "--ramadan", "2030"}, "Ramadan 1451: 2030-01-05 to 2030-02-03 (30 days)\n" +
			"Ramadan 1452: 2030-12-26 to 2031-01-23 (29 days)\n"},
	}
	for _, c := range cases {
		out, errs, code := runMosaic(t, c.args...)
		if code != 0 || out != c.want {
			t.Errorf("mosaic %s: exit %d, %q, want %q\n%s", strings.Join(c.args, " "), code, out, c.want, errs)
		}
	}
}

func TestHijriJSON(t *testing.T) {
	out, errs, code := runMosaic(t, "hijri", "--json", "2016-07-01")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var d hijriDay
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	want := hijriDay{Gregorian: "2016-07-01", Weekday: "Friday", Hijri: "1437-09-26",
		Year: 1437, Month: 9, MonthName: "Ramadan", Day: 26}
	if d != want {
		t.Errorf("got %+v, want %+v", d, want)
	}

	out, errs, code = runMosaic(t, "hijri", "--json", "--ramadan", "2030")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		Year    int             `json:"year"`
		Windows []ramadanWindow `json:"windows"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if r.Year != 2030 || len(r.Windows) != 2 || r.Windows[1] != (ramadanWindow{1452, "2030-12-26", "2031-01-23", 29}) {
		t.Errorf("got %+v", r)
	}
}

func TestHijriErrors(t *testing.T) {
	cases := []struct {
		args []string
		code int
		says []string
	}{
		{[]string{"hijri", "1937-03-13"}, 1, []string{"1937-03-13", "outside", "1937-03-14", "2077-11-16"}},
		{[]string{"hijri", "2077-11-17"}, 1, []string{"2077-11-17", "outside"}},
		{[]string{"hijri", "--to-gregorian", "1501-01-01"}, 1, []string{"1501-01-01", "outside", "1500-12-30"}},
		{[]string{"hijri", "--to-gregorian", "1437-10-30"}, 1, []string{"1437-10-30", "Shawwal 1437 has 29 days"}},
		{[]string{"hijri", "--ramadan", "2100"}, 1, []string{"2100", "outside"}},
		{[]string{"hijri", "--ramadan", "next"}, 1, []string{`"next"`, "year"}},
		{[]string{"hijri", "01/07/2016"}, 1, []string{"01/07/2016", "YYYY-MM-DD"}},
		{[]string{"hijri"}, exitUsage, []string{"Usage: mosaic hijri"}},
		{[]string{"hijri", "--ramadan", "--to-gregorian", "2016"}, exitUsage, []string{"Usage: mosaic hijri"}},
	}
	for _, c := range cases {
		out, errs, code := runMosaic(t, c.args...)
		if code != c.code || out != "" {
			t.Errorf("mosaic %s: exit %d, stdout %q; want exit %d and nothing", strings.Join(c.args, " "), code, out, c.code)
		}
		for _, s := range c.says {
			if !strings.Contains(errs, s) {
				t.Errorf("mosaic %s: %q does not say %q", strings.Join(c.args, " "), errs, s)
			}
		}
	}
}
