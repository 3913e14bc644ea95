import { type ActionIO, UserError } from '@mlops/kit';

/** Not yet implemented: fails cleanly rather than pretending to succeed. */
export async function main(_io: ActionIO): Promise<void> {
  throw new UserError('not yet implemented');
}
