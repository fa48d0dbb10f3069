// A stand-in for the GitHub CLI's `gh attestation verify` (cli/cli pkg/cmd/attestation/verify): records its
// arguments, resolves an oci:// image in the fake ECR with docker's stored login, reads the image's
// attestations from the fake GitHub (GET /repos/{owner}/{repo}/attestations/{digest}, the API gh reads, with
// the job's token) and checks them as gh does: predicate type, the signer workflow as gh's SAN regular
// expression (`^https://github.com/<signer-workflow>`, unanchored at the end) and the source repository.
// It fails in gh's words and with gh's exit codes: 4 without a token, 1 for everything else.
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.FAKE_DIR;
const args = process.argv.slice(2);
fs.appendFileSync(path.join(dir, 'calls.jsonl'), JSON.stringify({ tool: 'gh', args }) + '\n');
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const log = (line) => process.stderr.write(line + '\n');
const fail = (lines, code = 1) => {
  for (const line of [].concat(lines)) log(line);
  process.exit(code);
};
const token = process.env.GH_TOKEN || process.env.GITHUB_TOKEN;

async function main() {
  if (!token) {
    fail(
      process.env.GITHUB_ACTIONS === 'true'
        ? [
            'gh: To use GitHub CLI in a GitHub Actions workflow, set the GH_TOKEN environment variable. Example:',
            '  env:',
            '    GH_TOKEN: ${{ github.token }}',
          ]
        : ['To get started with GitHub CLI, please run:  gh auth login'],
      4,
    );
  }
  if (args[0] !== 'attestation' || args[1] !== 'verify') fail(`unknown command "${args[0]}" for "gh"`);
  const artifact = args[2] || '';
  const repo = option('--repo') || option('-R');
  const signer = option('--signer-workflow');
  const predicateType = option('--predicate-type');
  if (!repo && !option('--owner'))
    fail('Error: at least one of the flags in the group [owner repo] is required');
  if (!artifact.startsWith('oci://'))
    fail([
      `✗ Loading digest for ${artifact} failed`,
      '',
      `Error: failed to digest artifact: open ${artifact}: no such file or directory`,
    ]);

  // The image: gh resolves it in its registry with docker's credentials (go-containerregistry's keychain).
  const name = artifact.slice('oci://'.length);
  const at = name.lastIndexOf('@');
  const host = name.slice(0, name.indexOf('/'));
  const repository = name.slice(name.indexOf('/') + 1, at < 0 ? undefined : at);
  const reference = at < 0 ? name.slice(name.lastIndexOf(':') + 1) : name.slice(at + 1);
  const configPath = path.join(
    process.env.DOCKER_CONFIG || path.join(process.env.HOME || '', '.docker'),
    'config.json',
  );
  const auths = fs.existsSync(configPath) ? JSON.parse(fs.readFileSync(configPath, 'utf8')).auths || {} : {};
  if (!auths[host])
    fail([
      `✗ Loading digest for ${artifact} failed`,
      '',
      'Error: remote registry authorization failed, please authenticate with the registry and try again',
    ]);
  const found = await httpRequest(
    `${process.env.FAKE_SERVER}/__image?host=${encodeURIComponent(host)}&repository=${encodeURIComponent(repository)}&reference=${encodeURIComponent(reference)}`,
  );
  if (!found.ok)
    fail([
      `✗ Loading digest for ${artifact} failed`,
      '',
      `Error: failed to fetch remote image: GET https://${host}/v2/${repository}/manifests/${reference}: MANIFEST_UNKNOWN: Requested image not found`,
    ]);
  const { digest } = await found.json();
  log(`Loaded digest ${digest} for ${artifact}`);

  // Its attestations, from the repository named by --repo, read with the token.
  const apiPath = `/repos/${repo}/attestations/${digest}?per_page=30`;
  const response = await httpRequest(`${process.env.FAKE_SERVER}${apiPath}`, {
    headers: { authorization: `token ${token}` },
  });
  if (!response.ok) {
    const { message } = await response.json();
    fail([
      '✗ Loading attestations from GitHub API failed',
      '',
      `Error: failed to fetch attestations from ${repo}: HTTP ${response.status}: ${message} (https://api.github.com${apiPath})`,
    ]);
  }
  let attestations = (await response.json()).attestations.map(({ bundle }) => ({
    certificate: JSON.parse(
      Buffer.from(bundle.verificationMaterial.certificate.rawBytes, 'base64').toString(),
    ),
    statement: JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString()),
  }));
  log(`Loaded ${attestations.length} attestation${attestations.length === 1 ? '' : 's'} from GitHub API`);
  if (predicateType) {
    attestations = attestations.filter((a) => a.statement.predicateType === predicateType);
    if (attestations.length === 0) fail(`✗ No attestations found with predicate type: ${predicateType}`);
  }
  // Sigstore's checks: the statement names the artifact's digest, the certificate's SAN matches the signer.
  const hex = digest.replace(/^sha256:/, '');
  const sanRegex = `^https://github.com/${signer || `${repo}/`}`;
  const verified = attestations.filter(
    (a) =>
      a.statement.subject.some((s) => s.digest.sha256 === hex) &&
      new RegExp(sanRegex, 'i').test(a.certificate.subjectAlternativeName),
  );
  if (verified.length === 0)
    fail([
      '✗ Verification failed',
      '',
      `Error: verifying with issuer "sigstore.dev": failed to verify certificate identity: no matching CertificateIdentity found, last error: expected SAN value to match regex "${sanRegex}", got "${attestations[0].certificate.subjectAlternativeName}"`,
    ]);
  // gh's own extension check: the source repository is the one --repo names.
  const expectedRepository = `https://github.com/${repo}`;
  const wrong = verified.find(
    (a) => a.certificate.sourceRepositoryURI.toLowerCase() !== expectedRepository.toLowerCase(),
  );
  if (wrong)
    fail([
      '✗ Verification failed',
      '',
      `Error: expected SourceRepositoryURI to be ${expectedRepository}, got ${wrong.certificate.sourceRepositoryURI}`,
    ]);
  log('✓ Verification succeeded!\n');
  const results = verified.map((a) => ({
    verificationResult: {
      mediaType: 'application/vnd.dev.sigstore.verificationresult+json;version=0.1',
      statement: a.statement,
      signature: {
        certificate: {
          certificateIssuer: 'CN=sigstore-intermediate,O=sigstore.dev',
          subjectAlternativeName: a.certificate.subjectAlternativeName,
          issuer: 'https://token.actions.githubusercontent.com',
          buildSignerURI: a.certificate.subjectAlternativeName,
          sourceRepositoryURI: a.certificate.sourceRepositoryURI,
        },
      },
    },
  }));
  if (option('--format') === 'json') process.stdout.write(JSON.stringify(results) + '\n');
}
main();
