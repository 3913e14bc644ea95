// Numbers in messages: four significant digits, signed differences, p-values and confidence as people read them.

export function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Number(value.toPrecision(4)).toString();
}

export function signed(value: number): string {
  return `${value > 0 ? '+' : ''}${fmt(value)}`;
}

export function fmtInterval([lo, hi]: [number, number]): string {
  return `[${signed(lo)}, ${signed(hi)}]`;
}

export function fmtP(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value < 1e-4 ? '< 0.0001' : `= ${Number(value.toPrecision(2))}`;
}

export function pct(confidence: number): string {
  return `${Number((confidence * 100).toPrecision(4))}%`;
}
