import { type ActionIO, readInputFile, runUrl as runUrlOf, writeJsonFile } from '@mlops/kit';
import type { DeploymentRecord, PromoteReport } from '@mlops/registry';
import { PROMOTE_SCHEMA } from '@mlops/schemas';
import { registryConfig } from '../../shared/registry-inputs.ts';

/** Moves a version to a stage (or rolls the stage back), records the audit trail and, optionally, a deployment. */
export async function main(io: ActionIO): Promise<void> {
  const { inputs, env } = io;
  const name = inputs.required('name');
  const stage = inputs.required('stage');
  const version = inputs.required('version');
  const rollback = inputs.boolean('rollback');
  const requireGate = inputs.boolean('require-gate');
  const servingCheck = inputs.path('require-serving-check');
  if (servingCheck && !rollback) {
    const text = (await readInputFile(servingCheck, 'require-serving-check')).toString('utf8');
    const { requirePassedServingCheck } = await import('@mlops/serving');
    const served = requirePassedServingCheck(text, servingCheck, version);
    io.logger.info(`serving check ${servingCheck} passed for ${served}`);
  }
  const environment = inputs.optional('environment');
  const reportPath = inputs.requiredPath('report');
  const config = registryConfig(io);
  config.mlflow.legacyStages = inputs.boolean('mlflow-legacy-stages');

  // Loaded once the inputs are read, so a mistake in them is reported without loading the registry.
  const [
    { allowedStages, auditEntries, githubFor, openRegistry, recordDeployment },
    { renderPromoteMarkdown },
  ] = await Promise.all([import('@mlops/registry'), import('@mlops/report')]);
  const stages = await allowedStages(env.workspace, inputs.list('allowed-stages'));
  if (stages) config.allowedStages = stages;
  // Fail on a missing token before anything is written, not after the stage moved.
  const github = environment ? await githubFor(config, io.logger, `environment: ${environment}`) : undefined;

  const registry = await openRegistry(config, io.logger, { mask: (secret) => io.setSecret(secret) });
  const runUrl = runUrlOf(env);
  const actor = {
    ...(env.actor ? { actor: env.actor } : {}),
    ...(env.workflow ? { workflow: env.workflow } : {}),
    ...(env.runId ? { runId: env.runId } : {}),
    ...(runUrl ? { runUrl } : {}),
  };
  const result = rollback
    ? await registry.rollback({ name, stage, requireGate, actor })
    : await registry.promote({ name, stage, version, requireGate, actor });

  let deployment: DeploymentRecord | undefined;
  // A re-run that changed nothing records no second deployment.
  if (github && environment && !result.created) {
    io.logger.info(`${name} ${result.version} already held ${stage}: no new deployment recorded`);
  } else if (github && environment) {
    const modelVersion = result.modelVersion;
    deployment = await recordDeployment(github.client, {
      owner: github.owner,
      repo: github.repo,
      environment,
      ref: registry.kind === 'git' ? modelVersion.ref : (modelVersion.commit ?? env.sha ?? 'HEAD'),
      payload: {
        name,
        version: result.version,
        stage,
        previous_version: result.previousVersion,
        model_uri: modelVersion.modelUri,
        registry: registry.location,
        ref: result.ref,
      },
      description: `${name} ${result.version} in ${stage}`,
      ...(runUrl ? { logUrl: runUrl } : {}),
    });
    io.logger.info(`recorded deployment ${deployment.id} to ${environment}`);
  }

  const audit = await registry.history(name, stage);
  const report: PromoteReport = {
    schema: PROMOTE_SCHEMA,
    name,
    stage,
    action: rollback ? 'rollback' : 'promote',
    backend: registry.kind,
    registry: registry.location,
    version: result.version,
    previous_version: result.previousVersion ?? null,
    ref: result.ref,
    created: result.created,
    require_gate: requireGate,
    gate: result.modelVersion.lineage?.gate ?? null,
    model_uri: result.modelVersion.modelUri ?? null,
    commit: result.modelVersion.commit ?? null,
    deployment: deployment ?? null,
    at: result.event?.at ?? new Date().toISOString(),
    audit: auditEntries(audit),
  };
  await writeJsonFile(reportPath, report);

  io.setOutput('version', result.version);
  io.setOutput('previous-version', result.previousVersion ?? '');
  io.setOutput('tag', result.ref);
  if (deployment) io.setOutput('deployment-id', deployment.id);
  io.setOutput('report', reportPath);
  io.appendSummary(renderPromoteMarkdown(report));
}
