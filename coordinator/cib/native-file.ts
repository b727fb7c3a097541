/**
 * The native configuration file (JSON, the model serialised as is) and the saved cluster state.
 *
 * `serializeConfig` / `parseConfigJson` round-trip losslessly (parse(serialize(c)) deep-equals c).
 * Loading checks the shape field by field (errors name the JSON path); semantic checks are
 * `validateConfig`. Saving is atomic (temp file, fsync, rename, fsync dir) and changes nothing in
 * the value: version bumps are the caller's decision (`bumpEpoch`).
 */
import { readFile } from 'node:fs/promises';
import type { ClusterConfig } from './model.ts';
import type { ClusterStatus } from './status.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { clusterConfig } from './config-shape.ts';
import { clusterStatus } from './status-shape.ts';
import { findJsonError } from './json-position.ts';
import { fail, ok, type Result } from './result.ts';
import { isPlainObject, ShapeErrors } from './shape.ts';

export const CURRENT_FORMAT_VERSION = 1;

export function serializeConfig(config: ClusterConfig): string {
  return JSON.stringify(config, null, 2) + '\n';
}

export function serializeStatus(status: ClusterStatus): string {
  return JSON.stringify(status, null, 2) + '\n';
}

/** JSON.parse; on failure the error gives line:column and what was expected there. */
function parseJson(text: string, what: string): Result<unknown> {
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (err) {
    const where = findJsonError(text);
    if (where !== undefined) {
      return fail(
        `${what} is not valid JSON: at line ${where.line}, column ${where.column} expected ${where.expected}`,
      );
    }
    return fail(`${what} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function shapeFailure<T>(what: string, errors: readonly string[]): Result<T> {
  return fail(`${what} does not have the expected shape:\n  ${errors.join('\n  ')}`);
}

export function parseConfigJson(text: string, what = 'the configuration'): Result<ClusterConfig> {
  const json = parseJson(text, what);
  if (!json.ok) return json;
  const v = json.value;
  if (!isPlainObject(v) || !('formatVersion' in v)) {
    return fail(
      `${what} is not a tandem configuration (no "formatVersion"); create one with "tandem -f FILE cluster setup NAME NODE…" or import CIB XML with "cluster cib-push"`,
    );
  }
  if (v['formatVersion'] !== CURRENT_FORMAT_VERSION) {
    const newer = typeof v['formatVersion'] === 'number' && v['formatVersion'] > CURRENT_FORMAT_VERSION;
    return fail(
      `${what} has formatVersion ${JSON.stringify(v['formatVersion'])}, this tandem reads formatVersion ${CURRENT_FORMAT_VERSION}` +
        (newer ? '; upgrade tandem to read it' : '; set "formatVersion": 1'),
    );
  }
  const e = new ShapeErrors();
  const config = clusterConfig(v, '', e);
  if (config === undefined || e.errors.length > 0) return shapeFailure(what, e.errors);
  return ok(config);
}

export function parseStatusJson(text: string, what = 'the cluster state'): Result<ClusterStatus> {
  const json = parseJson(text, what);
  if (!json.ok) return json;
  const e = new ShapeErrors();
  const status = clusterStatus(json.value, '', e);
  if (status === undefined || e.errors.length > 0) return shapeFailure(what, e.errors);
  return ok(status);
}

async function readText(path: string, what: string): Promise<Result<string>> {
  try {
    return ok(await readFile(path, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      return fail(
        `${what} ${path} does not exist; create it with "tandem -f ${path} cluster setup NAME NODE…" or check the path`,
      );
    }
    if (code === 'EACCES')
      return fail(`${what} ${path} is not readable (permission denied); check its mode/owner`);
    if (code === 'EISDIR') return fail(`${what} ${path} is a directory; give the path of a file`);
    return fail(`cannot read ${what} ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export async function loadConfigFile(path: string): Promise<Result<ClusterConfig>> {
  const text = await readText(path, 'configuration file');
  if (!text.ok) return text;
  return parseConfigJson(text.value, `configuration file ${path}`);
}

export async function saveConfigFile(path: string, config: ClusterConfig): Promise<void> {
  await writeFileAtomic(path, serializeConfig(config));
}

export async function loadStatusFile(path: string): Promise<Result<ClusterStatus>> {
  const text = await readText(path, 'state file');
  if (!text.ok) return text;
  return parseStatusJson(text.value, `state file ${path}`);
}

export async function saveStatusFile(path: string, status: ClusterStatus): Promise<void> {
  await writeFileAtomic(path, serializeStatus(status));
}

/** A copy with epoch + 1 and num_updates 0 (what a configuration change does in Pacemaker). */
export function bumpEpoch(config: ClusterConfig): ClusterConfig {
  return { ...config, version: { ...config.version, epoch: config.version.epoch + 1, numUpdates: 0 } };
}
