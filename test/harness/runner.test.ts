import { describe, expect, it } from 'vitest';
import { commandMessages, parseOutputFile } from './runner.ts';

describe('runner emulator parsing', () => {
  it('reads heredoc and plain outputs as the runner does', () => {
    const file =
      'passed<<ghadelimiter_1\ntrue\nghadelimiter_1\nreport<<ghadelimiter_2\nline 1\nline 2\nghadelimiter_2\nlegacy=1\n';
    expect(parseOutputFile(file)).toEqual({ passed: 'true', report: 'line 1\nline 2', legacy: '1' });
    expect(() => parseOutputFile('x<<EOF\nno end')).toThrow(/unterminated/);
  });

  it('unescapes workflow command messages', () => {
    const stdout = '::error::a%0Ab%25\n::warning file=x.csv,line=3::careful\nplain\n';
    expect(commandMessages(stdout, 'error')).toEqual(['a\nb%']);
    expect(commandMessages(stdout, 'warning')).toEqual(['careful']);
  });
});
