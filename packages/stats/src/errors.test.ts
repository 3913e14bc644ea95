import { UserError } from '@mlops/kit';
import { describe, expect, it } from 'vitest';
import { assertSameLength, StatsError } from './errors.ts';

describe('StatsError', () => {
  it("is the user's mistake to the actions' error handler, though stats does not import the kit", () => {
    const error = (() => {
      try {
        assertSameLength({ yTrue: [0, 1], yScore: [0.5] });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(StatsError);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/yTrue.*2.*yScore.*1|yScore.*1.*yTrue.*2/);
  });
});
