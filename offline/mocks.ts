import type * as pulumi from '@pulumi/pulumi';
import { offlineAccountId, offlineGitHubId, offlineImageDigest, offlineS3Cidrs, stableHex } from './cloud';

type MockResourceArgs = pulumi.runtime.MockResourceArgs;
type MockCallArgs = pulumi.runtime.MockCallArgs;
type Inputs = Record<string, unknown>;

/** One resource the program registered, as the offline engine saw it. */
export interface RecordedResource {
  type: string;
  name: string;
  /** `type::name` of the parent resource; undefined for children of the stack. */
  parent?: string;
  custom: boolean;
  id?: string;
  inputs: Inputs;
  /**
   * What the provider computed on create (ARN, endpoint, generated names) beside the ID: the values a
   * replacement makes unknown again, for the plan to follow into the resources that read them.
   */
  computed?: Inputs;
}

const stackReferenceType = 'pulumi:pulumi:StackReference';
const eksClusterType = 'eks:index:Cluster';
const roleType = 'aws:iam/role:Role';

/** Elastic Load Balancing's access-log account in a few regions opened before August 2022 (AWS's ELB docs). */
const legacyElbAccounts: Record<string, string> = {
  'us-east-1': '127311923021',
  'us-west-2': '797873946194',
  'eu-west-1': '156460612806',
  'ap-northeast-1': '582318560864',
};

/** ID prefixes AWS uses, so rendered IDs look like the real thing. */
const idPrefixes: Record<string, string> = {
  'aws:ec2/vpc:Vpc': 'vpc',
  'aws:ec2/subnet:Subnet': 'subnet',
  'aws:ec2/securityGroup:SecurityGroup': 'sg',
  'aws:ec2/defaultSecurityGroup:DefaultSecurityGroup': 'sg',
  'aws:ec2/internetGateway:InternetGateway': 'igw',
  'aws:ec2/natGateway:NatGateway': 'nat',
  'aws:ec2/eip:Eip': 'eipalloc',
  'aws:ec2/routeTable:RouteTable': 'rtb',
  'aws:ec2/vpcEndpoint:VpcEndpoint': 'vpce',
  'aws:ec2/flowLog:FlowLog': 'fl',
  'aws:ec2/launchTemplate:LaunchTemplate': 'lt',
};

/**
 * Answers the Pulumi runtime in place of the engine and the providers: every resource gets a
 * realistic ID and the attributes AWS would compute, every invoke the program uses gets a plausible
 * answer, and every registration is recorded for the tests and the plan to read.
 */
export class OfflineMocks implements pulumi.runtime.Mocks {
  readonly resources: RecordedResource[] = [];

  constructor(
    private readonly region: string,
    private readonly parentOf: (type: string, name: string) => string | undefined,
    private readonly onRecord?: (resource: RecordedResource) => void,
    /** Outputs of the stacks a StackReference may read, by full stack name (`org/project/stack`). */
    private readonly stackOutputs: Record<string, Record<string, unknown>> = {},
    /** The account the program's credentials are in (getCallerIdentity) and its ARNs are made in. */
    private readonly accountId: string = offlineAccountId,
  ) {}

  newResource(
    args: MockResourceArgs,
  ): { id: string | undefined; state: Inputs } | Promise<{ id: string | undefined; state: Inputs }> {
    if (args.type === stackReferenceType) return this.stackReference(args);
    const id = args.custom ? args.id || this.idFor(args) : undefined;
    const computed = this.computed(args, id ?? args.name);
    this.record({
      type: args.type,
      name: args.name,
      parent: this.parentOf(args.type, args.name),
      custom: args.custom ?? false,
      id,
      inputs: args.inputs,
      computed,
    });
    const state = { id, state: { ...args.inputs, ...computed } };
    return args.type === eksClusterType ? this.eksRoles(args).then(() => state) : state;
  }

  private record(resource: RecordedResource): void {
    this.resources.push(resource);
    this.onRecord?.(resource);
  }

