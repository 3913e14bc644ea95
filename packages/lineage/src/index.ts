// Lineage of a model version: the record, the streamed checksums it holds, GTO's tag codec and semver.
export * from './checksum.ts';
export * from './environment.ts';
export * from './gto-tag.ts';
export * from './lineage-builder.ts';
export * from './lineage-record.ts';
export * from './metrics-input.ts';
export * from './semver.ts';
export * from './training-input.ts';
