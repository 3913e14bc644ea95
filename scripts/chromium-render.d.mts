import type { Browser, Page } from 'playwright-core';

export interface RenderResult {
  charts: number;
  /** One line per Mermaid block that did not render: its title and mermaid's error. */
  errors: string[];
  /** One line per pair of neighbouring x-axis labels whose boxes overlap. */
  overlaps: string[];
}

export interface Renderer {
  page: Page;
  render(markdown: string, header?: string, options?: { openDetails?: boolean }): Promise<RenderResult>;
  close(): Promise<void>;
}

export function chromiumPath(): string | undefined;
export function launchChromium(): Promise<Browser>;
export function markdownToHtml(markdown: string): string;
export function openRenderer(browser: Browser, options?: { width?: number }): Promise<Renderer>;
