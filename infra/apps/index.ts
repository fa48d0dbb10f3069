import { asPulumiFailure } from '../config/pulumi';
import { appsProgram } from './program';

export = appsProgram().catch(asPulumiFailure);
