/** The three environment tiers. A tier picks the defaults and the rules a stack is held to. */
export const tiers = ['dev', 'staging', 'prod'] as const;
export type Tier = (typeof tiers)[number];