  /**
   * The IAM roles `@pulumi/eks` (v4) registers inside its component for these arguments, with the component's
   * `transforms` applied as the engine applies them to a packaged component's children: the cluster's service role
   * unless one is given, and the default instance role unless no default node group needs one. Only the roles: what
   * the platform role may create is decided by them (their boundary), and the program sees them nowhere else.
   */
  private async eksRoles(args: MockResourceArgs): Promise<void> {
    const inputs = args.inputs as Inputs;
    const roles: [string, string, string][] = [];
    if (!inputs.serviceRole)
      roles.push(['eksRole', 'eks.amazonaws.com', 'Allows EKS to manage clusters on your behalf.']);
    const defaultNodeGroup = !inputs.skipDefaultNodeGroup && inputs.createInstanceRole === undefined;
    if (!inputs.instanceRole && !inputs.instanceRoles && (inputs.createInstanceRole || defaultNodeGroup))
      roles.push(['instanceRole', 'ec2.amazonaws.com', '']);
    for (const [role, service, description] of roles) {
      const name = `${args.name}-${role}-role`;
      let props: Inputs = {
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: [service] } }],
        }),
        ...(description ? { description } : {}),
        tags: inputs.tags,
      };
      for (const transform of args.transforms ?? []) {
        const result = await transform({ custom: true, type: roleType, name, props, opts: {} });
        if (result) props = result.props as Inputs;
      }
      const id = `${name}-${stableHex(7, 'role', name)}`;
      this.record({
        type: roleType,
        name,
        parent: `${eksClusterType}::${args.name}`,
        custom: true,
        id,
        inputs: props,
        computed: { arn: `arn:aws:iam::${this.accountId}:role/${id}`, name: id },
      });
    }
  }

  call(args: MockCallArgs): Record<string, unknown> {
    const inputs = args.inputs as Inputs;
    switch (args.token) {
      case 'aws:index/getAvailabilityZones:getAvailabilityZones': {
        const letters = ['a', 'b', 'c', 'd', 'e', 'f'];
        return {
          names: letters.map((l) => `${this.region}${l}`),
          zoneIds: letters.map((_, i) => `${this.region.replace(/-/g, '').slice(0, 4)}-az${i + 1}`),
          state: 'available',
        };
      }
      case 'aws:index/getCallerIdentity:getCallerIdentity':
        return {
          accountId: this.accountId,
          arn: `arn:aws:iam::${this.accountId}:role/offline-plan`,
          userId: 'AROAOFFLINEPLAN',
          id: this.accountId,
        };
      case 'aws:index/getRegion:getRegion':
        return {
          name: this.region,
          region: this.region,
          id: this.region,
          endpoint: `ec2.${this.region}.amazonaws.com`,
        };
      case 'aws:index/getPartition:getPartition':
        return { partition: 'aws', dnsSuffix: 'amazonaws.com', id: 'aws' };
      case 'aws:ecr/getImage:getImage': {
        const repository = String(inputs.repositoryName);
        const tag = String(inputs.imageTag ?? 'latest');
        return {
          imageDigest: offlineImageDigest(repository, tag),
          imageTags: [tag],
          registryId: this.accountId,
        };
      }
      case 'aws:ec2/getPrefixList:getPrefixList':
        // The AWS-managed prefix list the program asks for (S3's): a handful of the service's public ranges.
        return {
          id: `pl-${stableHex(8, String(inputs.name))}`,
          prefixListId: `pl-${stableHex(8, String(inputs.name))}`,
          name: String(inputs.name),
          cidrBlocks: offlineS3Cidrs,
        };
      case 'aws:elb/getServiceAccount:getServiceAccount': {
        // ELB's log-writing account exists only in regions opened before August 2022; the provider fails
        // for the others, as here for any region this table does not list.
        const account = legacyElbAccounts[String(inputs.region ?? this.region)];
        if (!account) throw unanswered(`no ELB service account in ${String(inputs.region ?? this.region)}`);
        return { id: account, arn: `arn:aws:iam::${account}:root`, region: this.region };
      }
      case 'github:index/getUser:getUser': {
        const login = String(inputs.username);
        return { id: String(offlineGitHubId('user', login)), login, nodeId: `U_${stableHex(12, login)}` };
      }
      case 'github:index/getTeam:getTeam': {
        const slug = String(inputs.slug);
        return {
          id: String(offlineGitHubId('team', slug)),
          slug,
          name: slug,
          nodeId: `T_${stableHex(12, slug)}`,
        };
      }
      default:
        throw unanswered(
          `the offline engine has no answer for the invoke ${args.token}; add one in offline/mocks.ts`,
        );
    }
  }

  /**
   * A StackReference reads another stack's last outputs, as the engine's builtin provider does. A stack
   * the run was not told about does not exist, and the read fails as the engine's does; a stack that
   * exists but was never deployed has no outputs.
   */
  private stackReference(args: MockResourceArgs): { id: string; state: Inputs } {
    const name = String(args.inputs.name ?? args.id ?? args.name);
    const outputs = this.stackOutputs[name];
    if (outputs === undefined) throw unanswered(`unknown stack "${name}"`);
    const recorded: RecordedResource = {
      type: args.type,
      name: args.name,
      parent: this.parentOf(args.type, args.name),
      custom: true,
      id: name,
      inputs: { name },
    };
    this.record(recorded);
    return { id: name, state: { name, outputs, secretOutputNames: [] } };
  }

  private idFor(args: MockResourceArgs): string {
    const prefix = idPrefixes[args.type];
    const hex = stableHex(17, args.type, args.name);
    if (prefix) return `${prefix}-${hex}`;
    if (args.type === 'aws:kms/key:Key')
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(1, 4)}-${hex.slice(0, 12)}`;
    // An S3 bucket's id is its (globally unique) bucket name.
    const nameInput = args.type === 'aws:s3/bucket:Bucket' ? args.inputs.bucket : args.inputs.name;
    return typeof nameInput === 'string' ? nameInput : `${args.name}-${hex.slice(0, 7)}`;
  }

  /** Attributes the provider computes on create. */
  private computed(args: MockResourceArgs, id: string): Inputs {
    const [pkg, moduleName = ''] = args.type.split(':');
    if (args.type === eksClusterType) return this.eksCluster(args);
    // A generated password: stable per resource, so a re-render shows no change; never a real one.
    if (args.type === 'random:index/randomPassword:RandomPassword')
      return { result: `Offline${stableHex(24, 'password', args.name)}`, bcryptHash: '' };
    if (pkg !== 'aws') return {};
    const service = moduleName.split('/')[0] ?? '';
    const name = typeof args.inputs.name === 'string' ? args.inputs.name : id;
    const arnService =
      { cloudwatch: 'logs', rds: 'rds', ecr: 'ecr', iam: 'iam', secretsmanager: 'secretsmanager' }[service] ??
      service;
    const computed: Inputs = {
      arn:
        service === 'iam'
          ? `arn:aws:iam::${this.accountId}:${args.type.endsWith(':Role') ? 'role' : 'policy'}/${name}`
          : `arn:aws:${arnService}:${this.region}:${this.accountId}:${args.type.split(':')[2]?.toLowerCase()}/${id}`,
      name,
    };
    switch (args.type) {
      case 'aws:ecr/repository:Repository':
        computed.repositoryUrl = `${this.accountId}.dkr.ecr.${this.region}.amazonaws.com/${name}`;
        computed.registryId = this.accountId;
        break;
      case 'aws:kms/key:Key':
        computed.keyId = id;
        computed.arn = `arn:aws:kms:${this.region}:${this.accountId}:key/${id}`;
        break;
      case 'aws:secretsmanager/secret:Secret':
        computed.arn = `arn:aws:secretsmanager:${this.region}:${this.accountId}:secret:${name}-${stableHex(6, id)}`;
        break;
      case 'aws:secretsmanager/secretVersion:SecretVersion': {
        // A new value is a new version, as in Secrets Manager.
        const hex = stableHex(32, 'version', id, JSON.stringify(args.inputs.secretString ?? ''));
        computed.versionId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
        computed.arn = String(args.inputs.secretId ?? '');
        break;
      }
      case 'aws:elasticache/replicationGroup:ReplicationGroup': {
        const group = String(args.inputs.replicationGroupId ?? id);
        computed.primaryEndpointAddress = `master.${group}.${stableHex(6, id)}.${this.region.replace(/-/g, '')}.cache.amazonaws.com`;
        computed.readerEndpointAddress = `replica.${group}.${stableHex(6, id)}.${this.region.replace(/-/g, '')}.cache.amazonaws.com`;
        break;
      }
      case 'aws:mq/broker:Broker': {
        const brokerId = `b-${stableHex(8, id)}-${stableHex(4, 'a', id)}-${stableHex(4, 'b', id)}-${stableHex(4, 'c', id)}-${stableHex(12, 'd', id)}`;
        computed.arn = `arn:aws:mq:${this.region}:${this.accountId}:broker:${String(args.inputs.brokerName ?? id)}:${brokerId}`;
        computed.instances = [
          {
            consoleUrl: `https://${brokerId}.mq.${this.region}.amazonaws.com`,
            endpoints: [`amqps://${brokerId}.mq.${this.region}.amazonaws.com:5671`],
          },
        ];
        break;
      }
      case 'aws:docdb/cluster:Cluster': {
        const identifier = String(args.inputs.clusterIdentifier ?? id);
        computed.endpoint = `${identifier}.cluster-${stableHex(12, id)}.${this.region}.docdb.amazonaws.com`;
        computed.readerEndpoint = `${identifier}.cluster-ro-${stableHex(12, id)}.${this.region}.docdb.amazonaws.com`;
        computed.masterUserSecrets = [
          {
            secretArn: `arn:aws:secretsmanager:${this.region}:${this.accountId}:secret:rds!cluster-${stableHex(8, id)}-${stableHex(6, 'secret', id)}`,
            kmsKeyId: '',
            secretStatus: 'active',
          },
        ];
        break;
      }
      case 'aws:sqs/queue:Queue':
        computed.arn = `arn:aws:sqs:${this.region}:${this.accountId}:${name}`;
        computed.url = `https://sqs.${this.region}.amazonaws.com/${this.accountId}/${name}`;
        break;
      case 'aws:rds/instance:Instance': {
        const identifier = String(args.inputs.identifier ?? id);
        const port = Number(args.inputs.port ?? 5432);
        computed.address = `${identifier}.${stableHex(12, id)}.${this.region}.rds.amazonaws.com`;
        computed.endpoint = `${computed.address}:${port}`;
        computed.port = port;
        computed.masterUserSecrets = [
          {
            secretArn: `arn:aws:secretsmanager:${this.region}:${this.accountId}:secret:rds!db-${stableHex(8, id)}-${stableHex(6, 'secret', id)}`,
            kmsKeyId: args.inputs.masterUserSecretKmsKeyId ?? '',
            secretStatus: 'active',
          },
        ];
        break;
      }
      case 'aws:ec2/launchTemplate:LaunchTemplate':
        computed.latestVersion = 1;
        computed.defaultVersion = 1;
        break;
      case 'aws:wafv2/webAcl:WebAcl':
        computed.arn = `arn:aws:wafv2:${this.region}:${this.accountId}:regional/webacl/${name}/${stableHex(8, id)}-${stableHex(4, 'acl', id)}`;
        break;
      case 'aws:s3/bucket:Bucket':
        computed.arn = `arn:aws:s3:::${id}`;
        computed.bucket = id;
        break;
      case 'aws:iam/openIdConnectProvider:OpenIdConnectProvider':
        computed.arn = `arn:aws:iam::${this.accountId}:oidc-provider/${String(args.inputs.url ?? '').replace(/^https:\/\//, '')}`;
        break;
    }
    return computed;
  }

  /** `@pulumi/eks` is a remote component: under mocks its outputs are whatever we answer here. */
  private eksCluster(args: MockResourceArgs): Inputs {
    const name = String(args.inputs.name ?? args.name);
    const oidcId = stableHex(32, 'oidc', name).toUpperCase();
    const issuer = `oidc.eks.${this.region}.amazonaws.com/id/${oidcId}`;
    const endpoint = `https://${stableHex(32, 'endpoint', name).toUpperCase()}.gr7.${this.region}.eks.amazonaws.com`;
    const kubeconfig = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name, cluster: { server: endpoint, 'certificate-authority-data': 'T0ZGTElORQ==' } }],
      contexts: [{ name: 'aws', context: { cluster: name, user: 'aws' } }],
      'current-context': 'aws',
      users: [
        {
          name: 'aws',
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1beta1',
              command: 'aws',
              args: ['eks', 'get-token', '--cluster-name', name, '--region', this.region],
            },
          },
        },
      ],
    };
    return {
      kubeconfig,
      kubeconfigJson: JSON.stringify(kubeconfig),
      clusterSecurityGroupId: `sg-${stableHex(17, 'cluster-sg', name)}`,
      nodeSecurityGroupId: `sg-${stableHex(17, 'node-sg', name)}`,
      oidcIssuer: issuer,
      oidcProviderUrl: `https://${issuer}`,
      oidcProviderArn: `arn:aws:iam::${this.accountId}:oidc-provider/${issuer}`,
      core: { endpoint, clusterSecurityGroupId: `sg-${stableHex(17, 'cluster-sg', name)}` },
    };
  }
}

/** The SDK reports a failed invoke by the error's gRPC `details`, so the message must be there too. */
function unanswered(message: string): Error {
  return Object.assign(new Error(message), { details: message });
}
