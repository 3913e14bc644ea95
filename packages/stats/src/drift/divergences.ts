// Distances between two binned distributions (shares per bin, same bins on both sides). Each takes the
// shares exactly as Evidently passes them, so binning rules live in one place (./binned-shares.ts).

function relativeEntropy(x: number, y: number): number {
  // scipy.special.rel_entr
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Number.POSITIVE_INFINITY;
}

function normalised(values: readonly number[]): number[] {
  let sum = 0;
  for (const v of values) sum += v;
  return values.map((v) => v / sum);
}

/**
 * Jensen-Shannon distance with natural logarithm, as scipy.spatial.distance.jensenshannon (both inputs
 * normalised to sum 1): sqrt((KL(p‖m) + KL(q‖m)) / 2), m = (p + q) / 2; range [0, sqrt(ln 2)].
 * Evidently's `jensenshannon` stattest passes unfilled shares (zeros allowed).
 * Source: scipy/spatial/distance.py; evidently/legacy/calculations/stattests/jensenshannon.py.
 *
 * @example jensenShannonDistance([1, 0], [0, 1]); // => 0.8325546111576977
 */
export function jensenShannonDistance(p: readonly number[], q: readonly number[]): number {
  if (p.length !== q.length) throw new RangeError('jensenShannonDistance: share arrays differ in length');
  const pn = normalised(p);
  const qn = normalised(q);
  let left = 0;
  let right = 0;
  for (let i = 0; i < pn.length; i++) {
    const m = (pn[i]! + qn[i]!) / 2;
    left += relativeEntropy(pn[i]!, m);
    right += relativeEntropy(qn[i]!, m);
  }
  return Math.sqrt((left + right) / 2);
}

/**
 * Kullback-Leibler divergence KL(reference ‖ current) in nats, as scipy.stats.entropy(reference,
 * current), which normalises both inputs to sum 1 first (Evidently's `kl_div` relies on that after its
 * zero fill). Source: scipy.stats.entropy; evidently/legacy/calculations/stattests/kl_div.py.
 *
 * @example klDivergence([0.5, 0.5], [0.9, 0.1]); // => 0.5108256237659907
 */
export function klDivergence(reference: readonly number[], current: readonly number[]): number {
  if (reference.length !== current.length)
    throw new RangeError('klDivergence: share arrays differ in length');
  const p = normalised(reference);
  const q = normalised(current);
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += relativeEntropy(p[i]!, q[i]!);
  return sum;
}

/**
 * Population stability index Σ (e_i - a_i) ln(e_i / a_i), e = reference shares, a = current shares
 * (symmetric in e and a), on shares as given (no renormalisation; zero bins must already be filled).
 * Source: Siddiqi (2006), Credit Risk Scorecards; evidently/legacy/calculations/stattests/psi.py.
 *
 * @example populationStabilityIndex([0.5, 0.5], [0.4, 0.6]); // => 0.04054651081081643
 */
export function populationStabilityIndex(reference: readonly number[], current: readonly number[]): number {
  if (reference.length !== current.length)
    throw new RangeError('populationStabilityIndex: share arrays differ in length');
  let sum = 0;
  for (let i = 0; i < reference.length; i++) {
    const e = reference[i]!;
    const a = current[i]!;
    sum += (e - a) * Math.log(e / a);
  }
  return sum;
}

/**
 * Hellinger distance sqrt(Σ (sqrt p_i - sqrt q_i)²) / sqrt 2 between two share vectors, range [0, 1].
 * Source: evidently/legacy/calculations/stattests/hellinger_distance.py.
 *
 * @example hellingerDistance([1, 0], [0, 1]); // => 1
 */
export function hellingerDistance(p: readonly number[], q: readonly number[]): number {
  if (p.length !== q.length) throw new RangeError('hellingerDistance: share arrays differ in length');
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += (Math.sqrt(p[i]!) - Math.sqrt(q[i]!)) ** 2;
  return Math.sqrt(sum) / Math.sqrt(2);
}
