// Package csv carries a case as CSV files a spreadsheet opens: one table
// of entities, one of links with a row per evidence sentence, and one of
// incidents, written into a zip archive. It reads them back, and reads
// any one CSV table whose columns are named for its fields or mapped to
// them (a journalist's spreadsheet of who met whom).
//
// A cell that a spreadsheet would run as a formula (one starting with =,
// +, -, @, a tab or a carriage return) is written with a ' before it, as
// spreadsheets themselves escape such text, since evidence sentences are
// quoted from documents nobody vouches for; Read takes the ' off again.
package csv

import (
	"archive/zip"
	stdcsv "encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"mosaic"
	"mosaic/internal/exchange"
)

// The files of an archive Write makes.
const (
	EntitiesFile  = "entities.csv"
	LinksFile     = "links.csv"
	IncidentsFile = "incidents.csv"
)

// The columns of each file, in order; each is the field Read maps it to,
// or a figure Read does not need (community, centrality, ...).
var (
	entityColumns = []string{"key", "kind", "name", "alias", "community", "centrality", "degree", "first", "last", "origin"}
	linkColumns   = []string{"from", "from_name", "to", "to_name", "type", "negated", "hedged", "weight", "evidence",
		"from_text", "to_text", "cue", "confidence", "date", "document", "title", "source", "collections",
		"sentence_start", "sentence_end"}
	incidentColumns = []string{"event_id", "date", "approx_date", "country", "country_code", "region", "region_code",
		"province", "city", "latitude", "longitude", "attack_type", "attack_type_code", "weapon_type", "weapon_type_code",
		"target_type", "target_type_code", "nationality", "nationality_code", "perpetrator", "claimed", "killed",
		"wounded", "doubt", "crit1", "crit2", "crit3", "attribution", "attributed_to", "summary", "actors", "sources"}
)

// Write writes the case as a zip archive of three CSV files: entities,
// links (a row per evidence sentence) and incidents. A list in a cell
// (other names, attack types) is separated by "; ".
func Write(w io.Writer, c exchange.Case) error {
	z := zip.NewWriter(w)
	for _, t := range []struct {
		name string
		fill func(*stdcsv.Writer) error
	}{
		{EntitiesFile, func(cw *stdcsv.Writer) error { return writeEntities(cw, c) }},
		{LinksFile, func(cw *stdcsv.Writer) error { return writeLinks(cw, c) }},
		{IncidentsFile, func(cw *stdcsv.Writer) error { return writeIncidents(cw, c) }},
	} {
		f, err := z.CreateHeader(&zip.FileHeader{Name: t.name, Method: zip.Deflate, Modified: time.Unix(0, 0).UTC()})
		if err != nil {
			return fmt.Errorf("csv: %w", err)
		}
		cw := stdcsv.NewWriter(f)
		if err := t.fill(cw); err != nil {
			return fmt.Errorf("csv %s: %w", t.name, err)
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return fmt.Errorf("csv %s: %w", t.name, err)
		}
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	return nil
}

// safe escapes text a spreadsheet would take for a formula.
func safe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// list joins a cell's values, each escaped.
func list(vs []string) string {
	return safe(strings.Join(vs, "; "))
}

func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func writeEntities(w *stdcsv.Writer, c exchange.Case) error {
	if err := w.Write(entityColumns); err != nil {
		return err
	}
	for _, e := range c.Entities {
		if err := w.Write([]string{safe(e.Key), string(e.Kind), safe(e.Name), list(e.Aliases()), strconv.Itoa(e.Community),
			num(e.Centrality), strconv.Itoa(e.Degree), exchange.Dated(e.First), exchange.Dated(e.Last), safe(e.Origin)}); err != nil {
			return err
		}
	}
	return nil
}

func writeLinks(w *stdcsv.Writer, c exchange.Case) error {
	if err := w.Write(linkColumns); err != nil {
		return err
	}
	names := map[string]string{}
	for _, e := range c.Entities {
		names[e.Key] = e.Name
	}
	docs := map[mosaic.DocID]exchange.Document{}
	for _, d := range c.Documents {
		docs[d.ID] = d
	}
	for _, l := range c.Links {
		evs := l.Evidence
		if len(evs) == 0 {
			evs = []exchange.Evidence{{}}
		}
		for _, ev := range evs {
			d := docs[ev.Doc]
			row := []string{safe(l.From), safe(names[l.From]), safe(l.To), safe(names[l.To]), string(l.Type),
				strconv.FormatBool(l.Negated), strconv.FormatBool(l.Hedged), num(l.Weight), safe(ev.Text),
				safe(ev.FromText), safe(ev.ToText), safe(ev.Cue), "", exchange.Dated(ev.Date), safe(string(ev.Doc)),
				safe(d.Title), safe(d.Source), list(d.Collections), "", ""}
			if ev.Text != "" {
				row[12] = num(ev.Confidence)
				row[18], row[19] = strconv.Itoa(ev.Sentence.Start), strconv.Itoa(ev.Sentence.End)
			}
			if err := w.Write(row); err != nil {
				return err
			}
		}
	}
	return nil
}

func writeIncidents(w *stdcsv.Writer, c exchange.Case) error {
	if err := w.Write(incidentColumns); err != nil {
		return err
	}
	codes := func(cs []mosaic.Code) (string, string) {
		var names, ids []string
		for _, c := range cs {
			names = append(names, c.Name)
			id := ""
			if c.ID != 0 {
				id = strconv.Itoa(c.ID)
			}
			ids = append(ids, id)
		}
		return list(names), strings.Join(ids, "; ")
	}
	code := func(c mosaic.Code) string {
		if c.ID == 0 {
			return ""
		}
		return strconv.Itoa(c.ID)
	}
	known := func(k any) string {
		switch k := k.(type) {
		case mosaic.Known[float64]:
			if k.Valid {
				return num(k.Value)
			}
		case mosaic.Known[int]:
			if k.Valid {
				return strconv.Itoa(k.Value)
			}
		case mosaic.Known[bool]:
			if k.Valid {
				return strconv.FormatBool(k.Value)
			}
		}
		return ""
	}
	for _, in := range c.Incidents {
		attack, attackCode := codes(in.AttackTypes)
		weapon, weaponCode := codes(in.WeaponTypes)
		target, targetCode := codes(in.TargetTypes)
		nation, nationCode := codes(in.Nationalities)
		var actors, sources []string
		for _, a := range in.Actors {
			actors = append(actors, a.Role+"|"+string(a.Kind)+"|"+a.Name)
		}
		for _, s := range in.Sources {
			sources = append(sources, s.Name)
		}
		if err := w.Write([]string{safe(in.EventID), in.Date.String(), safe(in.ApproxDate), safe(in.Country.Name), code(in.Country),
			safe(in.Region.Name), code(in.Region), safe(in.Province), safe(in.City), known(in.Latitude), known(in.Longitude),
			attack, attackCode, weapon, weaponCode, target, targetCode, nation, nationCode, list(in.Perpetrators),
			known(in.Claimed), known(in.Killed), known(in.Wounded), known(in.Doubt), known(in.Crit1), known(in.Crit2),
			known(in.Crit3), string(in.Attribution), safe(in.AttributedTo), safe(in.Summary), list(actors), list(sources)}); err != nil {
			return err
		}
	}
	return nil
}
