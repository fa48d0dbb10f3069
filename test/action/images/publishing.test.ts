import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishingOf } from '../../../action/src/images/publishing';
import { loadPipeline } from '../../../action/src/pipeline/load';
import type { Pipeline } from '../../../action/src/pipeline/schema';
import { readSettings } from '../../../infra/settings/load';

const root = join(__dirname, '..', '..', '..');
const pipeline = loadPipeline(
  readFileSync(join(root, 'pipeline.yaml'), 'utf8'),
  'pipeline.yaml',
  readSettings(root),
);
const withProd = (prod: Partial<Pipeline['environments'][string]>): Pipeline => ({
  ...pipeline,
  environments: {
    ...pipeline.environments,
    prod: { ...(pipeline.environments.prod as Pipeline['environments'][string]), ...prod },
  },
});

test("the publish role writes the ungated stacks' repositories; prod's own deploy job promotes from staging's", () => {
  expect(publishingOf(pipeline, ['dev', 'staging'], 'pipeline.yaml')).toEqual({
    home: 'dev',
    copies: ['staging'],
    promoted: [],
  });
  // A release reaches prod only: the build goes to staging's repository, prod promotes from there.
  expect(publishingOf(pipeline, ['prod'], 'pipeline.yaml')).toEqual({
    home: 'staging',
    copies: [],
    promoted: [{ environment: 'prod', from: 'staging' }],
  });
  expect(publishingOf(pipeline, ['dev', 'staging', 'prod'], 'pipeline.yaml')).toEqual({
    home: 'dev',
    copies: ['staging'],
    promoted: [{ environment: 'prod', from: 'staging' }],
  });
});

test('a gated environment with nothing to promote from is refused in one line naming the key', () => {
  expect(() => publishingOf(withProd({ promoteFrom: undefined }), ['prod'], 'pipeline.yaml')).toThrow(
    /^pipeline\.yaml: environments\.prod\.promoteFrom: required: prod's stack is deployed with approval/,
  );
  expect(() => publishingOf(pipeline, ['dev', 'prod'], 'pipeline.yaml')).toThrow(
    "pipeline.yaml: environments.prod.promoteFrom: staging does not receive this push's images (it reaches dev, prod), so prod would have nothing to promote",
  );
  const gatedStaging: Pipeline = {
    ...pipeline,
    environments: {
      ...pipeline.environments,
      staging: { ...(pipeline.environments.staging as Pipeline['environments'][string]), approval: true },
    },
  };
  expect(() => publishingOf(gatedStaging, ['prod'], 'pipeline.yaml')).toThrow(
    "pipeline.yaml: environments.prod.promoteFrom: staging's stack is deployed with approval too",
  );
});
