/**
 * One generated differential case: the cluster for a seed (2–5 nodes, 3–15 primitives, every
 * feature class of the generator), exported as CIB XML, answered by Pacemaker and by tandem.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCibXml, toCibXml } from '../../coordinator/cib/index.ts';
import { schedule } from '../../coordinator/scheduler/index.ts';
import { renderSimulation } from '../../cli/simulate/render-simulation.ts';
import { generateCluster, type GenerateOptions } from '../support/cib-generator.ts';
import { Prng } from '../support/prng.ts';
import {
  compareSummaries,
  DEFAULT_NOW,
  pacemakerSummary,
  parseSummary,
  tandemSummary,
  type PartDiff,
} from './summary-compare.ts';

export interface CaseResult {
  seed: number;
  nodes: number;
  resources: number;
  features: string[];
  diffs: PartDiff[];
  /** Set when one side could not answer at all (an exception, crm_simulate failing). */
  error?: string;
}

export function caseOptions(seed: number): GenerateOptions {
  const shape = new Prng(seed ^ 0x5eed);
  return { seed, nodes: shape.int(2, 5), resources: shape.int(3, 15) };
}

/** Writes the case's CIB into `dir` and compares both schedulers on it. */
export async function runGeneratedCase(seed: number, dir: string): Promise<CaseResult> {
  const options = caseOptions(seed);
  const cluster = generateCluster(options);
  const base = { seed, nodes: options.nodes, resources: options.resources, features: cluster.features };
  const path = join(dir, `seed-${seed}.xml`);
  try {
    const xml = toCibXml(cluster.config, cluster.status);
    await writeFile(path, xml);
    const expected = parseSummary(await pacemakerSummary(path));
    const actual = parseSummary(tandemSummary(xml));
    return { ...base, diffs: compareSummaries(expected, actual) };
  } catch (err) {
    return { ...base, diffs: [], error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * The renderer against crm_simulate: tandem's text up to `Transition Summary:` (the effective time,
 * the disabled/blocked count and the crm_mon-style current status) must equal what
 * `crm_simulate -x CIB --set-datetime=NOW` prints (which stops there without -S). Returns
 * undefined when equal, else both texts.
 */
export async function compareCurrentStatus(
  seed: number,
  dir: string,
): Promise<{ pacemaker: string; tandem: string } | undefined> {
  const cluster = generateCluster(caseOptions(seed));
  const xml = toCibXml(cluster.config, cluster.status);
  const path = join(dir, `status-${seed}.xml`);
  await writeFile(path, xml);
  const pacemaker = await new Promise<string>((resolve, reject) => {
    execFile(
      'crm_simulate',
      ['-x', path, `--set-datetime=${DEFAULT_NOW}`],
      { timeout: 60_000 },
      (err, stdout, stderr) => {
        if (err !== null)
          reject(new Error(`crm_simulate -x ${path} failed: ${err.message}\n${stderr}`, { cause: err }));
        else resolve(stdout);
      },
    );
  });
  const parsed = parseCibXml(xml);
  if (!parsed.ok) throw new Error(`tandem cannot import seed ${seed}: ${parsed.error}`);
  const input = { config: parsed.value.config, status: parsed.value.status, now: Date.parse(DEFAULT_NOW) };
  const tandem = renderSimulation(input, schedule(input), 'full', { nowText: DEFAULT_NOW });
  // Without -S crm_simulate stops after the current status; tandem goes on with the transition.
  const upTo = (text: string): string => {
    const end = text.indexOf('Transition Summary:');
    return (end < 0 ? text : text.slice(0, end)).trimEnd();
  };
  return upTo(pacemaker) === upTo(tandem) ? undefined : { pacemaker: upTo(pacemaker), tandem: upTo(tandem) };
}
