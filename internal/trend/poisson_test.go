package trend

import (
	"fmt"
	"math"
	"testing"
)

func TestPoissonTail(t *testing.T) {
	// The reference values are 1 − Σ_{j<k} e^{−λ} λ^j / j! summed in 80-digit
	// decimal arithmetic (Python's decimal module), or the upper sum for
	// the tiny tail; the first two are also closed forms.
	for _, tc := range []struct {
		k      int
		lambda float64
		want   float64
	}{
		{3, 1, 8.030139707139419e-02},   // 1 − e^{−1}(1 + 1 + 1/2)
		{1, 0.5, 3.934693402873666e-01}, // 1 − e^{−0.5}
		{3, 0.5, 1.438767796697069e-02},
		{4, 0.5, 1.751622556290824e-03},
		{5, 0.5, 1.721156299558408e-04},
		{8, 0.5, 6.219690863728649e-08},
		{2, 0.05, 1.209104274250290e-03},
		{5, 2, 5.265301734371116e-02},
		{6, 2, 1.656360848061444e-02},
		{7, 2, 4.533805526248867e-03},
		{10, 2, 4.649807501726380e-05},
		{7, 0.9, 4.340076513379076e-05},
		{15, 0.9, 6.781511421712085e-14},
		{20, 0.5, 2.435465429925314e-25}, // below e^{−λ}·ε: needs log space
		{70, 100, 9.993391168698427e-01},
		{100, 100, 5.132987982791487e-01},
		{130, 100, 2.282093054316955e-03},
		{9800, 10000, 9.777888682949035e-01},
		{10200, 10000, 2.329093203729888e-02},
		// Edges.
		{0, 1, 1},
		{-3, 1, 1},
		{0, 0, 1},
		{1, 0, 0},
		{5, -1, 0},
		{5, math.Inf(1), 1},
	} {
		t.Run(fmt.Sprintf("P(X≥%d|λ=%g)", tc.k, tc.lambda), func(t *testing.T) {
			got := poissonTail(tc.k, tc.lambda)
			if !near(got, tc.want, 1e-10) {
				t.Errorf("got %.16g, want %.16g", got, tc.want)
			}
		})
	}
}

// near reports whether got is within a relative tol of want, or equal.
func near(got, want, tol float64) bool {
	return got == want || math.Abs(got-want) <= tol*math.Abs(want)
}

func TestPoissonTailClosedForms(t *testing.T) {
	// Not below λ = 0.1, where the closed forms lose to cancellation the
	// digits poissonTail keeps (at λ = 0.001 they are wrong from the 8th).
	for _, lambda := range []float64{0.1, 0.5, 1, 2.5, 7, 30} {
		e := math.Exp(-lambda)
		for k, want := range []float64{
			1,
			-math.Expm1(-lambda),
			1 - e*(1+lambda),
			1 - e*(1+lambda+lambda*lambda/2),
		} {
			if got := poissonTail(k, lambda); !near(got, want, 1e-11) {
				t.Errorf("P(X≥%d|λ=%g) = %.16g, want %.16g", k, lambda, got, want)
			}
		}
	}
}

// TestPoissonTailLargeRate checks the tail against the normal approximation
// with continuity correction, which Poisson approaches as λ grows; the
// difference left is the Poisson's skew, a few percent at λ = 10⁴.
func TestPoissonTailLargeRate(t *testing.T) {
	for _, lambda := range []float64{1e4, 1e6, 1e8} {
		sd := math.Sqrt(lambda)
		for _, z := range []float64{-3, -1, 0, 1, 2, 3} {
			k := int(math.Round(lambda + z*sd))
			normal := 0.5 * math.Erfc((float64(k)-0.5-lambda)/sd/math.Sqrt2)
			got := poissonTail(k, lambda)
			if math.Abs(got-normal) > 0.05*normal+1e-4 {
				t.Errorf("P(X≥%d|λ=%g) = %.6g, normal approximation %.6g", k, lambda, got, normal)
			}
		}
	}
}

func TestPoissonTailMonotone(t *testing.T) {
	lambdas := []float64{0.01, 0.3, 0.5, 1, 2, 3.7, 10, 50, 200}
	for _, lambda := range lambdas {
		prev := 1.0
		for k := 0; k <= 400; k++ {
			p := poissonTail(k, lambda)
			if p < 0 || p > 1 || p > prev {
				t.Fatalf("P(X≥%d|λ=%g) = %g after %g for k−1", k, lambda, p, prev)
			}
			prev = p
		}
	}
	for k := 1; k <= 50; k++ {
		prev := 0.0
		for _, lambda := range lambdas {
			p := poissonTail(k, lambda)
			if p < prev {
				t.Fatalf("P(X≥%d|λ=%g) = %g, below %g for a smaller λ", k, lambda, p, prev)
			}
			prev = p
		}
	}
}
