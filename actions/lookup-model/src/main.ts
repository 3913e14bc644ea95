import { type ActionIO, UserError, writeJsonFile } from '@mlops/kit';
import { registryConfig } from '../../shared/registry-inputs.ts';

/** Which version holds a stage (or the latest version), with its model URI and lineage. */
export async function main(io: ActionIO): Promise<void> {
  const { inputs } = io;
  const name = inputs.required('name');
  const stage = inputs.optional('stage');
  const allowMissing = inputs.boolean('allow-missing');
  const lineageOut = inputs.requiredPath('lineage-out');
  const reportPath = inputs.requiredPath('report');
  const config = registryConfig(io);
  config.mlflow.legacyStages = inputs.boolean('mlflow-legacy-stages');

  // Loaded once the inputs are read, so a mistake in them is reported without loading the registry.
  const [{ lookupReport, openRegistry }, { renderLookupMarkdown }] = await Promise.all([
    import('@mlops/registry'),
    import('@mlops/report'),
  ]);
  const registry = await openRegistry(config, io.logger, { mask: (secret) => io.setSecret(secret) });
  const version = await registry.lookup(name, stage);
  const report = lookupReport(name, stage, registry.kind, registry.location, version);
  await writeJsonFile(reportPath, report);
  io.setOutput('report', reportPath);
  io.appendSummary(renderLookupMarkdown(report));

  if (!version) {
    const deprecated = await registry.deprecation(name);
    const what = deprecated
      ? `'${name}' is deprecated (tag ${deprecated.ref}, ${deprecated.at}): GTO shows no versions or stages for it until a new version is registered or a stage assigned`
      : stage
        ? `no version of '${name}' holds stage '${stage}'`
        : `'${name}' has no registered versions`;
    if (!allowMissing)
      throw new UserError(
        `${what} in ${registry.location}${deprecated ? '' : ' (set allow-missing: true on a first run)'}`,
      );
    io.logger.info(`${what}; allow-missing is true`);
    io.setOutput('found', false);
    for (const output of ['version', 'model-uri', 'commit', 'lineage']) io.setOutput(output, '');
    return;
  }
  await writeJsonFile(lineageOut, version.lineage ?? null);
  io.setOutput('found', true);
  io.setOutput('version', version.version);
  io.setOutput('model-uri', version.modelUri ?? '');
  io.setOutput('commit', version.commit ?? '');
  io.setOutput('lineage', lineageOut);
}
