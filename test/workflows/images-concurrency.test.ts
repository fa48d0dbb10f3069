import { readWorkflow } from './workflow-files';

test("deploy's images job is queued per branch, so two runs never race to push the same immutable tag", () => {
  const { workflow } = readWorkflow('workflows/deploy.yml');
  expect(workflow.jobs.images?.concurrency).toEqual({
    group: 'images-${{ github.ref_name }}',
    'cancel-in-progress': false,
  });
});
