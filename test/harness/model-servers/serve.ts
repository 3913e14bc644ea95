// Serves the example model as a long-running process, for the reference workflow's serving-check job when
// the repository has no staging deployment (the example project), and for trying serving-check by hand:
//
//   node test/harness/model-servers/serve.ts --protocol oip --port 8080 --name pima-diabetes --version 1.1.0
//
// Plain Node 24 runs it as is (type stripping: only erasable TypeScript in these modules, .ts import paths).
import { CHAMPION_FILE, loadExampleModel } from './example-model.ts';
import { startMlflowScoringServer } from './mlflow-scoring-server.ts';
import { startOipServer } from './oip-server.ts';

const args = new Map<string, string>();
for (let index = 2; index < process.argv.length; index += 2) {
  const key = process.argv[index]!;
  const value = process.argv[index + 1];
  if (!key.startsWith('--') || value === undefined) {
    console.error(
      `usage: serve.ts [--protocol oip|mlflow] [--port N] [--name NAME] [--version V] [--model FILE]; got '${key}'`,
    );
    process.exit(2);
  }
  args.set(key.slice(2), value);
}
const model = loadExampleModel(args.get('model') ?? CHAMPION_FILE);
const port = Number(args.get('port') ?? 8080);
const version = args.get('version') ?? '1';
const server =
  args.get('protocol') === 'mlflow'
    ? await startMlflowScoringServer({
        model,
        port,
        versionHeader: { name: 'x-model-version', value: version },
      })
    : await startOipServer({ model, port, name: args.get('name') ?? model.name, version });
console.log(`serving ${model.name} as version ${version} at ${server.url}`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
