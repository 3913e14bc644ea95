export function generatedDocs(repoRoot?: string): Map<string, string>;
export function listActions(repoRoot?: string): string[];
export function renderCatalog(repoRoot?: string): string;
