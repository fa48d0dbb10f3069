import type { Severity } from '../pipeline/schema';
import type { Finding } from './trivy-report';

const levels: Record<Severity, 'error' | 'warning' | 'note'> = {
  CRITICAL: 'error',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'note',
  UNKNOWN: 'note',
};

/** SARIF 2.1.0 for GitHub code scanning: one rule per vulnerability id, one result per affected package. */
export function toSarif(findings: readonly { service: string; finding: Finding }[]): object {
  const ruleIndex = new Map<string, number>();
  const rules: object[] = [];
  const results = findings.map(({ service, finding }) => {
    let index = ruleIndex.get(finding.id);
    if (index === undefined) {
      index = rules.length;
      ruleIndex.set(finding.id, index);
      rules.push({
        id: finding.id,
        shortDescription: { text: finding.title ?? finding.id },
        helpUri: finding.url,
        defaultConfiguration: { level: levels[finding.severity] },
        properties: { tags: ['vulnerability', 'security', finding.severity] },
      });
    }
    const fixed = finding.fixed ? `, fixed in ${finding.fixed}` : ', no fix available';
    return {
      ruleId: finding.id,
      ruleIndex: index,
      level: levels[finding.severity],
      message: {
        text: `${service}: ${finding.pkg} ${finding.installed} has ${finding.id} (${finding.severity}${fixed})`,
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: finding.target, uriBaseId: 'ROOTPATH' },
            region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
          },
          message: { text: `${finding.target}: ${finding.pkg}@${finding.installed}` },
        },
      ],
    };
  });
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: 'Trivy', informationUri: 'https://github.com/aquasecurity/trivy', rules } },
        results,
      },
    ],
  };
}
