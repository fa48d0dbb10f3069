import { z } from 'zod';
import { severities, type Severity } from '../pipeline/schema';
import { messageOf } from '../errors';

/** One vulnerability in one package of one image, as the gate and the reports need it. */
export interface Finding {
  id: string;
  severity: Severity;
  pkg: string;
  installed: string;
  fixed?: string;
  target: string;
  title?: string;
  url?: string;
}

/** Raised when a report cannot be read: the scan gate treats this as a failure (fail closed). */
export class ReportError extends Error {
  override name = 'ReportError';
}

const vulnerabilitySchema = z.object({
  VulnerabilityID: z.string().min(1),
  PkgName: z.string(),
  InstalledVersion: z.string().default(''),
  FixedVersion: z.string().optional(),
  Severity: z.string(),
  Title: z.string().optional(),
  PrimaryURL: z.string().optional(),
});

const reportSchema = z.object({
  SchemaVersion: z.literal(2),
  ArtifactName: z.string().optional(),
  Results: z
    .array(
      z.object({
        Target: z.string(),
        Vulnerabilities: z.array(vulnerabilitySchema).nullish(),
      }),
    )
    .default([]),
});

/** Reads `trivy image --format json` output (schema version 2). */
export function parseTrivyReport(text: string): Finding[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ReportError(`the Trivy report is not JSON: ${messageOf(error)}`);
  }
  const report = reportSchema.safeParse(data);
  if (!report.success) {
    const issue = report.error.issues[0];
    throw new ReportError(
      `the Trivy report is not a schema-2 report: ${issue?.path.join('.')}: ${issue?.message}`,
    );
  }
  return report.data.Results.flatMap((result) =>
    (result.Vulnerabilities ?? []).map((v) => ({
      id: v.VulnerabilityID,
      severity: toSeverity(v.Severity),
      pkg: v.PkgName,
      installed: v.InstalledVersion,
      fixed: v.FixedVersion || undefined,
      target: result.Target,
      title: v.Title,
      url: v.PrimaryURL,
    })),
  );
}

function toSeverity(text: string): Severity {
  const upper = text.toUpperCase();
  return (severities as readonly string[]).includes(upper) ? (upper as Severity) : 'UNKNOWN';
}
