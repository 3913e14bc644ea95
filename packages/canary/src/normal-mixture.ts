// Robbins' normal-mixture confidence sequence (Howard, Ramdas, McAuliffe & Sekhon 2021, "Time-uniform,
// nonparametric, nonasymptotic confidence sequences"; reference/online-gate.md "Mean metrics"): an interval
// for θ that holds at every look at once. With a plug-in variance it is asymptotic, and the report says so.

/**
 * The mixture precision ρ that makes the boundary tightest at the planned information `plannedInformation`.
 * @example mixturePrecision(100, 0.05); // => 100 / (2 ln 20 + ln(1 + 2 ln 20)) ≈ 12.60
 */
export function mixturePrecision(plannedInformation: number, alpha: number): number {
  const twoLog = 2 * Math.log(1 / alpha);
  return plannedInformation / (twoLog + Math.log(1 + twoLog));
}

/**
 * Half-width of the two-sided (1 − alpha) normal-mixture confidence sequence at information I = 1/se²:
 * sqrt((I + ρ)(ln(1 + I/ρ) + 2 ln(1/alpha))) / I. A one-sided bound at alphaSide is one end of the
 * two-sided sequence at alpha = 2·alphaSide.
 * @example normalMixtureRadius(100, 0.05, mixturePrecision(100, 0.05)); // ≈ 0.3035
 */
export function normalMixtureRadius(information: number, alpha: number, precision: number): number {
  if (!(information > 0)) return Number.POSITIVE_INFINITY;
  return (
    Math.sqrt((information + precision) * (Math.log(1 + information / precision) + 2 * Math.log(1 / alpha))) /
    information
  );
}
