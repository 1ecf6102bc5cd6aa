package ner

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// Options control training. The zero value is not useful; start from
// DefaultOptions.
type Options struct {
	// Features is the set of feature groups (GroupAffix | ...).
	Features int
	// Bits is the log2 of the number of hash buckets features fall into.
	Bits uint
	// Epochs is the number of passes over the training data, per model.
	Epochs int
	// Seed seeds the shuffling and the case augmentation; training with
	// the same data and options gives the same weights.
	Seed uint64
	// Folds is the number of jackknife folds the second pass is trained on.
	Folds int
	// Augment is the share of training sentences added again upper-cased,
	// and again the same share lower-cased, so that case is not the only
	// evidence the model leans on.
	Augment float64
	// Unannotated says what training makes of the tokens a partly
	// annotated corpus leaves open (Sentence.Free): Free lets each take the
	// label the model prefers among those allowed, Outside reads them as
	// O, Skip drops the sentences that have any.
	Unannotated Unannotated
	// Partial is the weight of an update on a sentence of a partly
	// annotated corpus (Re-DocRED, CoNLL04: Sentence.Free is not nil)
	// relative to one on CoNLL-2003: below 1, the other corpora widen what the model has
	// seen without outvoting the conventions of the one it is measured on.
	Partial float64
}

// Unannotated is a policy for partly annotated sentences; see Options.
type Unannotated int

// The policies for partly annotated sentences.
const (
	Free Unannotated = iota
	Outside
	Skip
)

// DefaultOptions are the options the embedded model was trained with.
func DefaultOptions() Options {
	return Options{
		Features: GroupAffix | GroupClass | GroupGazetteer | GroupDocument,
		Bits:     20,
		Epochs:   12,
		Seed:     1,
		Folds:    4,
		Augment:  0.1,
		Partial:  0.5,
	}
}

// Progress reports one training epoch.
type Progress struct {
	// Stage names the model being trained: "pass 1", "pass 2", or
	// "fold 2/4" for a jackknife model.
	Stage        string
	Epoch, Of    int
	Mistakes     int // sentences decoded wrongly in this epoch
	Sentences    int
	DevF1        float64 // -1 when there is no development set or for folds
	Elapsed      time.Duration
	FeatureCount int
}

// instance is one training or development sentence, featurised.
type instance struct {
	doc      int
	sent     int  // index of the original sentence in its document
	copy     bool // a case-augmented copy
	sentCase uint8
	gold     []uint8
	goldSp   []Span
	free     []uint8 // Sentence.Free: tokens whose label the corpus leaves open
	weight   float32 // of its updates
	toks     []docToken
	feats    []int32 // compact feature ids of token i: feats[off[i]:off[i+1]]
	off      []int32
	xfeats   []int32 // second-pass features, likewise
	xoff     []int32
}

type trainer struct {
	opt     Options
	fz      *featurizer
	ids     map[uint32]int32
	buckets []uint32
	keys    []uint64
}

