export { Workloads, type WorkloadsArgs } from './workloads';
export { ServiceWorkload, type ServiceWorkloadArgs } from './service-workload';
