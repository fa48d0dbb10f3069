import { asPulumiFailure, platformProgram } from './program';

export = platformProgram().catch(asPulumiFailure);
