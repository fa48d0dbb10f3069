export { Workloads, type WorkloadsArgs } from './workloads';
export { ServiceWorkload, type ServiceWorkloadArgs } from './service-workload';
export { isDigestPinned, restrictedPodProblems, type PodSpecLike } from './checks';
