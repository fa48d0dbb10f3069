import { writeSummary } from '../io/summary';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import {
  deliveryEnvironments,
  environmentNamed,
  publishing,
  selectedServices,
  type ActionContext,
} from '../context';
import { buildInputsDigest } from '../io/build-inputs';
import { trivyScan } from '../io/trivy';
import { findImageSource } from '../images/source';
import { localImage } from '../images/local';
import { severities, type ServiceBuild } from '../pipeline/schema';
import { combineGates, evaluateGate, gateFor } from '../scan/gate';
import { toSarif } from '../scan/sarif';
import { renderScanSummary, type ServiceScan } from '../scan/summary';
import { parseTrivyReport } from '../scan/trivy-report';
import { messageOf } from '../errors';
import { openRegistry } from './registry-session';
import { gatedStack } from '../pipeline/stacks';

export async function scanCommand(ctx: ActionContext): Promise<void> {
  // One environment's gate, or with push and no environment input, every gate of the environments the push
  // reaches (their names come from resolve, so the workflow lists none).
  const gateNames =
    ctx.inputs.environment !== undefined
      ? [ctx.inputs.environment]
      : ctx.inputs.push && ctx.inputs.environments
        ? deliveryEnvironments(ctx)
        : [];
  const gates = gateNames.map((name) =>
    gateFor(environmentNamed(ctx, name), gatedStack(ctx.pipeline.environments, name)),
  );
  if (gates.length === 0) gates.push(gateFor(undefined));
  const environmentName = gateNames.length > 0 ? gateNames.join(', ') : undefined;
  const today = new Date().toISOString().slice(0, 10);

  const imageOf = await imageReferences(ctx);
  const reports = mkdtempSync(join(process.env.RUNNER_TEMP ?? tmpdir(), 'slipway-trivy-'));
  const scans: ServiceScan[] = [];
  const scannerFailures: string[] = [];
  for (const [service, build] of selectedServices(ctx)) {
    const image = await imageOf(service, build);
    try {
      const findings = parseTrivyReport(await trivyScan(image, join(reports, `${service}.json`)));
      scans.push({
        service,
        image,
        findings,
        gate: combineGates(gates.map((gate) => evaluateGate(findings, gate, today))),
      });
    } catch (error) {
      scannerFailures.push(`${service}: ${messageOf(error)}`);
    }
  }

  const sarifFile = resolve(ctx.root, ctx.inputs.sarifFile);
  writeFileSync(
    sarifFile,
    JSON.stringify(
      toSarif(scans.flatMap((s) => s.findings.map((finding) => ({ service: s.service, finding })))),
      null,
      2,
    ),
  );
  const passed = scannerFailures.length === 0 && scans.every((s) => s.gate.passed);
  core.setOutput('passed', String(passed));
  for (const severity of severities) {
    core.setOutput(
      severity.toLowerCase(),
      String(scans.reduce((sum, s) => sum + s.gate.counts[severity], 0)),
    );
  }
  const blocking = scans.flatMap((s) => s.gate.blocking.map((f) => ({ service: s.service, f })));
  core.setOutput('blocking', String(blocking.length));
  core.setOutput('sarif-file', sarifFile);

  await writeSummary(renderScanSummary(scans, environmentName ?? 'default gate', scannerFailures));

  if (scannerFailures.length > 0) {
    throw new Error(
      `scan failed closed: the scanner failed for ${scannerFailures.join('; ')}. Re-run the job; if it keeps failing, check the image and Trivy's database download.`,
    );
  }
  if (!passed) {
    const list = blocking
      .slice(0, 10)
      .map(
        ({ service, f }) =>
          `${service}: ${f.id} ${f.severity} in ${f.pkg} ${f.installed} (fixed in ${f.fixed ?? 'no fix'})`,
      );
    throw new Error(
      `scan gate failed (${gates.map((gate) => `${gate.failOn.join('/')}${gate.fixableOnly ? ', fixable' : ''}`).join('; ')}): ${blocking.length} blocking finding(s):\n${list.join('\n')}\nUpgrade the packages, or allowlist a CVE with an expiry date in ${ctx.inputs.config}.`,
    );
  }
}

/**
 * What to scan for each service: the local image when push is false; otherwise the image build left for push,
 * which is the home environment's image (local until pushed, or already in ECR), or the promoted digest.
 */
async function imageReferences(
  ctx: ActionContext,
): Promise<(service: string, build: ServiceBuild) => Promise<string>> {
  if (!ctx.inputs.push) return (service) => Promise.resolve(localImage(service, ctx.imageTag));
  const environment = publishing(ctx).home;
  const from = ctx.pipeline.environments[environment]?.promoteFrom;
  const session = await openRegistry(ctx, from ? [environment, from] : [environment]);
  return async (service, build) => {
    const source = await findImageSource(session.at, {
      pipeline: ctx.pipeline,
      service,
      environment,
      imageTag: ctx.imageTag,
      inputsDigest: buildInputsDigest(ctx.root, build),
    });
    return source.kind === 'promotable'
      ? `${source.fromImage}@${source.digest}`
      : `${source.image}:${ctx.imageTag}`;
  };
}
