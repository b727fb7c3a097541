/**
 * The pcs-compatible configuration commands (`tandem [-f FILE] cluster|property|resource|
 * constraint|node …`). Commander provides only the command tree and help; the words after the
 * command are passed through untouched (`--group`, `op`, `meta`, `-INFINITY` included) to the
 * pcs-style parser in this folder. The parser and file handling are imported on first use, so
 * other commands do not pay for them.
 */
import type { Command } from 'commander';

interface Leaf {
  name: string;
  aliases?: string[];
  summary: string;
  isDefault?: boolean;
}

async function run(path: readonly string[], args: readonly string[], cmd: Command): Promise<void> {
  const { runConfigCommand } = await import('./run.ts');
  const opts = cmd.optsWithGlobals<{ file?: string }>();
  await runConfigCommand([...path, ...args], opts.file);
}

function addLeaves(parent: Command, path: readonly string[], leaves: readonly Leaf[]): void {
  for (const leaf of leaves) {
    const cmd = parent
      .command(leaf.name, leaf.isDefault === true ? { isDefault: true } : {})
      .description(leaf.summary)
      .argument('[args...]', 'pcs-style arguments (name=value, op …, meta …, --flags)')
      .allowUnknownOption()
      .action(async (args: string[], _opts: unknown, self: Command) => {
        await run([...path, leaf.name], args, self);
      });
    for (const alias of leaf.aliases ?? []) cmd.alias(alias);
  }
}

/** Registers `cluster`, `property`, `resource`, `constraint` and `node` on the root program. */
export function registerConfigCommands(program: Command): void {
  const cluster = program
    .command('cluster')
    .description('create the cluster, export/import Pacemaker CIB XML, verify');
  addLeaves(
    cluster,
    ['cluster'],
    [
      { name: 'setup', summary: 'NAME NODE... [--force]: create the configuration file with these nodes' },
      { name: 'cib', summary: '[OUT.xml]: the configuration as Pacemaker CIB XML (stdout without OUT)' },
      { name: 'cib-push', summary: 'IN.xml: replace the configuration from Pacemaker CIB XML' },
      { name: 'verify', summary: 'check the configuration like crm_verify: errors (exit 1) and warnings' },
      { name: 'standby', summary: 'NODE... | --all: pcs 0.9 form of `node standby`' },
      { name: 'unstandby', summary: 'NODE... | --all: pcs 0.9 form of `node unstandby`' },
    ],
  );
  const clusterNode = cluster.command('node').description('add or remove cluster nodes');
  addLeaves(
    clusterNode,
    ['cluster', 'node'],
    [
      { name: 'add', summary: 'NODE: add a node' },
      {
        name: 'remove',
        aliases: ['delete'],
        summary: 'NODE: remove a node and location constraints naming it',
      },
    ],
  );

  const property = program.command('property').description('cluster properties (crm_config)');
  addLeaves(
    property,
    ['property'],
    [
      {
        name: 'config',
        aliases: ['list', 'show'],
        summary: 'list the cluster properties that are set',
        isDefault: true,
      },
      { name: 'set', summary: 'NAME=VALUE... [--force]: set properties (an empty value removes)' },
      { name: 'unset', summary: 'NAME...: remove properties' },
    ],
  );

  const resource = program
    .command('resource')
    .description('resources: create, group, clone, update, defaults');
  addLeaves(
    resource,
    ['resource'],
    [
      {
        name: 'create',
        summary:
          'ID AGENT [name=value...] [op ACTION name=value...] [meta name=value...] [clone [CLONE_ID] [name=value...]] ' +
          '[--group G [--before ID | --after ID]] [--disabled] [--no-default-ops]',
      },
      { name: 'delete', aliases: ['remove'], summary: 'ID: delete a resource and the constraints naming it' },
      { name: 'update', summary: 'ID [name=value...] [op ACTION name=value...] [meta name=value...]' },
      { name: 'meta', summary: 'ID name=value...: set meta attributes (an empty value removes)' },
      { name: 'enable', summary: 'ID...: allow the resource to run (removes target-role)' },
      { name: 'disable', summary: 'ID...: stop the resource (target-role=Stopped)' },
      { name: 'manage', summary: 'ID...: let the cluster manage the resource again (removes is-managed)' },
      { name: 'unmanage', summary: 'ID...: leave the resource alone (is-managed=false)' },
      { name: 'clone', summary: 'ID [CLONE_ID] [meta] [name=value...]: clone a resource or group' },
      { name: 'unclone', summary: 'ID: turn a clone back into its resource' },
      { name: 'ungroup', summary: 'GROUP [ID...]: take resources out of a group' },
      { name: 'defaults', summary: '[update] name=value...: resource defaults (none: list them)' },
      { name: 'op', summary: 'defaults [update] name=value...: operation defaults (none: list them)' },
      { name: 'rsc', summary: 'defaults [update] name=value...: pcs 0.9 form of `resource defaults`' },
      { name: 'config', aliases: ['show'], summary: '[ID]: show the resources' },
    ],
  );
  const group = resource.command('group').description('resource groups');
  addLeaves(
    group,
    ['resource', 'group'],
    [
      { name: 'add', summary: 'GROUP ID... [--before ID | --after ID]: create a group or add to it' },
      { name: 'remove', aliases: ['delete'], summary: 'GROUP [ID...]: take resources out (all: ungroup)' },
    ],
  );

  const constraint = program.command('constraint').description('location, colocation and order constraints');
  addLeaves(
    constraint,
    ['constraint'],
    [
      { name: 'config', aliases: ['list', 'show'], summary: 'list the constraints', isDefault: true },
      {
        name: 'location',
        summary: 'RSC prefers|avoids NODE[=SCORE]... | RSC rule [score=S] EXPRESSION | add ID RSC NODE SCORE',
      },
      { name: 'colocation', summary: 'add [ROLE] RSC with [ROLE] WITH [SCORE] [id=ID] | remove RSC WITH' },
      {
        name: 'order',
        summary: '[ACTION] FIRST then [ACTION] THEN [kind=...] [symmetrical=...] [id=ID] | remove RSC',
      },
      { name: 'delete', aliases: ['remove'], summary: 'ID...: delete constraints by id' },
    ],
  );

  const node = program.command('node').description('node standby, maintenance and attributes');
  addLeaves(
    node,
    ['node'],
    [
      { name: 'standby', summary: 'NODE... | --all: put nodes in standby (standby=on)' },
      { name: 'unstandby', summary: 'NODE... | --all: take nodes out of standby' },
      { name: 'maintenance', summary: 'NODE... | --all: maintenance=on' },
      { name: 'unmaintenance', summary: 'NODE... | --all: remove maintenance' },
      { name: 'attribute', summary: '[NODE [name=value...]]: set node attributes (none: list them)' },
    ],
  );
}
