/**
 * Properties that cannot change in place: the provider deletes and recreates the resource (AWS marks
 * them ForceNew; Kubernetes rejects the change as immutable). Covers the types this platform uses; a
 * type not listed here is assumed to update in place.
 */
const replaceOnChange: Record<string, string[]> = {
  'aws:ec2/vpc:Vpc': ['cidrBlock', 'instanceTenancy'],
  'aws:ec2/subnet:Subnet': ['cidrBlock', 'availabilityZone', 'availabilityZoneId', 'vpcId'],
  'aws:ec2/securityGroup:SecurityGroup': ['name', 'namePrefix', 'description', 'vpcId'],
  'aws:ec2/natGateway:NatGateway': ['subnetId', 'allocationId', 'connectivityType'],
  'aws:ec2/eip:Eip': ['domain'],
  'aws:ec2/routeTable:RouteTable': ['vpcId'],
  'aws:ec2/routeTableAssociation:RouteTableAssociation': ['subnetId', 'gatewayId'],
  'aws:ec2/route:Route': ['routeTableId', 'destinationCidrBlock', 'destinationPrefixListId'],
  'aws:ec2/defaultSecurityGroup:DefaultSecurityGroup': ['vpcId'],
  'aws:ec2/vpcEndpoint:VpcEndpoint': ['vpcId', 'serviceName', 'vpcEndpointType'],
  'aws:ec2/flowLog:FlowLog': ['vpcId', 'logDestination', 'logDestinationType', 'trafficType', 'iamRoleArn'],
  'aws:ec2/launchTemplate:LaunchTemplate': ['name', 'namePrefix'],
  'aws:rds/instance:Instance': [
    'identifier',
    'identifierPrefix',
    'engine',
    'dbSubnetGroupName',
    'kmsKeyId',
    'storageEncrypted',
    'availabilityZone',
    'username',
    'dbName',
    'characterSetName',
  ],
  'aws:rds/subnetGroup:SubnetGroup': ['name', 'namePrefix'],
  'aws:rds/parameterGroup:ParameterGroup': ['name', 'namePrefix', 'family', 'description'],
  'eks:index:Cluster': ['name'],
  'aws:eks/cluster:Cluster': ['name'],
  'aws:eks/nodeGroup:NodeGroup': [
    'clusterName',
    'nodeGroupName',
    'nodeGroupNamePrefix',
    'nodeRoleArn',
    'subnetIds',
    'amiType',
    'capacityType',
    'instanceTypes',
    'diskSize',
  ],
  'aws:eks/addon:Addon': ['clusterName', 'addonName'],
  'aws:ecr/repository:Repository': ['name', 'encryptionConfigurations'],
  'aws:kms/key:Key': ['customerMasterKeySpec', 'keySpec', 'keyUsage', 'multiRegion'],
  'aws:kms/alias:Alias': ['name', 'namePrefix'],
  'aws:secretsmanager/secret:Secret': ['name', 'namePrefix'],
  'aws:secretsmanager/secretVersion:SecretVersion': ['secretId'],
  'aws:secretsmanager/secretPolicy:SecretPolicy': ['secretArn'],
  'aws:ecr/lifecyclePolicy:LifecyclePolicy': ['repository'],
  'aws:iam/role:Role': ['name', 'namePrefix', 'path'],
  'aws:iam/policy:Policy': ['name', 'namePrefix', 'path', 'description'],
  'aws:iam/rolePolicy:RolePolicy': ['name', 'namePrefix', 'role'],
  'aws:iam/rolePolicyAttachment:RolePolicyAttachment': ['role', 'policyArn'],
  'aws:iam/openIdConnectProvider:OpenIdConnectProvider': ['url'],
  'aws:cloudwatch/logGroup:LogGroup': ['name', 'namePrefix'],
  'kubernetes:apps/v1:Deployment': ['spec.selector'],
  'kubernetes:apps/v1:DaemonSet': ['spec.selector'],
  'kubernetes:apps/v1:StatefulSet': ['spec.selector', 'spec.serviceName', 'spec.volumeClaimTemplates'],
  'kubernetes:batch/v1:Job': ['spec.selector', 'spec.template'],
  'kubernetes:core/v1:Service': ['spec.clusterIP', 'spec.clusterIPs'],
  'kubernetes:core/v1:PersistentVolumeClaim': ['spec.storageClassName', 'spec.accessModes', 'spec.selector'],
  // The Kubernetes provider replaces ConfigMaps and Secrets on a data change, so pods pick up the new
  // object rather than a silently edited one.
  'kubernetes:core/v1:ConfigMap': ['data', 'binaryData'],
  'kubernetes:core/v1:Secret': ['data', 'stringData', 'type'],
};

// Every Kubernetes object is identified by its name and namespace.
const kubernetesIdentity = ['metadata.name', 'metadata.namespace'];

/** True when changing the property at `path` (e.g. `spec.selector.matchLabels.app`) replaces the resource. */
export function forcesReplacement(type: string, path: string): boolean {
  const rules = [
    ...(replaceOnChange[type] ?? []),
    ...(type.startsWith('kubernetes:') ? kubernetesIdentity : []),
  ];
  return rules.some((rule) => path === rule || path.startsWith(`${rule}.`) || path.startsWith(`${rule}[`));
}
