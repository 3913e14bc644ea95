/** Where a file annotation points; rendered by GitHub next to the line in the diff. */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
}

/**
 * The only way library code talks to the outside world. Actions pass one backed by @actions/core, the CLI
 * one that writes to stderr, tests a recording one: library code never imports @actions/*.
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
