package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"mosaic/internal/incident"
)

// hijriDay is one day in both calendars, as --json prints it.
type hijriDay struct {
	Gregorian string `json:"gregorian"`
	Weekday   string `json:"weekday"`
	Hijri     string `json:"hijri"`
	Year      int    `json:"year"`
	Month     int    `json:"month"`
	MonthName string `json:"month_name"`
	Day       int    `json:"day"`
}

// ramadanWindow is one Ramadan, as --ramadan --json prints it.
type ramadanWindow struct {
	HijriYear int    `json:"hijri_year"`
	Start     string `json:"start"`
	End       string `json:"end"`
	Days      int    `json:"days"`
}

func runHijri(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "hijri", "[--json] DATE | --to-gregorian HIJRI-DATE | --ramadan YEAR",
		"Converts a Gregorian date (YYYY-MM-DD) to the Umm al-Qura calendar and prints\n"+
			"it as YYYY-MM-DD with the month's name; with --to-gregorian, the reverse.\n"+
			"With --ramadan, prints every Ramadan overlapping the Gregorian year, first and\n"+
			"last day included. Umm al-Qura is Saudi Arabia's civil calendar, known from\n"+
			"1937-03-14 (1356-01-01) to 2077-11-16 (1500-12-30); the observed Ramadan may\n"+
			"start a day or two later where it waits for the crescent to be sighted.")
	asJSON := fs.Bool("json", false, "print JSON")
	toGregorian := fs.Bool("to-gregorian", false, "the argument is a Hijri date; print its Gregorian day")
	ramadan := fs.Bool("ramadan", false, "the argument is a Gregorian year; print its Ramadan windows")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *toGregorian && *ramadan {
		fs.Usage()
		return errUsage
	}
	arg := pos[0]
	switch {
	case *ramadan:
		year, err := strconv.Atoi(arg)
		if err != nil {
			return fmt.Errorf("--ramadan %q: want a year such as 2016", arg)
		}
		ws, err := incident.RamadanWindows(year)
		if err != nil {
			return err
		}
		out := make([]ramadanWindow, len(ws))
		for i, w := range ws {
			out[i] = ramadanWindow{HijriYear: w.HijriYear, Start: w.Start.Format(time.DateOnly),
				End: w.End.Format(time.DateOnly), Days: w.Days()}
		}
		if *asJSON {
			return json.NewEncoder(e.stdout).Encode(struct {
				Year    int             `json:"year"`
				Windows []ramadanWindow `json:"windows"`
			}{year, out})
		}
		for _, w := range out {
			fmt.Fprintf(e.stdout, "Ramadan %d: %s to %s (%d days)\n", w.HijriYear, w.Start, w.End, w.Days)
		}
		return nil
	case *toGregorian:
		h, err := incident.ParseHijriDate(arg)
		if err != nil {
			return err
		}
		g, err := incident.ToGregorian(h)
		if err != nil {
			return err
		}
		if !*asJSON {
			fmt.Fprintln(e.stdout, g.Format(time.DateOnly))
			return nil
		}
		return printHijriDay(e, g, h)
	default:
		g, err := time.Parse(time.DateOnly, arg)
		if err != nil {
			return fmt.Errorf("date %q: want YYYY-MM-DD, e.g. 2016-07-01", arg)
		}
		h, err := incident.ToHijri(g)
		if err != nil {
			return err
		}
		if !*asJSON {
			fmt.Fprintf(e.stdout, "%s %s\n", h, h.Month)
			return nil
		}
		return printHijriDay(e, g, h)
	}
}

// printHijriDay prints a day in both calendars as JSON.
func printHijriDay(e *env, g time.Time, h incident.HijriDate) error {
	return json.NewEncoder(e.stdout).Encode(hijriDay{
		Gregorian: g.Format(time.DateOnly), Weekday: g.Weekday().String(),
		Hijri: h.String(), Year: h.Year, Month: int(h.Month), MonthName: h.Month.String(), Day: h.Day,
	})
}
