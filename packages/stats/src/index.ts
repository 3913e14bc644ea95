// Pure statistics on plain and typed arrays: no I/O, no @actions/*. One concern per file; each area has
// its own index so they can grow independently.

export * from './compare/index.ts';
export * from './distributions/index.ts';
export * from './drift/index.ts';
export * from './fairness/index.ts';
export * from './metrics/index.ts';
export * from './sketches/index.ts';
