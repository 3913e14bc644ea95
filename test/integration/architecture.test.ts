// The layering the README promises, checked: actions -> packages, packages never import actions, and no
// import cycles between packages or between files.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../harness/runner.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'fixtures' || entry.name === 'node_modules' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const files = [
  ...sourceFiles(path.join(repoRoot, 'packages')),
  ...sourceFiles(path.join(repoRoot, 'actions')),
];
const importPattern = /^\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/gms;

function resolveImport(from: string, specifier: string): string | undefined {
  const alias = /^@mlops\/([^/]+)(?:\/(.+))?$/.exec(specifier);
  if (alias) return path.join(repoRoot, 'packages', alias[1]!, 'src', `${alias[2] ?? 'index'}.ts`);
  if (specifier.startsWith('.')) return path.resolve(path.dirname(from), specifier);
  return undefined;
}

const edges = new Map<string, string[]>();
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const targets: string[] = [];
  for (const match of text.matchAll(importPattern)) {
    // Type-only imports vanish at runtime, but a cycle through them is still a design smell: count them.
    const target = resolveImport(file, match[1]!);
    if (target) targets.push(target);
  }
  edges.set(file, targets);
}

const packageOf = (file: string) => /[/\\]packages[/\\]([^/\\]+)[/\\]/.exec(file)?.[1];

function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'visiting') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('architecture', () => {
  it('packages never import from actions/', () => {
    const offenders = [...edges].filter(
      ([file, targets]) =>
        packageOf(file) && targets.some((target) => target.includes(`${path.sep}actions${path.sep}`)),
    );
    expect(offenders.map(([file]) => path.relative(repoRoot, file))).toEqual([]);
  });

  it('no cycles between packages', () => {
    // Guards the import scanner itself: a broken pattern would find no edges and no cycles.
    expect([...edges.values()].flat().length).toBeGreaterThan(200);
    const graph = new Map<string, Set<string>>();
    for (const [file, targets] of edges) {
      const from = packageOf(file);
      if (!from) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      for (const target of targets) {
        const to = packageOf(target);
        if (to && to !== from) graph.get(from)!.add(to);
      }
    }
    expect(findCycle(graph)).toBeUndefined();
  });

  it('no cycles between files', () => {
    const graph = new Map([...edges].map(([file, targets]) => [file, new Set(targets)]));
    const cycle = findCycle(graph);
    expect(cycle?.map((file) => path.relative(repoRoot, file))).toBeUndefined();
  });
});