// Train trains a model on train, reporting dev F1 after each epoch when dev
// is not empty. progress may be nil.
func Train(train, dev []Document, opt Options, progress func(Progress)) (*Model, error) {
	if opt.Bits < 16 || opt.Bits > 26 || opt.Epochs < 1 {
		return nil, errors.New("ner: options need 16 <= Bits <= 26 and Epochs >= 1")
	}
	if opt.Folds < 2 {
		opt.Folds = 2
	}
	if progress == nil {
		progress = func(Progress) {}
	}
	t := &trainer{
		opt: opt,
		fz:  newFeaturizer(opt.Features, opt.Bits, newLexicon(opt.Features)),
		ids: make(map[uint32]int32, 1<<20),
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x5eed))
	var insts []*instance
	for d, doc := range train {
		for s, sen := range doc.Sentences {
			if sen.Free != nil {
				switch opt.Unannotated {
				case Outside:
					sen.Free = make([]uint8, len(sen.Tokens)) // all annotated
				case Skip:
					if slices.ContainsFunc(sen.Free, func(f uint8) bool { return f != freeNone }) {
						continue
					}
				}
			}
			insts = append(insts, t.instance(d, s, sen.Tokens, sen, true, false))
			if opt.Augment <= 0 {
				continue
			}
			switch u := rng.Float64(); {
			case u < opt.Augment:
				insts = append(insts, t.instance(d, s, mapTokens(sen.Tokens, strings.ToUpper), sen, true, true))
			case u < 2*opt.Augment:
				insts = append(insts, t.instance(d, s, mapTokens(sen.Tokens, strings.ToLower), sen, true, true))
			}
		}
	}
	var devInsts []*instance
	for d, doc := range dev {
		for s, sen := range doc.Sentences {
			devInsts = append(devInsts, t.instance(d, s, sen.Tokens, sen, false, false))
		}
	}
	nBase := len(t.buckets)

	// Pass 1 on everything.
	p1 := newPerceptron(nBase)
	start := time.Now()
	t.run(p1, insts, false, "pass 1", opt.Seed, func(e int, mistakes int) {
		f1 := -1.0
		if len(devInsts) > 0 {
			f1 = t.devF1(p1.averaged(), devInsts, false)
		}
		progress(Progress{Stage: "pass 1", Epoch: e, Of: opt.Epochs, Mistakes: mistakes, Sentences: len(insts), DevF1: f1, Elapsed: time.Since(start), FeatureCount: nBase})
	})
	w1 := p1.averaged()
	p1 = nil
	m := &Model{groups: opt.Features, bits: opt.Bits}
	if opt.Features&GroupDocument == 0 {
		m.build(t.buckets, w1, nil, nBase)
		return m, t.calibrate(m, dev)
	}

	// Jackknife: first-pass labels for each training fold from a model
	// that never saw it.
	for k := 0; k < opt.Folds; k++ {
		var in, out []*instance
		for _, x := range insts {
			if x.doc%opt.Folds == k {
				out = append(out, x)
			} else {
				in = append(in, x)
			}
		}
		pk := newPerceptron(nBase)
		stage := "fold " + itoa(k+1) + "/" + itoa(opt.Folds)
		t.run(pk, in, false, stage, opt.Seed+uint64(k)+1, func(e int, mistakes int) {
			progress(Progress{Stage: stage, Epoch: e, Of: opt.Epochs, Mistakes: mistakes, Sentences: len(in), DevF1: -1, Elapsed: time.Since(start), FeatureCount: nBase})
		})
		wk := pk.averaged()
		for _, x := range out {
			wk.label(x, false)
		}
	}
	for _, x := range devInsts {
		w1.label(x, false)
	}
	t.docFeatures(insts, true)
	t.docFeatures(devInsts, false)

	// Pass 2 on everything, with the document features.
	p2 := newPerceptron(len(t.buckets))
	t.run(p2, insts, true, "pass 2", opt.Seed+100, func(e int, mistakes int) {
		f1 := -1.0
		if len(devInsts) > 0 {
			f1 = t.devF1(p2.averaged(), devInsts, true)
		}
		progress(Progress{Stage: "pass 2", Epoch: e, Of: opt.Epochs, Mistakes: mistakes, Sentences: len(insts), DevF1: f1, Elapsed: time.Since(start), FeatureCount: len(t.buckets)})
	})
	m.build(t.buckets, w1, p2.averaged(), nBase)
	return m, t.calibrate(m, dev)
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + itoa(i%10)
}

func mapTokens(toks []string, f func(string) string) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = f(t)
	}
	return out
}

// instance featurises one sentence; grow adds unseen features to the
// feature space (training), otherwise they are dropped (evaluation).
func (t *trainer) instance(doc, sent int, tokens []string, sen Sentence, grow, copy bool) *instance {
	n := len(tokens)
	x := &instance{doc: doc, sent: sent, copy: copy, gold: make([]uint8, n), goldSp: sen.Gold, free: sen.Free, toks: make([]docToken, n), weight: 1}
	if sen.Free != nil && t.opt.Partial > 0 {
		x.weight = float32(t.opt.Partial)
	}
	encodeSpans(sen.Gold, x.gold)
	t.fz.sentence(tokens)
	x.sentCase = uint8(t.fz.sent)
	x.off = make([]int32, n+1)
	x.feats = make([]int32, 0, len(t.fz.feats))
	for i := 0; i < n; i++ {
		x.off[i] = int32(len(x.feats))
		x.toks[i] = docToken{lw: t.fz.atoms[i].lw, cas: t.fz.atoms[i].cas}
		for _, b := range t.fz.feats[t.fz.off[i]:t.fz.off[i+1]] {
			if id, ok := t.id(b, grow); ok {
				x.feats = append(x.feats, id)
			}
		}
	}
	x.off[n] = int32(len(x.feats))
	return x
}

