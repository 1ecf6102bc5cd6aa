// Package trend counts how often a place, person or group is mentioned week by
// week in a collection, such as one group's propaganda, and flags the weeks in
// which the mentions surge: an early warning that a country has come into the
// group's crosshairs.
//
// Callers pass dated counts, one Count per observation (typically the mentions
// of an entity in one document and the document's date); the package reads no
// store. Weekly buckets them into ISO weeks, Monday 00:00 UTC to the next
// Monday, with empty weeks present as zeros so that a series can be drawn and
// tested as it is. Surges then judges each week against the weeks before it.
//
// # The method
//
// A week's count is compared with a baseline: the mean count of the trailing
// window (Options.Window, 8 weeks by default). If mentions arrive
// independently at a steady rate, a week's count is Poisson-distributed with
// that rate, so the probability of seeing at least the observed count by
// chance is the Poisson upper tail
//
//	p = P(X ≥ count | λ = baseline) = 1 − Σ_{j<count} e^{−λ} λ^j / j!
//
// and a week is a surge when p < Options.Alpha (0.01 by default) and the count
// is at least Options.MinCount (3 by default).
//
// Poisson, rather than the familiar "more than k standard deviations above
// the mean", because mention counts are small: a group names a country 0 to 5
// times a week, often not at all. At such counts the normal approximation
// behind z-scores fails where it matters, in the upper tail: the spread of a
// window of zeros is zero, so any single mention sits infinitely many standard
// deviations out, and against a window of four 0s and four 1s, 3 mentions
// stand nearly five standard deviations out, about one in a million under a
// normal curve, when under Poisson they are 1 in 70. The Poisson tail is
// exact for counts, needs only the mean, and reads as a sentence: "7 mentions
// against 0.9 expected from the previous 8 weeks (p = 0.0001)", which is what
// Surge.Why says.
//
// Three guards keep a sparse series from crying wolf:
//
//   - The baseline never falls below Options.Floor (0.5 mentions a week by
//     default). Eight silent weeks do not show that the rate is zero (with
//     none seen in 8 weeks, a rate of up to 3/8 a week is still plausible at
//     95%, the "rule of three"), and without a floor a zero baseline makes a
//     single mention impossible and so infinitely surprising. At the floor it
//     takes 4 mentions in a week to reach p < 0.01.
//   - No week is judged before Options.MinHistory weeks (4 by default) have
//     been seen, so the first weeks of a series, with little or no baseline,
//     raise nothing.
//   - A surge needs Options.MinCount mentions whatever its p-value, so that a
//     small floor cannot turn 2 mentions into an alert.
//
// The p-value is per week, and it takes the baseline, a mean of a few noisy
// weeks, for the true rate. On simulated steady Poisson series with the
// defaults, chance flags about 1.2% of weeks from a rate of 2 a week up, 0.8%
// at 1 a week, and under 0.2% below half a mention a week, where the floor
// and MinCount govern (TestSurgesFalseAlarms bounds these): over a year,
// about half a false alarm per series at the rates that matter. Real mentions
// are burstier than Poisson (a speech is quoted in many documents in the same
// week), so a surge is a reason to look, not a finding.
//
// A surge week enters the baseline of the weeks after it, so a sustained rise
// is flagged in its first week or two and then becomes the new normal.
// Surges marks every week with its baseline and verdict (Week.Expected and
// Week.Surge), so a chart can show the series, the line it was judged
// against, and the alerts.
package trend
