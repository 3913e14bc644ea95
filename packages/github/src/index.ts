export * from './client.ts';
export * from './errors.ts';
export * from './event.ts';
export * from './repository.ts';
