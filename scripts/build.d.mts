export function buildAll(
  outdir?: string,
): Promise<{ actions: string[]; outdir: string; startSources: string[] }>;
