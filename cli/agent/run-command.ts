/**
 * `tandem agent run STANDARD:PROVIDER:TYPE ACTION [name=value…]`: one action on this node, like
 * `crm_resource --force-start/--force-stop/--force-check`. Prints rc and its meaning, the exec
 * status, exit reason and duration; exits 0 when the action succeeded (rc 0, or 190 degraded),
 * 1 otherwise.
 */
import type { Command } from 'commander';
import { parseDurationMs } from '../../coordinator/cib/duration.ts';
import type { Attributes } from '../../coordinator/cib/model.ts';
import type { OperationResult } from '../../agent/executor/index.ts';
import {
  Executor,
  describeExecStatus,
  describeRc,
  formatAgentRef,
  isSuccess,
  parseAgentSpec,
} from '../../agent/executor/index.ts';
import { NodeAttributes } from '../../agent/attributes/index.ts';
import { systemClock } from '../../agent/executor/index.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import type { AgentLocationOptions } from './agent-options.ts';
import { addLocationOptions, executorLocations } from './agent-options.ts';
import { loadBuiltinAgents } from './builtin-agents.ts';

interface RunOptions extends AgentLocationOptions {
  timeout: string;
  interval: string;
  instance?: string;
  checkLevel?: string;
  output?: boolean;
  json?: boolean;
}

export function parseNameValues(items: readonly string[]): Attributes {
  const out: Attributes = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new CliError(`"${item}" is not a parameter: write name=value`, ExitCode.usage);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

function durationOption(name: string, text: string): number {
  const parsed = parseDurationMs(text);
  if (!parsed.ok) throw new CliError(`--${name}: ${parsed.error}`, ExitCode.usage);
  return parsed.value;
}

export function formatRunResult(agentText: string, result: OperationResult): string {
  const lines: string[] = [];
  const rc = result.rc !== undefined ? `rc=${result.rc} (${describeRc(result.rc)})` : 'rc=none';
  lines.push(
    `${agentText} ${result.action} on ${result.resource}: ${rc}, status: ${describeExecStatus(result.status)}, ${Math.round(result.durationMs)} ms`,
  );
  if (result.exitReason !== undefined) lines.push(`exit reason: ${result.exitReason}`);
  for (const w of result.warnings) lines.push(`warning: ${w}`);
  return `${lines.join('\n')}\n`;
}

export function registerRunCommand(agent: Command): void {
  addLocationOptions(
    agent
      .command('run')
      .description('run one action of an agent on this node and print rc, meaning, exit reason and duration')
      .argument('<agent>', 'STANDARD:PROVIDER:TYPE (ocf:heartbeat:Dummy) or lsb:NAME')
      .argument('<action>', 'start, stop, monitor, validate-all, meta-data, …')
      .argument('[params...]', 'instance attributes as name=value')
      .option('--timeout <duration>', 'operation timeout (20s, 500ms, PT1M)', '20s')
      .option('--interval <duration>', 'OCF_RESKEY_CRM_meta_interval (0 for a probe)', '0')
      .option('--instance <name>', 'resource instance name (OCF_RESOURCE_INSTANCE); default the type')
      .option('--check-level <n>', 'OCF_CHECK_LEVEL for monitor')
      .option('--output', "print the agent's stdout and stderr")
      .option('--json', 'print the result as JSON'),
  ).action(async (spec: string, action: string, params: string[], opts: RunOptions) => {
    const ref = parseAgentSpec(spec);
    if (!ref.ok) throw new CliError(ref.error, ExitCode.usage);
    const timeoutMs = durationOption('timeout', opts.timeout);
    const intervalMs = durationOption('interval', opts.interval);
    const builtins = ref.value.provider === 'tandem' ? (await loadBuiltinAgents()).agents : [];
    // Node attributes a built-in agent sets (ping's pingd) are printed; a one-shot run does not dampen.
    const attributes = NodeAttributes.inMemory(systemClock);
    const changes: string[] = [];
    attributes.subscribe((c) =>
      changes.push(`node attribute ${c.name}${c.value === null ? ' deleted' : `=${c.value}`}`),
    );
    const executor = new Executor({
      ...executorLocations(opts),
      builtinAgents: builtins,
      setNodeAttribute: (name, value) => attributes.set(name, value),
    });
    try {
      const result = await executor.execute({
        resource: opts.instance ?? ref.value.type,
        agent: ref.value,
        action,
        timeoutMs,
        intervalMs,
        params: parseNameValues(params),
        ...(opts.checkLevel !== undefined ? { checkLevel: opts.checkLevel } : {}),
      });
      if (opts.json === true) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      } else {
        if (action === 'meta-data' || opts.output === true) process.stdout.write(result.output);
        if (opts.output === true) process.stderr.write(result.stderr);
        process.stdout.write(formatRunResult(formatAgentRef(ref.value), result));
        process.stdout.write(changes.map((c) => `${c}\n`).join(''));
      }
      process.exitCode = isSuccess(result) ? ExitCode.ok : ExitCode.error;
    } finally {
      await executor.dispose();
      await attributes.dispose();
    }
  });
}
