/** Files the config is read from, named in every error line. */
export const catalogFile = 'services.yaml';
export const stackFileName = (stack: string) => `Pulumi.${stack}.yaml`;
