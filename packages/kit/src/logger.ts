/** Where a file annotation points; rendered by GitHub next to the line in the diff. */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
}

/**
 * The only way library code talks to the outside world. Actions pass one that writes workflow commands
 * (workflow-commands.ts), the CLI one that writes to stderr, tests a recording one: library code never
 * imports @actions/*.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string, properties?: AnnotationProperties): void;
  error(message: string, properties?: AnnotationProperties): void;
}

export interface RecordedLine {
  level: 'debug' | 'info' | 'warning' | 'error';
  message: string;
  properties?: AnnotationProperties;
}

/** A logger that keeps every line, for tests. */
export class RecordingLogger implements Logger {
  readonly lines: RecordedLine[] = [];
  debug(message: string): void {
    this.lines.push({ level: 'debug', message });
  }
  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  warning(message: string, properties?: AnnotationProperties): void {
    this.lines.push({ level: 'warning', message, ...(properties ? { properties } : {}) });
  }
  error(message: string, properties?: AnnotationProperties): void {
    this.lines.push({ level: 'error', message, ...(properties ? { properties } : {}) });
  }
  messages(level: RecordedLine['level']): string[] {
    return this.lines.filter((line) => line.level === level).map((line) => line.message);
  }
}

/**
 * A value as the runner reads command data: `%`, CR and LF escaped (`%25`, `%0D`, `%0A`, as @actions/core
 * escapes its commands), and a line that would still begin with `::` or `##[` defused. A value from event data
 * (a branch name, an input templated from a pull request) then cannot start a line of its own, so it can
 * never be read as a workflow command such as `::error::` or `::add-mask::`. Both hosts pass every log line
 * through this; warnings and errors are workflow commands, whose data gets the same escaping
 * (escapeCommandData).
 *
 * @example escapeLogValue('main\n::error::pwned') // => 'main%0A::error::pwned'
 */
export function escapeLogValue(text: string): string {
  const escaped = text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return escaped.replace(
    /^(\s*)(::|##\[)/,
    (_, space: string, start: string) => `${space}%${start === '::' ? '3A' : '23'}${start.slice(1)}`,
  );
}

/**
 * Multi-line text kept readable (a stack trace for a bug report, a summary without a summary file) between
 * `::stop-commands::` and a random end token, so that no line of it is read as a workflow command.
 */
export function verbatimBlock(text: string): string {
  // The Web Crypto global: importing node:crypto would load its modules at every action's start.
  const token = globalThis.crypto.randomUUID();
  return `::stop-commands::${token}\n${text}\n::${token}::`;
}
