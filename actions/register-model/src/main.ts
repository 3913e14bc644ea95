import path from 'node:path';
import { type ActionIO, InputError, UserError, writeJsonFile } from '@mlops/kit';
import type { Bump, MetricsInput } from '@mlops/lineage';
import type { ModelVersion, PublishedRelease, RegistryConfig, ReleaseAssetPlan } from '@mlops/registry';
import { registryConfig } from '../../shared/registry-inputs.ts';

/** Registers a model version with its lineage in the git-tag registry or MLflow. */
export async function main(io: ActionIO): Promise<void> {
  const { inputs, env } = io;
  const name = inputs.required('name');
  const modelPath = inputs.requiredPath('model-path');
  const version = inputs.optional('version');
  const bump: Bump = inputs.requiredChoice('bump', ['major', 'minor', 'patch'] as const);
  const metricsPath = inputs.path('metrics');
  const paramsPath = inputs.path('params');
  const lineageOut = inputs.requiredPath('lineage-out');
  const config = registryConfig(io);
  const mlflowRunId = inputs.optional('mlflow-run-id');
  if (mlflowRunId !== undefined) {
    if (config.backend !== 'mlflow') throw new InputError('mlflow-run-id', 'works with backend: mlflow only');
    config.mlflow.runId = mlflowRunId;
  }
  const releaseAsset = inputs.boolean('release-asset');
  if (releaseAsset && config.backend !== 'git')
    throw new InputError('release-asset', 'works with backend: git only (MLflow stores its own artifacts)');
  const shown = (absolute: string) => path.relative(env.workspace, absolute).split(path.sep).join('/') || '.';

  // Loaded once the inputs above are read, so a mistake in them is reported without loading the registry.
  const [
    { buildLineage, readMetricsFile, readParamsFile, readTrainingReport },
    { codeCommit, openRegistry, planReleaseAssets },
    { releaseAssetsMarkdown, renderLineageMarkdown },
  ] = await Promise.all([import('@mlops/lineage'), import('@mlops/registry'), import('@mlops/report')]);
  const metrics: MetricsInput | undefined = metricsPath
    ? await readMetricsFile(metricsPath, shown(metricsPath))
    : undefined;
  const params = paramsPath ? await readParamsFile(paramsPath, shown(paramsPath)) : undefined;
  const trainingPath = inputs.path('training-report');
  const training = trainingPath ? await readTrainingReport(trainingPath, shown(trainingPath)) : undefined;
  const commit = await codeCommit(config, env.sha);
  const artifactUri = inputs.optional('artifact-uri');
  const description = inputs.optional('description');
  const lineage = await buildLineage({
    name,
    workspace: env.workspace,
    model: { absolute: modelPath, shownAs: shown(modelPath) },
    data: inputs.list('data'),
    commit,
    trigger: {
      serverUrl: env.serverUrl,
      ...(env.repository ? { repository: env.repository } : {}),
      ...(env.ref ? { ref: env.ref } : {}),
      ...(env.actor ? { actor: env.actor } : {}),
      ...(env.eventName ? { eventName: env.eventName } : {}),
      ...(env.workflow ? { workflow: env.workflow } : {}),
      ...(env.runId ? { runId: env.runId } : {}),
      ...(env.runAttempt ? { runAttempt: env.runAttempt } : {}),
    },
    ...(artifactUri ? { artifactUri } : {}),
    ...(description ? { description } : {}),
    ...(metrics ? { metrics } : {}),
    ...(training ? { training } : {}),
    ...(params !== undefined ? { params } : {}),
    ...(env.runnerOs ? { runnerOs: env.runnerOs } : {}),
  });

  // Planned before the tag is pushed, so an asset name GitHub would refuse or collide stops the run with
  // nothing registered. Planned once: the git registry returns an existing version only for the same model
  // sha256, so the plan checked against this run's lineage is the plan of the registered version too.
  const releasePlan = releaseAsset
    ? await planReleaseAssets(modelPath, shown(modelPath), lineage.model.sha256)
    : undefined;
  // With release assets and no artifact-uri, the bytes' final URL follows from the tag, so the version's own
  // lineage records it and lookup-model returns it (the upload itself happens after the tag is pushed).
  const releaseRepository = releaseAsset && !artifactUri ? env.repository : undefined;
  const primaryAsset = releaseRepository ? releasePlan?.primary : undefined;
  const registry = await openRegistry(config, io.logger, { mask: (secret) => io.setSecret(secret) });
  const result = await registry.register({
    name,
    lineage,
    commit,
    bump,
    ...(releaseRepository && primaryAsset
      ? {
          modelUriFor: (_version: string, tag: string) =>
            `${env.serverUrl}/${releaseRepository}/releases/download/${tag}/${encodeURIComponent(primaryAsset)}`,
        }
      : {}),
    ...(version ? { version } : {}),
    actor: {
      ...(env.actor ? { actor: env.actor } : {}),
      ...(env.workflow ? { workflow: env.workflow } : {}),
      ...(env.runId ? { runId: env.runId } : {}),
      ...(lineage.trigger.run_url ? { runUrl: lineage.trigger.run_url } : {}),
    },
  });
  const registered = result.version;
  // On an idempotent re-run the record is the one stored with the version, not this run's rebuild.
  const record = registered.lineage ?? { ...lineage, version: registered.version };
  await writeJsonFile(lineageOut, record);

  io.setOutput('version', registered.version);
  io.setOutput('tag', registered.ref);
  io.setOutput('lineage', lineageOut);
  io.setOutput('created', result.created);
  io.appendSummary(renderLineageMarkdown(record));
  const modelUri = registered.modelUri ?? record.model.uri;
  if (!releasePlan) {
    io.setOutput('model-uri', modelUri);
    return;
  }

  let release: PublishedRelease;
  try {
    release = await publishModelRelease(io, config, registered, releasePlan, record.model.sha256);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    // The tag is pushed and stays: the version is registered, only its assets are missing. The outputs above
    // are written and the step fails; the same inputs again find the version and the release, and upload
    // what is missing.
    io.fail(
      `${registered.ref} is registered, but its release assets are not complete: ${error.message} Re-run with the same inputs to upload the missing assets (nothing is registered twice).`,
    );
    return;
  }
  io.setOutput('model-uri', artifactUri ?? release.modelUri);
  io.setOutput('release-url', release.htmlUrl);
  io.appendSummary(releaseAssetsMarkdown(registered.ref, release));
}

async function publishModelRelease(
  io: ActionIO,
  config: RegistryConfig,
  registered: ModelVersion,
  plan: ReleaseAssetPlan,
  sha256: string,
): Promise<PublishedRelease> {
  // Each asset is hashed again as it is read for upload (readPlannedAsset): bytes changed since the plan
  // was checked against the registered checksum are never uploaded.
  const { githubFor, publishRelease } = await import('@mlops/registry');
  const { client, owner, repo } = await githubFor(config, io.logger, 'release-asset: true');
  return publishRelease({
    client,
    owner,
    repo,
    tag: registered.ref,
    title: `${registered.name} ${registered.version}`,
    notes: `Model \`${registered.name}\` ${registered.version}, registered by mlops register-model (tag \`${registered.ref}\`, model sha256 \`${sha256}\`). The lineage record is the tag's message.`,
    plan,
    logger: io.logger,
  });
}
