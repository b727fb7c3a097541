/** Recurring monitors: re-armed after each completion; failures reported at once. */
export type {
  MonitorEvent,
  MonitorExecutor,
  MonitorSchedulerOptions,
  MonitorSpec,
  MonitorState,
} from './monitor-scheduler.ts';
export { DEFAULT_TIMER_SLACK, MonitorScheduler } from './monitor-scheduler.ts';
