import * as pulumi from '@pulumi/pulumi';
import { ConfigError } from './config/errors';
import { platformProgram } from './program';

// A bad stack file is the user's mistake, not a crash: RunError prints the problem lines alone,
// without the stack trace Pulumi shows for other errors.
export = platformProgram().catch((error: unknown) => {
  if (error instanceof ConfigError) throw new pulumi.RunError(error.message);
  throw error;
});
