import Ajv2020 from 'ajv/dist/2020';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../../../infra/config/errors';
import { loadPlatformConfig } from '../../../infra/config/load';
import { deployRoleArn, stackDefaults } from '../../../infra/settings/derive';
import { settingsJsonSchema } from '../../../infra/settings/json-schema';
import { loadSettings } from '../../../infra/settings/load';
import { readStackFiles } from '../../../offline/stack-files';

const repoRoot = join(__dirname, '..', '..', '..');
const shipped = readFileSync(join(repoRoot, 'slipway.yaml'), 'utf8');
const catalogText = readFileSync(join(repoRoot, 'services.yaml'), 'utf8');

function problemsOf(text: string): string[] {
  try {
    loadSettings(text);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the settings loaded, but problems were expected');
}

describe('slipway.yaml', () => {
  it('loads as shipped, with the default branch and an account per environment filled in', () => {
    const settings = loadSettings(shipped);
    expect(settings.github).toEqual({ repository: 'acme/slipway', defaultBranch: 'main' });
    expect(Object.keys(settings.environments)).toEqual(['dev', 'staging', 'prod']);
    expect(deployRoleArn(settings, 'slipway', 'prod')).toBe(
      'arn:aws:iam::123456789012:role/slipway-deploy-prod',
    );
    expect(deployRoleArn(settings, 'slipway', 'qa')).toBeUndefined();
  });

  it('reports every problem at once, one line each naming the file and the key', () => {
    const broken = shipped
      .replace('repository: acme/slipway', 'repository: slipway')
      .replace("account: '123456789012'", 'account: 123456789012')
      .replace('  dev:\n', '  Dev:\n')
      .replace('users: [acme-release-manager]', 'users: [-bad-]\n      groups: [x]');
    expect(problemsOf(broken)).toEqual([
      'slipway.yaml: github.repository: must be owner/repo',
      'slipway.yaml: aws.account: must be a 12-digit AWS account ID, quoted so that YAML keeps its leading zeros',
      'slipway.yaml: environments.Dev: must be a lower-case name of letters, digits and dashes',
      'slipway.yaml: environments.prod.reviewers.users[0]: must be a GitHub user login',
      'slipway.yaml: environments.prod.reviewers.groups: unknown key',
    ]);
    expect(problemsOf('github: [')).toEqual([expect.stringMatching(/^slipway\.yaml: not valid YAML: /)]);
  });

  it('has a committed JSON Schema that accepts it and is wired through the yaml-language-server comment', () => {
    const committed = JSON.parse(readFileSync(join(repoRoot, 'slipway.schema.json'), 'utf8')) as object;
    expect(committed).toEqual(JSON.parse(JSON.stringify(settingsJsonSchema())));
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(committed);
    expect(validate(parseYaml(shipped))).toBe(true);
    expect(validate({ ...(parseYaml(shipped) as object), aws: { account: '1', region: 'eu-west-1' } })).toBe(
      false,
    );
    expect(shipped.split('\n')[0]).toBe('# yaml-language-server: $schema=./slipway.schema.json');
  });
});

describe('what a stack takes from slipway.yaml', () => {
  const settings = loadSettings(shipped);
  // The whole environment: the platform's stack file and the apps' together.
  const environmentValues = (stack: string) => ({
    ...readStackFiles(repoRoot, stack).config,
    ...readStackFiles(join(repoRoot, 'infra', 'apps'), stack).config,
  });
  const load = (stack: string, values = environmentValues(stack), from = settings) =>
    loadPlatformConfig({ stack, values, catalogText, settings: from });

  it('fills the admin role, the API access range, the certificate and the host the stack file leaves out', () => {
    const dev = load('dev');
    expect(dev.cluster.adminRoleArn).toBe(settings.platform.adminRoleArn);
    expect(dev.cluster.publicAccessCidrs).toEqual(settings.environments.dev?.apiAccessCidrs);
    expect(dev.ingress?.certificateArn).toBe(settings.environments.dev?.certificateArn);
    expect(dev.services.filter((s) => s.ingress).map((s) => s.ingress?.host)).toEqual([
      'dev.app.example.com',
      'dev.app.example.com',
    ]);
    // prod names no API access range: the tier's default (the public endpoint off) stands.
    expect(load('prod').cluster.publicAccessCidrs).toEqual([]);
  });

  it('moves with the file: a new domain is the new host of every ingress', () => {
    const moved = loadSettings(
      shipped.replace('domain: dev.app.example.com', 'domain: dev.shop.example.org'),
    );
    expect(
      load('dev', undefined, moved)
        .services.map((s) => s.ingress?.host)
        .filter(Boolean),
    ).toEqual(['dev.shop.example.org', 'dev.shop.example.org']);
  });

  it('yields to what the stack file states', () => {
    const values = {
      ...readStackFiles(repoRoot, 'dev').config,
      'slipway:cluster': JSON.stringify({ publicAccessCidrs: ['198.51.100.0/24'] }),
    };
    const dev = load('dev', values);
    expect(dev.cluster.publicAccessCidrs).toEqual(['198.51.100.0/24']);
    expect(dev.cluster.adminRoleArn).toBe(settings.platform.adminRoleArn);
  });

  it('gives nothing to a stack it does not name', () => {
    expect(stackDefaults(settings, 'sandbox')).toBeUndefined();
  });

  it("lets no other account into a stack's registry while every environment shares one account", () => {
    expect(stackDefaults(settings, 'staging', 'slipway')?.sections).not.toHaveProperty('registry');
  });

  it("lets the home publish role and the other accounts' apps roles into a registry when prod has its own account", () => {
    const apart = loadSettings(shipped.replace('  prod:\n', "  prod:\n    account: '210987654321'\n"));
    // staging, in the home account: prod's apps role promotes from it.
    expect(stackDefaults(apart, 'staging', 'slipway')?.sections.registry).toEqual({
      otherAccounts: { pushers: [], pullers: ['arn:aws:iam::210987654321:role/slipway-deploy-prod'] },
    });
    // prod, in its own: the publish role of the home account, and the home stacks' apps roles.
    expect(stackDefaults(apart, 'prod', 'slipway')?.sections.registry).toEqual({
      otherAccounts: {
        pushers: ['arn:aws:iam::123456789012:role/slipway-publish'],
        pullers: [
          'arn:aws:iam::123456789012:role/slipway-deploy-dev',
          'arn:aws:iam::123456789012:role/slipway-deploy-staging',
        ],
      },
    });
    // The platform's config carries them to its repositories.
    const values = readStackFiles(repoRoot, 'staging').config;
    const staging = loadPlatformConfig({
      stack: 'staging',
      values,
      catalogText,
      settings: apart,
      project: 'platform',
      platformProject: 'slipway',
    });
    expect(staging.registry.otherAccounts?.pullers).toEqual([
      'arn:aws:iam::210987654321:role/slipway-deploy-prod',
    ]);
  });
});
