/**
 * The name of an image built with push false: a name no registry answers for, so nothing can push it by
 * mistake, and scan finds it in the local Docker daemon.
 */
export const localImage = (service: string, tag: string) => `local/${service}:${tag}`;