func (t *trainer) id(b uint32, grow bool) (int32, bool) {
	if id, ok := t.ids[b]; ok {
		return id, true
	}
	if !grow {
		return 0, false
	}
	id := int32(len(t.buckets))
	t.ids[b] = id
	t.buckets = append(t.buckets, b)
	return id, true
}

// docFeatures computes the second-pass features of every instance from
// the first-pass labels in its document.
func (t *trainer) docFeatures(insts []*instance, grow bool) {
	dc := newDocContext()
	byDoc := map[int][]*instance{}
	var order []int
	for _, x := range insts {
		if _, ok := byDoc[x.doc]; !ok {
			order = append(order, x.doc)
		}
		byDoc[x.doc] = append(byDoc[x.doc], x)
	}
	for _, d := range order {
		xs := byDoc[d]
		var sents [][]docToken
		var cases []uint8
		orig := map[int]*instance{}
		for _, x := range xs {
			if !x.copy {
				sents = append(sents, x.toks)
				cases = append(cases, x.sentCase)
				orig[x.sent] = x
			}
		}
		dc.build(sents, cases)
		for _, x := range xs {
			o := orig[x.sent]
			x.xoff = make([]int32, len(x.toks)+1)
			x.xfeats = x.xfeats[:0]
			for i := range x.toks {
				x.xoff[i] = int32(len(x.xfeats))
				t.keys = dc.features(x.toks, i, int(x.sentCase), o.toks[i], int(o.sentCase), t.keys[:0])
				for _, k := range t.keys {
					if id, ok := t.id(uint32(k>>t.fz.shift), grow); ok {
						x.xfeats = append(x.xfeats, id)
					}
				}
			}
			x.xoff[len(x.toks)] = int32(len(x.xfeats))
		}
	}
}

// run trains p for the configured epochs, shuffling with a fixed seed.
func (t *trainer) run(p *perceptron, insts []*instance, extra bool, _ string, seed uint64, epochDone func(epoch, mistakes int)) {
	rng := rand.New(rand.NewPCG(seed, 0x0bd))
	order := make([]int, len(insts))
	for i := range order {
		order[i] = i
	}
	for e := 1; e <= t.opt.Epochs; e++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		mistakes := 0
		for _, k := range order {
			if p.learn(insts[k], extra) {
				mistakes++
			}
		}
		epochDone(e, mistakes)
	}
}

// devF1 scores frozen weights on the development instances.
func (t *trainer) devF1(w *frozen, dev []*instance, extra bool) float64 {
	var tally Tally
	labels := make([]uint8, 0, 256)
	for _, x := range dev {
		labels = w.predict(x, extra, labels[:0])
		tally.Add(x.goldSp, decodeLabels(labels, nil))
	}
	return tally.All.Scores().F1
}

// calibrate fits the confidence of m's mentions to how often they are
// right on dev: confidence = 1/(1+exp(-(a*margin+b))), by Newton's method
// on the log-loss.
func (t *trainer) calibrate(m *Model, dev []Document) error {
	m.conf = [2]float32{0.5, 0}
	if len(dev) == 0 {
		return nil
	}
	var xs, ys []float64
	for _, d := range dev {
		sents := make([][]string, len(d.Sentences))
		for i, s := range d.Sentences {
			sents[i] = s.Tokens
		}
		got := m.tagDocument(sents, true)
		for i, s := range d.Sentences {
			for _, p := range got[i] {
				y := 0.0
				if slices.ContainsFunc(s.Gold, func(g Span) bool { return g.Start == p.Start && g.End == p.End && g.Kind == p.Kind }) {
					y = 1
				}
				xs = append(xs, p.Confidence) // the raw margin, in this mode
				ys = append(ys, y)
			}
		}
	}
	a, b := fitLogistic(xs, ys)
	if !(a > 0) || math.IsNaN(b) || math.IsInf(a+b, 0) {
		a, b = 0.05, 0
	}
	m.conf = [2]float32{float32(a), float32(b)}
	return nil
}

