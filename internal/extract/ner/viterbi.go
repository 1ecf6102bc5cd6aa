package ner

import "math"

// transitions are the label-to-label weights of one pass.
type transitions struct {
	trans      [numLabels][numLabels]float32
	start, end [numLabels]float32
}

// preds[c] and succs[p] list the labels allowed before c and after p: 9
// or 2 of the 17, which makes decoding three times faster than testing
// every pair.
var preds, succs [numLabels][]uint8

func init() {
	for p := 0; p < numLabels; p++ {
		for c := 0; c < numLabels; c++ {
			if allowed[p][c] {
				preds[c] = append(preds[c], uint8(p))
				succs[p] = append(succs[p], uint8(c))
			}
		}
	}
}

// viterbi writes the best well-formed label sequence for the emission
// scores em (n rows of numLabels) into out and returns its score. back is
// scratch of at least n*numLabels.
func viterbi(em []float32, n int, tr *transitions, out []uint8, delta []float32, back []uint8) float32 {
	const L = numLabels
	neg := float32(math.Inf(-1))
	for l := 0; l < L; l++ {
		if canStart[l] {
			delta[l] = tr.start[l] + em[l]
		} else {
			delta[l] = neg
		}
	}
	for t := 1; t < n; t++ {
		prev := delta[(t-1)*L : t*L]
		cur := delta[t*L : (t+1)*L]
		e := em[t*L : (t+1)*L]
		bk := back[t*L : (t+1)*L]
		for c := 0; c < L; c++ {
			best, arg := neg, 0
			for _, p := range preds[c] {
				if s := prev[p] + tr.trans[p][c]; s > best {
					best, arg = s, int(p)
				}
			}
			cur[c] = best + e[c]
			bk[c] = uint8(arg)
		}
	}
	last := delta[(n-1)*L : n*L]
	best, arg := neg, 0
	for l := 0; l < L; l++ {
		if !canEnd[l] {
			continue
		}
		if s := last[l] + tr.end[l]; s > best {
			best, arg = s, l
		}
	}
	out[n-1] = uint8(arg)
	for t := n - 1; t > 0; t-- {
		arg = int(back[t*L+arg])
		out[t-1] = uint8(arg)
	}
	return best
}

// maxMarginals fills mm[t*L+l] with the score of the best path that gives
// token t label l; delta must hold viterbi's forward scores. beta is scratch
// of n*numLabels.
func maxMarginals(em []float32, n int, tr *transitions, delta, beta, mm []float32) {
	const L = numLabels
	neg := float32(math.Inf(-1))
	last := beta[(n-1)*L : n*L]
	for l := 0; l < L; l++ {
		if canEnd[l] {
			last[l] = tr.end[l]
		} else {
			last[l] = neg
		}
	}
	for t := n - 2; t >= 0; t-- {
		next := beta[(t+1)*L : (t+2)*L]
		en := em[(t+1)*L : (t+2)*L]
		cur := beta[t*L : (t+1)*L]
		for p := 0; p < L; p++ {
			best := neg
			for _, c := range succs[p] {
				if s := tr.trans[p][c] + en[c] + next[c]; s > best {
					best = s
				}
			}
			cur[p] = best
		}
	}
	for i := 0; i < n*L; i++ {
		mm[i] = delta[i] + beta[i]
	}
}
