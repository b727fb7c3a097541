/**
 * LSB init scripts (`${initDir}/NAME ACTION`). `monitor` runs `status`; exit codes are mapped to
 * OCF by lsb-to-ocf.ts, status separately. Meta-data is synthesized as Pacemaker does, with the
 * description from the script's `### BEGIN INIT INFO` block when present.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentRef } from '../../coordinator/cib/model.ts';
import type { ParseResult } from '../../coordinator/cib/score.ts';
import type { AgentRunner, MetaDataAnswer, RunInput, RunOutcome } from './agent-runner.ts';
import { lsbToOcf } from './lsb-to-ocf.ts';
import { lsbMetaDataXml, parseMetaData } from './meta-data.ts';
import { OcfRc } from './ocf-rc.ts';
import { outcomeOfProcess } from './process-outcome.ts';
import type { ProcessRunner } from './process-runner.ts';

export const DEFAULT_LSB_DIR = '/etc/init.d';

/** Actions an LSB script is asked for; anything else is not supported (rc 3). */
const LSB_ACTIONS = new Set(['start', 'stop', 'restart', 'status', 'monitor', 'force-reload', 'reload']);

export interface LsbRunnerOptions {
  processRunner: ProcessRunner;
  initDir: string;
  baseEnv: Readonly<Record<string, string>>;
  killGraceMs?: number;
  maxOutputBytes?: number;
}

export class LsbRunner implements AgentRunner {
  readonly #o: LsbRunnerOptions;

  constructor(options: LsbRunnerOptions) {
    this.#o = options;
  }

  scriptPath(name: string): string {
    return join(this.#o.initDir, name);
  }

  async run(input: RunInput): Promise<RunOutcome> {
    if (input.action === 'meta-data') {
      const md = await this.metaData(input.agent);
      return md.ok
        ? { status: 'done', rc: OcfRc.ok, output: md.value.xml, stderr: '' }
        : { status: 'not-installed', rc: OcfRc.errInstalled, exitReason: md.error, output: '', stderr: '' };
    }
    if (!LSB_ACTIONS.has(input.action)) {
      return {
        status: 'not-supported',
        rc: OcfRc.errUnimplemented,
        exitReason: `LSB scripts have no "${input.action}" action`,
        output: '',
        stderr: '',
      };
    }
    const scriptAction = input.action === 'monitor' ? 'status' : input.action;
    const result = await this.#o.processRunner.run({
      file: this.scriptPath(input.agent.type),
      args: [scriptAction],
      env: { ...this.#o.baseEnv, PATH: this.#o.baseEnv['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
      cwd: '/',
      timeoutMs: input.timeoutMs,
      signal: input.signal,
      ...(this.#o.killGraceMs !== undefined ? { killGraceMs: this.#o.killGraceMs } : {}),
      ...(this.#o.maxOutputBytes !== undefined ? { maxOutputBytes: this.#o.maxOutputBytes } : {}),
    });
    return outcomeOfProcess(result, input.timeoutMs, (code) => lsbToOcf(input.action, code));
  }

  async metaData(agent: AgentRef): Promise<ParseResult<MetaDataAnswer>> {
    let text: string;
    try {
      text = await readFile(this.scriptPath(agent.type), 'utf8');
    } catch {
      return { ok: false, error: `LSB script ${this.scriptPath(agent.type)} not found` };
    }
    const info = /### BEGIN INIT INFO([\s\S]*?)### END INIT INFO/.exec(text)?.[1] ?? '';
    const description =
      /^#\s*Short-Description:\s*(.+)$/m.exec(info)?.[1]?.trim() ??
      /^#\s*Description:\s*(.+)$/m.exec(info)?.[1]?.trim();
    const xml = lsbMetaDataXml(agent.type, description);
    const parsed = parseMetaData(xml);
    return parsed.ok ? { ok: true, value: { xml, meta: parsed.value } } : parsed;
  }
}
