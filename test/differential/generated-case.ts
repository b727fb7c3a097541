/**
 * One generated differential case: the cluster for a seed (2–5 nodes, 3–15 primitives, every
 * feature class of the generator), exported as CIB XML, answered by Pacemaker and by tandem.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toCibXml } from '../../coordinator/cib/index.ts';
import { generateCluster, type GenerateOptions } from '../support/cib-generator.ts';
import { Prng } from '../support/prng.ts';
import {
  compareSummaries,
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
