import { appliedDifferences, unknownValue } from '../../../action/src/deploy/applied-check';
import { summarizeEvents } from '../../../action/src/preview/change-summary';
import { readEvents } from '../support/engine-events';

const approved = summarizeEvents(readEvents('up.json')).changes;
const [cluster] = approved;
if (!cluster?.inputs) throw new Error('up.json creates the cluster');

test('an up that applied exactly the approved change has no differences', () => {
  expect(appliedDifferences(approved, summarizeEvents(readEvents('up.json')).changes)).toEqual([]);
  expect(appliedDifferences([], summarizeEvents(readEvents('up-2.json')).changes)).toEqual([]);
});

test('an up that applied other resources, or another value at the same path, is told apart resource by resource', () => {
  // up-3.json creates the cluster with another role and five resources the approved preview never showed.
  const differences = appliedDifferences(approved, summarizeEvents(readEvents('up-3.json')).changes);
  expect(differences).toContain(
    'eks-cluster (aws:eks/cluster:Cluster): input name differs from the approved value',
  );
  expect(differences).toContain('eks-role (aws:iam/role:Role): create was applied but not approved');
  expect(differences).toHaveLength(6);

  const otherRole = {
    ...cluster,
    inputs: { ...cluster.inputs, roleArn: 'arn:aws:iam::111111111111:role/admin' },
  };
  expect(appliedDifferences(approved, [otherRole])).toEqual([
    'eks-cluster (aws:eks/cluster:Cluster): input roleArn differs from the approved value',
  ]);
  expect(appliedDifferences(approved, [{ ...cluster, op: 'replace' }])).toEqual([
    'eks-cluster (aws:eks/cluster:Cluster): approved create, applied replace',
  ]);
  expect(appliedDifferences(approved, [])).toEqual([
    'eks-cluster (aws:eks/cluster:Cluster): approved create was not applied',
  ]);
});

test('a value the preview could not know matches what up resolved it to, and nothing else is loosened', () => {
  const previewed = { ...cluster, inputs: { ...cluster.inputs, roleArn: unknownValue } };
  expect(appliedDifferences([previewed], [cluster])).toEqual([]);
  const extraKey = { ...cluster, inputs: { ...cluster.inputs, tags: { owner: 'mallory' } } };
  expect(appliedDifferences([previewed], [extraKey])).toEqual([
    'eks-cluster (aws:eks/cluster:Cluster): input tags differs from the approved value',
  ]);
});
