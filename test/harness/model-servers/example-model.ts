// The example project's model (examples/model/*.json: median imputation, standardisation, logistic
// regression) scored in Node, so the test servers serve a real model whose offline predictions come from
// scikit-learn (test/fixtures/serving/generate.py). `skipPreprocessing` is the classic serving skew: the
// server feeds raw features to coefficients fitted on standardised ones.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Not from runner.ts: serve.ts runs this module under plain Node (type stripping), without @mlops aliases.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface ExampleModel {
  name: string;
  features: string[];
  /** Probability of the positive class for one row (null = missing, imputed with the training median). */
  predict(row: readonly (number | null)[]): number;
}

interface ModelFile {
  format: string;
  name: string;
  features: string[];
  impute_median: Record<string, number>;
  standardize: { mean: Record<string, number>; scale: Record<string, number> };
  coefficients: Record<string, number>;
  intercept: number;
}

export const CHAMPION_FILE = path.join(repoRoot, 'examples', 'model', 'champion.json');

export function loadExampleModel(
  file = CHAMPION_FILE,
  options: { skipPreprocessing?: boolean } = {},
): ExampleModel {
  const model = JSON.parse(readFileSync(file, 'utf8')) as ModelFile;
  if (model.format !== 'mlops-example/logistic-regression/v1')
    throw new Error(`${file}: not an example model (format ${model.format})`);
  const { features } = model;
  const median = features.map((feature) => model.impute_median[feature]!);
  const mean = features.map((feature) => model.standardize.mean[feature]!);
  const scale = features.map((feature) => model.standardize.scale[feature]!);
  const coefficient = features.map((feature) => model.coefficients[feature]!);
  return {
    name: model.name,
    features,
    predict(row) {
      let logit = model.intercept;
      for (let f = 0; f < features.length; f++) {
        const raw = row[f] ?? median[f]!;
        const z = options.skipPreprocessing ? raw : (raw - mean[f]!) / scale[f]!;
        logit += coefficient[f]! * z;
      }
      return 1 / (1 + Math.exp(-logit));
    },
  };
}
