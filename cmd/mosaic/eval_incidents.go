package main

import (
	"context"
	"fmt"
	"time"

	"mosaic"
	"mosaic/internal/annotated"
	"mosaic/internal/incident"
)

// runEvalIncidents scores incident.FromText on CoNLL04's killings.
func runEvalIncidents(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "eval incidents", "--conll04 FILE [--json]",
		"Scores reading attacks from text on CoNLL04's news sentences. A sentence with a Kill\n"+
			"relation reports a killing; one without reports none (it may still report an attack\n"+
			"the corpus does not annotate, so the false-event rate is an upper bound). Each sentence\n"+
			"is extracted as ingestion extracts a document (pattern recognisers, tagger, relations)\n"+
			"and read by incident.FromText without a geocoder. Prints recall (Kill sentences read as\n"+
			"an event), the false-event rate (other sentences read as one), and attacker accuracy:\n"+
			"of the Kill sentences read as an event that name an attacker, the share whose attacker\n"+
			"is a Kill relation's head (the killer) — the same name, or one that starts or ends where\n"+
			"it does.")
	conll := fs.String("conll04", "", "CoNLL04 JSON file (e.g. ../shared/data/conll04/dev.json)")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *conll == "" {
		fs.Usage()
		return errUsage
	}
	docs, err := annotated.ReadFile(*conll, "conll04")
	if err != nil {
		return err
	}
	r, err := evaluateIncidents(ctx, docs)
	if err != nil {
		return err
	}
	if *asJSON {
		return e.jsonOut().Encode(r)
	}
	fmt.Fprintf(e.stdout, "Kill sentences read as an event      %4d of %4d  recall %.4f\n", r.KillEvents, r.KillSentences, r.Recall)
	fmt.Fprintf(e.stdout, "other sentences read as an event     %4d of %4d  false-event rate %.4f\n", r.OtherEvents, r.OtherSentences, r.FalseEventRate)
	fmt.Fprintf(e.stdout, "event precision (Kill among events)  %4d of %4d  %.4f\n", r.KillEvents, r.KillEvents+r.OtherEvents, r.Precision)
	fmt.Fprintf(e.stdout, "attacker is the killer               %4d of %4d  accuracy %.4f (%d Kill events name no attacker)\n",
		r.AttackerRight, r.AttackerNamed, r.AttackerAccuracy, r.KillEvents-r.AttackerNamed)
	fmt.Fprintf(e.stdout, "%d sentences; %.0f µs a sentence reading incidents (extraction aside)\n", r.Sentences, r.ReadMicros)
	return nil
}

// incidentReport is what eval incidents prints.
type incidentReport struct {
	Sentences      int     `json:"sentences"`
	KillSentences  int     `json:"kill_sentences"`
	KillEvents     int     `json:"kill_events"`
	OtherSentences int     `json:"other_sentences"`
	OtherEvents    int     `json:"other_events"`
	Recall         float64 `json:"recall"`
	FalseEventRate float64 `json:"false_event_rate"`
	Precision      float64 `json:"precision"`
	// AttackerNamed counts the Kill sentences read as an event that name
	// an attacker; AttackerRight those whose attacker is a killer.
	AttackerNamed    int     `json:"attacker_named"`
	AttackerRight    int     `json:"attacker_right"`
	AttackerAccuracy float64 `json:"attacker_accuracy"`
	ReadMicros       float64 `json:"read_us_per_sentence"`
}

// evaluateIncidents extracts and reads every sentence of docs.
func evaluateIncidents(ctx context.Context, docs []annotated.Document) (*incidentReport, error) {
	r := &incidentReport{}
	ex := newExtractor()
	var reading time.Duration
	for i := range docs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		d := &docs[i]
		r.Sentences += len(d.Sentences)
		text, spans := d.Text()
		res := ex.Extract(text, time.Time{})
		start := time.Now()
		ins := incident.FromText(incident.TextDoc{
			Kind: "news", Text: text, Sentences: res.Sentences,
			Mentions: res.Mentions, Relations: res.Relations,
		}, nil)
		reading += time.Since(start)
		var killers []mosaic.Span
		for _, rel := range d.Relations {
			if rel.Label != "Kill" {
				continue
			}
			for _, m := range d.Entities[rel.From].Mentions {
				killers = append(killers, m.ByteSpan(spans))
			}
		}
		if len(killers) == 0 {
			r.OtherSentences++
			if len(ins) > 0 {
				r.OtherEvents++
			}
			continue
		}
		r.KillSentences++
		if len(ins) == 0 {
			continue
		}
		r.KillEvents++
		named, right := false, false
		for _, in := range ins {
			for _, a := range in.Actors {
				if a.Role != mosaic.RoleAttacker {
					continue
				}
				named = true
				for _, k := range killers {
					if a.Mention == k || a.Mention.Start == k.Start || a.Mention.End == k.End {
						right = true
					}
				}
			}
		}
		if named {
			r.AttackerNamed++
		}
		if right {
			r.AttackerRight++
		}
	}
	ratio := func(a, b int) float64 {
		if b == 0 {
			return 0
		}
		return float64(a) / float64(b)
	}
	r.Recall = ratio(r.KillEvents, r.KillSentences)
	r.FalseEventRate = ratio(r.OtherEvents, r.OtherSentences)
	r.Precision = ratio(r.KillEvents, r.KillEvents+r.OtherEvents)
	r.AttackerAccuracy = ratio(r.AttackerRight, r.AttackerNamed)
	if r.Sentences > 0 {
		r.ReadMicros = float64(reading.Microseconds()) / float64(r.Sentences)
	}
	return r, nil
}
