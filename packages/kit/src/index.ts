export * from './context.ts';
export * from './errors.ts';
export * from './inputs.ts';
export * from './logger.ts';
export * from './output-files.ts';
export * from './user-files.ts';
