// Model servers for serving-check's tests and the demo: real HTTP on 127.0.0.1, serving the example model.
//
//   const server = await startOipServer();                       // Open Inference Protocol v2
//   const skewed = await startOipServer({ model: loadExampleModel(CHAMPION_FILE, { skipPreprocessing: true }) });
//   const mlflow = await startMlflowScoringServer({ versionHeader: { name: 'x-model-version', value: '1.0.0' } });
//   server.faults.add({ path: /infer$/, status: 503, times: 1 });
//   ...; expect(server.violations).toEqual([]); await server.close();
export { CHAMPION_FILE, type ExampleModel, loadExampleModel } from './example-model.ts';
export type { ServerFault } from './faults.ts';
export { type MlflowScoringOptions, startMlflowScoringServer } from './mlflow-scoring-server.ts';
export { OIP_OPENAPI_FILE, OipOpenApi } from './oip-openapi.ts';
export {
  type ModelServer,
  type OipServerOptions,
  type RecordedModelRequest,
  startOipServer,
} from './oip-server.ts';
