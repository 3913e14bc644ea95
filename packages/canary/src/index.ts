// @mlops/canary: the online gate. Counts from cumulative counters, the traffic-split (SRM) check, anytime-valid
// tests on rate ratios, planning, and the promote / continue / rollback / inconclusive decision. Pure
// functions, except prometheus.ts (HTTP) and file-source.ts (reads a request log).
export * from './analyse.ts';
export * from './config.ts';
export * from './counters.ts';
export * from './incomplete-beta.ts';
export * from './kayenta-judge.ts';
export * from './mann-whitney.ts';
export * from './normal-mixture.ts';
export * from './planning.ts';
export * from './predictions.ts';
export * from './prometheus.ts';
export * from './proportion-test.ts';
export * from './sources.ts';
export * from './srm.ts';
