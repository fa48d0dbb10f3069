import * as pulumi from '@pulumi/pulumi';
import { ConfigError } from '../config/errors';
import { bootstrapProgram } from './program';

// A bad stack file is the user's mistake: RunError prints its problem lines without a stack trace.
export = bootstrapProgram().catch((error: unknown) => {
  if (error instanceof ConfigError) throw new pulumi.RunError(error.message);
  throw error;
});
