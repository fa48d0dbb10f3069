import { PolicyPack } from '@pulumi/policy';
import { policies } from './policies';

// Constructing the pack starts the analyzer's gRPC server, so this file is only the pack's entry
// point (`pulumi preview --policy-pack policy`); tests import ./policies instead.
new PolicyPack('slipway', {
  description: 'Slipway platform rules: hardened workloads, zero-trust networking, private encrypted data.',
  policies,
});
