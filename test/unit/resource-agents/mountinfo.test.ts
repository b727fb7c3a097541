import test from 'ava';
import {
  mountsAtOrBelow,
  parseMountInfo,
  topMountAt,
  unescapeMountPath,
} from '../../../resource-agents/internal/mountinfo.ts';

const SAMPLE = [
  '22 27 0:21 / /proc rw,relatime shared:12 - proc proc rw',
  '36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue',
  '40 27 0:50 / /srv/a\\040b rw,relatime - tmpfs tandem\\040tmpfs rw,size=4096k',
  '41 40 7:3 / /srv/a\\040b/sub rw,relatime - ext4 /dev/loop3 rw',
  '42 40 0:51 / /srv/a\\040b rw,relatime - tmpfs second rw',
  '43 27 0:52 / /srv/a\\040bc rw - tmpfs other rw',
  '44 27 0:53 / /nfs rw shared:7 master:3 - nfs4 server:/export\\011tab rw,vers=4.2',
  'garbage line without separator',
  '',
].join('\n');

test('parseMountInfo: fields, optional fields, octal escapes, malformed lines skipped', (t) => {
  const entries = parseMountInfo(SAMPLE);
  t.is(entries.length, 7);
  t.deepEqual(entries[1], {
    id: 36,
    parentId: 35,
    major: 98,
    minor: 0,
    root: '/mnt1',
    mountPoint: '/mnt/parent',
    options: 'rw,noatime',
    fstype: 'ext3',
    source: '/dev/root',
    superOptions: 'rw,errors=continue',
  });
  t.is(entries[2]?.mountPoint, '/srv/a b');
  t.is(entries[2]?.source, 'tandem tmpfs');
  t.is(entries[6]?.fstype, 'nfs4');
  t.is(entries[6]?.source, 'server:/export\ttab');
});

const escapes: [string, string][] = [
  ['/plain', '/plain'],
  ['/a\\040b', '/a b'],
  ['/tab\\011x', '/tab\tx'],
  ['/nl\\012x', '/nl\nx'],
  ['/back\\134slash', '/back\\slash'],
  ['/not\\9escape', '/not\\9escape'],
];
for (const [raw, want] of escapes) {
  test(`unescapeMountPath(${raw})`, (t) => t.is(unescapeMountPath(raw), want));
}

test('topMountAt: the most recent of stacked mounts; none for a prefix-only match', (t) => {
  const entries = parseMountInfo(SAMPLE);
  t.is(topMountAt(entries, '/srv/a b')?.source, 'second');
  t.is(topMountAt(entries, '/srv/a'), undefined);
  t.is(topMountAt(entries, '/nope'), undefined);
});

test('mountsAtOrBelow: submounts first, stacked mounts newest first, no sibling with a shared prefix', (t) => {
  const entries = parseMountInfo(SAMPLE);
  t.deepEqual(
    mountsAtOrBelow(entries, '/srv/a b').map((m) => m.id),
    [41, 42, 40],
  );
});
