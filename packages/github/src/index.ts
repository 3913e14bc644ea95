export * from './client.ts';
export * from './dispatch.ts';
export * from './errors.ts';
export * from './event.ts';
export * from './repository.ts';
export * from './workflow-runs.ts';