// fitLogistic fits p(y=1|x) = 1/(1+exp(-(a*x+b))) by Newton's method with
// step halving and a light L2 penalty, which keeps the fit finite when the
// margins separate right from wrong almost perfectly.
func fitLogistic(xs, ys []float64) (a, b float64) {
	const lambda = 1e-3
	loss := func(a, b float64) float64 {
		l := lambda * a * a
		for i, x := range xs {
			z := a*x + b
			// log(1+exp(-z)) for y=1, log(1+exp(z)) for y=0, stably.
			if ys[i] == 0 {
				z = -z
			}
			if z > 0 {
				l += math.Log1p(math.Exp(-z))
			} else {
				l += -z + math.Log1p(math.Exp(z))
			}
		}
		return l
	}
	a, b = 0.05, 0
	cur := loss(a, b)
	for iter := 0; iter < 100; iter++ {
		var ga, gb, haa, hab, hbb float64
		for i, x := range xs {
			p := 1 / (1 + math.Exp(-(a*x + b)))
			r, w := p-ys[i], p*(1-p)
			ga += r * x
			gb += r
			haa += w * x * x
			hab += w * x
			hbb += w
		}
		ga += 2 * lambda * a
		haa += 2*lambda + 1e-9
		hbb += 1e-9
		det := haa*hbb - hab*hab
		if det <= 0 {
			break
		}
		da := (hbb*ga - hab*gb) / det
		db := (haa*gb - hab*ga) / det
		step := 1.0
		for ; step > 1e-6; step /= 2 {
			if l := loss(a-step*da, b-step*db); l < cur {
				a, b, cur = a-step*da, b-step*db, l
				break
			}
		}
		if step <= 1e-6 || math.Abs(step*da)+math.Abs(step*db) < 1e-10 {
			break
		}
	}
	return a, b
}

// perceptron is an averaged structured perceptron (Collins, 2002) over
// compact feature ids, with the averaging trick of Daumé: w holds the
// current weights, u the weights scaled by when they were set, and the
// average is w - u/c.
type perceptron struct {
	nf    int
	w     []float32
	u     []float64
	c     float64
	cur   transitions
	em    []float32
	delta []float32
	back  []uint8
	pred  []uint8
	fill  []uint8   // the gold labels with a sentence's free tokens filled in
	emc   []float32 // emissions constrained to the allowed labels
}

const numTrans = numLabels*numLabels + 2*numLabels

func newPerceptron(nf int) *perceptron {
	n := nf*numLabels + numTrans
	return &perceptron{nf: nf, w: make([]float32, n), u: make([]float64, n), c: 1}
}

func (p *perceptron) upd(i int, d float32) {
	p.w[i] += d
	p.u[i] += p.c * float64(d)
}

func (p *perceptron) grow(n int) {
	if cap(p.em) < n*numLabels {
		p.em = make([]float32, n*numLabels)
		p.delta = make([]float32, n*numLabels)
		p.back = make([]uint8, n*numLabels)
		p.pred = make([]uint8, n)
		p.fill = make([]uint8, n)
		p.emc = make([]float32, n*numLabels)
	}
}

// learn decodes x with the current weights and, if wrong, moves the
// weights towards the gold labels. It reports whether x was wrong.
func (p *perceptron) learn(x *instance, extra bool) bool {
	n := len(x.gold)
	if n == 0 {
		return false
	}
	p.grow(n)
	emissions(p.w, p.nf, x, extra, p.em[:n*numLabels])
	viterbi(p.em, n, &p.cur, p.pred[:n], p.delta, p.back)
	gold := x.gold
	if x.free != nil {
		gold = p.fill[:n]
		constrain(p.em[:n*numLabels], p.emc[:n*numLabels], x.gold, x.free)
		viterbi(p.emc, n, &p.cur, gold, p.delta, p.back)
	}
	wrong := !slices.Equal(p.pred[:n], gold)
	if wrong {
		const L = numLabels
		wt := x.weight
		for t := 0; t < n; t++ {
			g, q := int(gold[t]), int(p.pred[t])
			if g != q {
				p.updFeats(x, extra, t, g, wt)
				p.updFeats(x, extra, t, q, -wt)
			}
			gp, qp := -1, -1
			if t > 0 {
				gp, qp = int(gold[t-1]), int(p.pred[t-1])
			}
			if g == q && gp == qp {
				continue
			}
			base := p.nf * L
			if t == 0 {
				p.upd(base+L*L+g, wt)
				p.upd(base+L*L+q, -wt)
			} else {
				p.upd(base+gp*L+g, wt)
				p.upd(base+qp*L+q, -wt)
			}
		}
		g, q := int(gold[n-1]), int(p.pred[n-1])
		if g != q {
			p.upd(p.nf*L+L*L+L+g, wt)
			p.upd(p.nf*L+L*L+L+q, -wt)
		}
		p.cur.load(p.w[p.nf*L:])
	}
	p.c++
	return wrong
}

