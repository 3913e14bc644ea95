// Extracts from GitHub's REST description (npm package @octokit/openapi, generated/api.github.com.json,
// 13 MB inside a 385 MB package) only the operations the test emulator serves, with every $ref they use
// resolved into the file, so the tests validate requests against GitHub's own schemas without that package.
//
// Run once after fetching the package temporarily (it is not a dependency):
//   mkdir -p .tmp/openapi && cd .tmp/openapi && npm pack @octokit/openapi@23.0.2 && tar xzf octokit-openapi-23.0.2.tgz
//   node scripts/openapi-subset.mjs .tmp/openapi/package/generated/api.github.com.json
// Output: test/fixtures/openapi/github-subset.json (commit it).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = process.argv[2] ?? path.join(root, '.tmp/openapi/package/generated/api.github.com.json');
const target = path.join(root, 'test/fixtures/openapi/github-subset.json');

/** `METHOD path` of every operation the emulator implements (test/harness/github-emulator). */
export const OPERATIONS = [
  'GET /repos/{owner}/{repo}',
  'GET /repos/{owner}/{repo}/git/ref/{ref}',
  'GET /repos/{owner}/{repo}/git/matching-refs/{ref}',
  'POST /repos/{owner}/{repo}/git/refs',
  'PATCH /repos/{owner}/{repo}/git/refs/{ref}',
  'DELETE /repos/{owner}/{repo}/git/refs/{ref}',
  'POST /repos/{owner}/{repo}/git/tags',
  'GET /repos/{owner}/{repo}/git/tags/{tag_sha}',
  'POST /repos/{owner}/{repo}/git/commits',
  'GET /repos/{owner}/{repo}/git/commits/{commit_sha}',
  'GET /repos/{owner}/{repo}/commits/{ref}',
  'GET /repos/{owner}/{repo}/tags',
  'GET /repos/{owner}/{repo}/issues/{issue_number}',
  'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
  'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
  'GET /repos/{owner}/{repo}/issues/comments/{comment_id}',
  'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
  'DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}',
  'GET /repos/{owner}/{repo}/pulls/{pull_number}',
  'GET /repos/{owner}/{repo}/actions/workflows',
  'GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}',
  'GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
  'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
  'GET /repos/{owner}/{repo}/actions/runs',
  'GET /repos/{owner}/{repo}/actions/runs/{run_id}',
  'POST /repos/{owner}/{repo}/dispatches',
  'GET /repos/{owner}/{repo}/deployments',
  'POST /repos/{owner}/{repo}/deployments',
  'GET /repos/{owner}/{repo}/deployments/{deployment_id}',
  'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
  'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
  'POST /repos/{owner}/{repo}/releases',
  'GET /repos/{owner}/{repo}/releases/tags/{tag}',
  'GET /repos/{owner}/{repo}/releases/{release_id}/assets',
  // Served by uploads.github.com on github.com (the operation's own `servers`); the emulator serves it on its
  // base URL and points releases' upload_url there.
  'POST /repos/{owner}/{repo}/releases/{release_id}/assets',
];

// Prose and examples are most of the description's size and nothing a validator reads.
const DROP = new Set(['description', 'summary', 'examples', 'example', 'externalDocs', 'x-github', 'tags']);

function main() {
  const description = JSON.parse(readFileSync(source, 'utf8'));
  const components = {};
  const resolveRef = (ref) => {
    const parts = ref.replace(/^#\//, '').split('/');
    let node = description;
    for (const part of parts) node = node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === undefined) throw new Error(`unresolved $ref ${ref}`);
    return node;
  };
  // Parameters are inlined (few, small); schemas stay $refs into a pruned components.schemas so shared ones
  // are stored once and recursive ones terminate.
  const copy = (node) => {
    if (Array.isArray(node)) return node.map(copy);
    if (node === null || typeof node !== 'object') return node;
    if (typeof node.$ref === 'string') {
      if (node.$ref.startsWith('#/components/schemas/')) {
        const name = node.$ref.slice('#/components/schemas/'.length);
        if (!(name in components)) {
          components[name] = null; // placeholder against cycles
          components[name] = copy(resolveRef(node.$ref));
        }
        return { $ref: node.$ref };
      }
      return copy(resolveRef(node.$ref));
    }
    const out = {};
    for (const [key, value] of Object.entries(node)) {
      // `properties` maps property names (which may be "description") to schemas: keep every key there.
      if (DROP.has(key) && typeof value !== 'object') continue;
      if (DROP.has(key) && key !== 'properties' && !isSchemaMap(node, key)) continue;
      out[key] = copy(value);
    }
    return out;
  };

  const paths = {};
  for (const operation of OPERATIONS) {
    const [method, route] = operation.split(' ');
    const entry = description.paths[route]?.[method.toLowerCase()];
    if (!entry) throw new Error(`${operation} is not in ${source}`);
    const content = entry.requestBody ? copy(entry.requestBody) : undefined;
    paths[route] ??= {};
    paths[route][method.toLowerCase()] = {
      operationId: entry.operationId,
      parameters: copy(entry.parameters ?? []).map(({ name, in: where, required, schema }) => ({
        name,
        in: where,
        ...(required ? { required } : {}),
        schema,
      })),
      ...(content
        ? {
            requestBody: {
              required: content.required ?? false,
              content: Object.fromEntries(
                Object.entries(content.content ?? {}).map(([type, media]) => [
                  type,
                  { schema: media.schema },
                ]),
              ),
            },
          }
        : {}),
      // Documented status codes: the emulator checks that it answers with one of them.
      responses: Object.keys(entry.responses ?? {}),
      // JSON schemas of the success answers: the emulator checks the types of the fields it sends.
      responseSchemas: Object.fromEntries(
        Object.entries(entry.responses ?? {})
          .filter(([status]) => status.startsWith('2'))
          .map(([status, response]) => [status, copy(response).content?.['application/json']?.schema])
          .filter(([, schema]) => schema !== undefined),
      ),
    };
  }
  const subset = {
    openapi: description.openapi,
    info: {
      title: `${description.info.title} (subset for the test emulator)`,
      version: description.info.version,
      source:
        '@octokit/openapi@23.0.2 generated/api.github.com.json, extracted by scripts/openapi-subset.mjs',
    },
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
    },
  };
  writeFileSync(target, `${JSON.stringify(subset, null, 1)}\n`);
  console.log(
    `wrote ${path.relative(root, target)}: ${OPERATIONS.length} operations, ${Object.keys(components).length} schemas`,
  );
}

function isSchemaMap(parent, key) {
  // A property literally named like a dropped keyword inside `properties` is a schema, not prose.
  return (
    typeof parent[key] === 'object' &&
    parent[key] !== null &&
    ('type' in parent[key] || '$ref' in parent[key])
  );
}

main();
