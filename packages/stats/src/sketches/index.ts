export * from './frequent-items.ts';
export * from './hash.ts';
export * from './hyperloglog.ts';
export * from './kll.ts';
export * from './moments.ts';
export * from './sort-float64.ts';
