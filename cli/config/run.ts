/**
 * The file side of the configuration commands (`tandem -f FILE …`, like `pcs -f`): load the
 * file, apply the pure edit, validate the result (refuse on errors, the file untouched), bump the
 * epoch and save atomically. Also the whole-file commands: cluster setup, cluster cib,
 * cluster cib-push, cluster verify. A FILE ending in `.xml` is read and written as Pacemaker CIB
 * XML (its status section kept); anything else is tandem's native JSON.
 *
 * Output: listings and exported XML on stdout; warnings and errors on stderr. Failures throw
 * CliError (exit 1, or 2 for usage), which cli/main.ts prints.
 */
import { access, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import {
  bumpEpoch,
  formatIssues,
  loadConfigFile,
  parseCibXml,
  saveConfigFile,
  toCibXml,
  validateConfig,
  type ClusterConfig,
  type ClusterStatus,
  type ConfigIssue,
} from '../../coordinator/cib/index.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { checkAgentParameters, readAgentParameters } from './agent-parameters.ts';
import { formatAgent } from './agents.ts';
import { applyConfigCommand } from './apply.ts';
import { splitFlags } from './args.ts';
import type { CommandError } from './command-result.ts';
import { setupCommand } from './cluster-setup.ts';
import { findResource } from './resource-tree.ts';
import { showConfig } from './show.ts';

export interface ConfigIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: ConfigIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

interface LoadedFile {
  config: ClusterConfig;
  /** The status section of an XML file, written back unchanged. */
  status?: ClusterStatus;
}

function isXmlPath(path: string): boolean {
  return path.toLowerCase().endsWith('.xml');
}

function fail(error: CommandError): never {
  throw new CliError(error.message, error.kind === 'usage' ? ExitCode.usage : ExitCode.error);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function loadFile(path: string): Promise<LoadedFile> {
  if (!(await exists(path))) {
    throw new CliError(
      `${path} does not exist: create it with \`tandem -f ${path} cluster setup NAME NODE...\``,
    );
  }
  if (isXmlPath(path)) {
    const parsed = parseCibXml(await readFile(path, 'utf8'));
    if (!parsed.ok) throw new CliError(`${path}: ${parsed.error}`);
    return { config: parsed.value.config, status: parsed.value.status };
  }
  const loaded = await loadConfigFile(path);
  if (!loaded.ok) throw new CliError(`${path}: ${loaded.error}`);
  return { config: loaded.value };
}

/** Writes via a temporary file in the same directory and rename, so readers never see half a file. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, path);
}

async function saveFile(path: string, file: LoadedFile): Promise<void> {
  if (isXmlPath(path)) await writeAtomically(path, toCibXml(file.config, file.status));
  else await saveConfigFile(path, file.config);
}

function printIssues(io: ConfigIo, label: string, issues: readonly ConfigIssue[]): void {
  for (const line of formatIssues(issues, label)) io.stderr(`tandem: ${line}\n`);
}

function printWarnings(io: ConfigIo, warnings: readonly string[]): void {
  for (const w of warnings) io.stderr(`tandem: warning: ${w}\n`);
}

/**
 * Validates `config` before it is written: errors refuse the change (exit 1); warnings not present
 * in `before` are printed (so a standing warning is not repeated by every command).
 */
function checkBeforeSave(
  io: ConfigIo,
  config: ClusterConfig,
  before: ClusterConfig | undefined,
  what: string,
): void {
  const report = validateConfig(config);
  if (report.errors.length > 0) {
    printIssues(io, 'error', report.errors);
    throw new CliError(
      `${what} refused: the configuration would be invalid (${report.errors.length} error(s) above); the file was not changed`,
    );
  }
  const old = new Set(before ? formatIssues(validateConfig(before).warnings) : []);
  const fresh = report.warnings.filter((w) => !old.has(formatIssues([w])[0] ?? ''));
  printIssues(io, 'warning', fresh);
}

async function clusterSetup(path: string, args: readonly string[], io: ConfigIo): Promise<void> {
  const setup = setupCommand(args);
  if (!setup.ok) fail(setup.error);
  if ((await exists(path)) && !args.includes('--force')) {
    throw new CliError(`${path} already exists: pass --force to overwrite it, or use another file`);
  }
  printWarnings(io, setup.value.warnings);
  checkBeforeSave(io, setup.value.config, undefined, 'cluster setup');
  await saveFile(path, { config: bumpEpoch(setup.value.config) });
}

async function clusterCib(path: string, args: readonly string[], io: ConfigIo): Promise<void> {
  const split = splitFlags(args, { booleans: ['--config'] }, 'cluster cib');
  if (!split.ok) fail(split.error);
  const words = split.value.words.filter((w) => !w.startsWith('scope='));
  if (words.length > 1) fail({ kind: 'usage', message: 'usage: tandem -f FILE cluster cib [OUT.xml]' });
  const file = await loadFile(path);
  const xml = toCibXml(file.config, file.status);
  const [out] = words;
  if (out === undefined) io.stdout(xml.endsWith('\n') ? xml : `${xml}\n`);
  else await writeAtomically(out, xml);
}

async function clusterCibPush(path: string, args: readonly string[], io: ConfigIo): Promise<void> {
  const split = splitFlags(args, { booleans: ['--config'], values: ['--wait'] }, 'cluster cib-push');
  if (!split.ok) fail(split.error);
  const words = split.value.words.filter((w) => !w.startsWith('scope=') && !w.startsWith('diff-against='));
  const [input, extra] = words;
  if (input === undefined || extra !== undefined)
    fail({ kind: 'usage', message: 'usage: tandem -f FILE cluster cib-push IN.xml' });
  if (!(await exists(input)))
    throw new CliError(`${input} does not exist: export one with \`cibadmin --query > ${input}\``);
  const parsed = parseCibXml(await readFile(input, 'utf8'));
  if (!parsed.ok) throw new CliError(`${input}: ${parsed.error}`);
  printWarnings(io, parsed.value.warnings);
  const current = (await exists(path)) ? await loadFile(path) : undefined;
  const imported = parsed.value.config;
  // The pushed configuration replaces ours; its version must still move forward.
  const epoch = Math.max(imported.version.epoch, current?.config.version.epoch ?? 0);
  const config: ClusterConfig = { ...imported, version: { ...imported.version, epoch } };
  checkBeforeSave(io, config, current?.config, 'cluster cib-push');
  const saved: LoadedFile = { config: bumpEpoch(config) };
  const status = current?.status ?? (isXmlPath(path) ? parsed.value.status : undefined);
  if (status !== undefined) saved.status = status;
  await saveFile(path, saved);
  io.stdout(`CIB updated from ${input}\n`);
}

async function clusterVerify(path: string, args: readonly string[], io: ConfigIo): Promise<void> {
  const split = splitFlags(args, { booleans: ['--full'] }, 'cluster verify');
  if (!split.ok) fail(split.error);
  const [other] = split.value.words.filter((w) => !/^-V+$/.test(w));
  const file = await loadFile(other ?? path);
  const report = validateConfig(file.config);
  printIssues(io, 'error', report.errors);
  printIssues(io, 'warning', report.warnings);
  if (report.errors.length > 0) {
    throw new CliError(
      `configuration invalid: ${report.errors.length} error(s), ${report.warnings.length} warning(s)`,
    );
  }
}

/**
 * `resource create|update`: checks the primitive's parameters against the agent's meta-data, as
 * pcs does (refused unless --force). Agents not installed here are not checked (a warning).
 */
async function checkParameters(
  before: ClusterConfig,
  after: ClusterConfig,
  words: readonly string[],
  io: ConfigIo,
): Promise<void> {
  const [family, sub, id] = words;
  if (family !== 'resource' || (sub !== 'create' && sub !== 'update') || id === undefined) return;
  const rsc = findResource(after, id)?.resource;
  if (rsc?.kind !== 'primitive' || rsc.agent.standard !== 'ocf') return;
  const old = findResource(before, id)?.resource;
  if (
    old?.kind === 'primitive' &&
    JSON.stringify(old.instanceAttributes) === JSON.stringify(rsc.instanceAttributes)
  ) {
    return;
  }
  const params = await readAgentParameters(rsc.agent);
  if (params === undefined) {
    printWarnings(io, [
      `cannot read the meta-data of ${formatAgent(rsc.agent)} (not installed on this machine?): parameters of '${id}' not checked`,
    ]);
    return;
  }
  const check = checkAgentParameters(rsc, params, words.includes('--force'));
  printWarnings(io, check.warnings);
  if (check.errors.length > 0) {
    for (const e of check.errors) io.stderr(`tandem: error: ${e}\n`);
    throw new CliError(`\`tandem resource ${sub} ${id}\` refused (see above); the file was not changed`);
  }
}

async function edit(path: string, words: readonly string[], io: ConfigIo): Promise<void> {
  const file = await loadFile(path);
  const shown = showConfig(file.config, words);
  if (shown !== undefined) {
    if (!shown.ok) fail(shown.error);
    io.stdout(shown.value);
    return;
  }
  const applied = applyConfigCommand(file.config, words);
  if (!applied.ok) fail(applied.error);
  printWarnings(io, applied.value.warnings);
  await checkParameters(file.config, applied.value.config, words, io);
  checkBeforeSave(io, applied.value.config, file.config, `\`tandem ${words.slice(0, 2).join(' ')}\``);
  const saved: LoadedFile = { config: bumpEpoch(applied.value.config) };
  if (file.status !== undefined) saved.status = file.status;
  await saveFile(path, saved);
}

/**
 * Runs one configuration command given as words (`['resource', 'create', …]`) on the file given
 * with -f. Without -f the command is live: sent to the local tandemd, which has the DC apply it
 * (cli/live).
 */
export async function runConfigCommand(
  words: readonly string[],
  file: string | undefined,
  io: ConfigIo = processIo,
): Promise<void> {
  if (file === undefined || file === '') {
    const { runLiveCommand } = await import('../live/index.ts');
    return runLiveCommand(words, io);
  }
  const [family, sub, ...args] = words;
  if (family === 'cluster') {
    switch (sub ?? '') {
      case 'setup':
        return clusterSetup(file, args, io);
      case 'cib':
        return clusterCib(file, args, io);
      case 'cib-push':
        return clusterCibPush(file, args, io);
      case 'verify':
        return clusterVerify(file, args, io);
      default:
        break;
    }
  }
  return edit(file, words, io);
}
