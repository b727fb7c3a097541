/**
 * Failover time, measured from outside: from the moment the fault is injected (the instant before
 * the SIGKILL, or before the gateway route is cut) until a client on the LAN (the `gw`
 * namespace) gets the stand-in's HTTP reply from the floating IP again AND the address is on the
 * surviving node. Probes run back to back (each bounded by its own timeout), so the figure is an
 * upper bound by at most one probe's duration.
 */
import { performance } from 'node:perf_hooks';

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export interface FailoverMeasurement {
  /** Milliseconds from the fault to the first good reply. */
  failoverMs: number;
  probes: number;
}

export interface MeasureOptions {
  /** Injects the fault; the clock starts just before it is called. */
  inject: () => Promise<Result<void>>;
  /** One probe: true once the service is back where it should be. */
  probe: () => Promise<boolean>;
  timeoutMs: number;
  /** Pause between probes (keeps the probe loop from eating a core); default 20 ms. */
  pauseMs?: number;
}

export async function measureFailover(options: MeasureOptions): Promise<Result<FailoverMeasurement>> {
  const started = performance.now();
  const injected = await options.inject();
  if (!injected.ok) return { ok: false, error: `could not inject the fault: ${injected.error}` };
  const deadline = started + options.timeoutMs;
  let probes = 0;
  for (;;) {
    probes++;
    if (await options.probe())
      return { ok: true, value: { failoverMs: performance.now() - started, probes } };
    if (performance.now() >= deadline) {
      return {
        ok: false,
        error: `the service did not come back within ${(options.timeoutMs / 1000).toFixed(1)} s (${probes} probes)`,
      };
    }
    await new Promise((r) => setTimeout(r, options.pauseMs ?? 20));
  }
}

/** Median, min, max of a list of figures (ms). */
export function summarize(values: readonly number[]): {
  median: number;
  min: number;
  max: number;
  n: number;
} {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n };
  const mid = Math.floor(n / 2);
  const median =
    n % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { median, min: sorted[0] ?? Number.NaN, max: sorted[n - 1] ?? Number.NaN, n };
}