// constrain copies the emissions em to out, ruling out the labels a
// partly annotated sentence does not allow: an annotated token keeps its
// gold label, a free one any label its mask allows. The best path under
// out is the gold reading that agrees most with the current weights
// (training on partial annotation as latent structure: Tsuboi et al.,
// 2008, did it for CRFs).
func constrain(em, out []float32, gold, free []uint8) {
	const L = numLabels
	neg := float32(math.Inf(-1))
	copy(out, em)
	for t, g := range gold {
		e := out[t*L : (t+1)*L]
		for l := range e {
			ok := l == int(g)
			switch free[t] {
			case freeAny:
				ok = true
			case freeMisc:
				ok = l == 0 || labelKind(l) == MISC
			}
			if !ok {
				e[l] = neg
			}
		}
	}
}

func (p *perceptron) updFeats(x *instance, extra bool, t, l int, d float32) {
	for _, f := range x.feats[x.off[t]:x.off[t+1]] {
		p.upd(int(f)*numLabels+l, d)
	}
	if extra {
		for _, f := range x.xfeats[x.xoff[t]:x.xoff[t+1]] {
			p.upd(int(f)*numLabels+l, d)
		}
	}
}

// load reads transitions from their flat layout: trans, start, end.
func (tr *transitions) load(v []float32) {
	const L = numLabels
	for p := 0; p < L; p++ {
		copy(tr.trans[p][:], v[p*L:(p+1)*L])
	}
	copy(tr.start[:], v[L*L:L*L+L])
	copy(tr.end[:], v[L*L+L:L*L+2*L])
}

// emissions sums the weights of x's features for every label.
func emissions(w []float32, nf int, x *instance, extra bool, em []float32) {
	const L = numLabels
	clear(em)
	for t := 0; t+1 < len(x.off); t++ {
		e := em[t*L : (t+1)*L : (t+1)*L]
		for _, f := range x.feats[x.off[t]:x.off[t+1]] {
			if int(f) >= nf {
				continue
			}
			r := w[int(f)*L : int(f)*L+L : int(f)*L+L]
			for l := range e {
				e[l] += r[l]
			}
		}
		if extra {
			for _, f := range x.xfeats[x.xoff[t]:x.xoff[t+1]] {
				if int(f) >= nf {
					continue
				}
				r := w[int(f)*L : int(f)*L+L : int(f)*L+L]
				for l := range e {
					e[l] += r[l]
				}
			}
		}
	}
}

// frozen are averaged weights, for prediction.
type frozen struct {
	nf    int
	w     []float32
	tr    transitions
	em    []float32
	delta []float32
	back  []uint8
}

func (p *perceptron) averaged() *frozen {
	f := &frozen{nf: p.nf, w: make([]float32, len(p.w))}
	for i, v := range p.w {
		f.w[i] = v - float32(p.u[i]/p.c)
	}
	f.tr.load(f.w[p.nf*numLabels:])
	return f
}

// predict appends the best labels of x to labels.
func (f *frozen) predict(x *instance, extra bool, labels []uint8) []uint8 {
	n := len(x.toks)
	if n == 0 {
		return labels
	}
	if cap(f.em) < n*numLabels {
		f.em = make([]float32, n*numLabels)
		f.delta = make([]float32, n*numLabels)
		f.back = make([]uint8, n*numLabels)
	}
	emissions(f.w, f.nf, x, extra, f.em[:n*numLabels])
	labels = slices.Grow(labels, n)[:n]
	viterbi(f.em, n, &f.tr, labels, f.delta, f.back)
	return labels
}

// label sets x's first-pass labels.
func (f *frozen) label(x *instance, extra bool) {
	labels := f.predict(x, extra, nil)
	for i, l := range labels {
		x.toks[i].label = l
	}
}
