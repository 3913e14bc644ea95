import { describe, it } from 'vitest';
import { expectClose } from '../metrics/fixture-testing.ts';
import { readFixture } from './fixture-helpers.ts';
import { kolmogorovSf, smirnovSf } from './kolmogorov.ts';

interface Fixture {
  kstwo_sf: { n: number; x: number; sf: number }[];
  smirnov_sf: { n: number; x: number; sf: number }[];
}

const fixture = readFixture<Fixture>('distributions.json');

describe('Kolmogorov-Smirnov tail probabilities against scipy 1.10', () => {
  it('special.smirnov to 1e-10 relative', () => {
    // scipy sums the Birnbaum-Tingey series in double-double; ours in logs (see kolmogorov.ts).
    for (const c of fixture.smirnov_sf)
      expectClose(smirnovSf(c.n, c.x), c.sf, `smirnov(${c.n}, ${c.x})`, 1e-10, 1e-300);
  });

  it('kstwo.sf over every algorithm region to 1e-10 relative', () => {
    for (const c of fixture.kstwo_sf)
      expectClose(kolmogorovSf(c.n, c.x), c.sf, `kstwo.sf(${c.x}, ${c.n})`, 1e-10, 1e-300);
  });
});
