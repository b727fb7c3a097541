import sys, os, copy
import xml.etree.ElementTree as ET
from base import cfg, ns
from lib import *

OUT = sys.argv[1]
def emit(name, desc, xml):
    d = os.path.join(OUT, name); os.makedirs(d, exist_ok=True)
    open(os.path.join(d, 'cib.xml'), 'w').write(xml)
    open(os.path.join(d, 'description.txt'), 'w').write(desc.strip() + '\n')

fresh_status = ns('rsha1', '1') + ns('rsha2', '2')
def running_states(**kw):
    """Node states after a simulated start from a fresh cluster with config kw."""
    x = simulate(cfg(status=fresh_status, **kw))
    return status_of(fix_times(x))
def on_rsha2_states(**kw):
    ec = kw.pop('extra_cons', '')
    x = simulate(cfg(status=fresh_status, extra_cons=ec + '\n      <rsc_location id="tmp-prefer" rsc="abiquo_rs" node="rsha2" score="1000"/>', **kw))
    return status_of(fix_times(x))

def down(state, expected='down'):
    state.set('in_ccm', 'false'); state.set('crmd', 'offline'); state.set('join', 'down'); state.set('expected', expected)
    # transient attributes vanish with the node
    ta = state.find('transient_attributes')
    if ta is not None: state.remove(ta)
    return state

R = running_states()
def rs(): return copy.deepcopy(R)

emit('fresh-cluster', 'Fresh RS pair: probes everywhere, ping on both nodes, the group starts on rsha1 (lowest name)', cfg(status=fresh_status))
s = rs(); emit('group-running', 'Group running on rsha1 with stickiness 100 and all monitors recorded: nothing to do', render(cfg(), s.values()))

s = rs(); down(s['rsha1'], 'member')
emit('rsha1-crashed', 'rsha1 left the membership unexpectedly, no fencing: the group starts on rsha2 at once, no stop anywhere', render(cfg(), s.values()))
s = rs(); down(s['rsha1'], 'down')
emit('rsha1-clean-leave', 'rsha1 left cleanly (expected down): the group starts on rsha2', render(cfg(), s.values()))
s = rs(); s['rsha1'].set('crmd', 'offline'); s['rsha1'].set('join', 'down')
emit('rsha1-controller-dead', 'rsha1 still in the membership but its controller died, no fencing: unclean, cannot be fenced, group starts on rsha2', render(cfg(), s.values()))

s = rs()
emit('rsha1-standby', 'rsha1 in standby: the group moves to rsha2 and ping stops on rsha1',
     render(cfg(n1attrs='\n        <instance_attributes id="nodes-1"><nvpair id="nodes-1-standby" name="standby" value="on"/></instance_attributes>\n      '), s.values()))

PINGRULE = '''
      <rsc_location id="loc-ping" rsc="abiquo_rs">
        <rule id="loc-ping-rule" score="-INFINITY" boolean-op="or">
          <expression id="loc-ping-rule-expr" attribute="pingd" operation="lt" value="1"/>
          <expression id="loc-ping-rule-expr-1" attribute="pingd" operation="not_defined"/>
        </rule>
      </rsc_location>'''
s = rs(); set_transient(s['rsha1'], pingd=0); set_transient(s['rsha2'], pingd=1000)
emit('gateway-lost-pingd-rule', 'rsha1 lost the gateway (pingd 0) with the pingd -INFINITY rule: the group moves to rsha2', render(cfg(extra_cons=PINGRULE), s.values()))
s = rs(); set_transient(s['rsha1'], pingd=0); set_transient(s['rsha2'], pingd=1000)
emit('gateway-lost-no-rule', 'rsha1 lost the gateway (pingd 0) but only the colocation with ping-clone: the group stays', render(cfg(), s.values()))
s = rs(); set_transient(s['rsha1'], pingd=1000); set_transient(s['rsha2'], pingd=1000)
emit('pingd-rule-both-connected', 'pingd rule, both nodes connected: nothing to do', render(cfg(extra_cons=PINGRULE), s.values()))
s = rs(); set_transient(s['rsha1'], pingd=0)
emit('pingd-rule-both-lost', 'pingd rule, rsha1 at 0 and rsha2 without pingd: the group stops everywhere', render(cfg(extra_cons=PINGRULE), s.values()))

def mon_fail(s):
    fail_op(s['rsha1'], 'tomcat-service', 'tomcat-service_monitor_15000', 7, 20)
    set_transient(s['rsha1'], **{'fail-count-tomcat-service__monitor_15000': 1, 'last-failure-tomcat-service__monitor_15000': 1735600000})
MT1 = '\n      <meta_attributes id="abiquo_rs-meta"><nvpair id="abiquo_rs-mt" name="migration-threshold" value="1"/></meta_attributes>'
s = rs(); mon_fail(s)
emit('monitor-failure-threshold-1', 'tomcat-service monitor failed once with migration-threshold 1: the whole group moves to rsha2', render(cfg(gmeta=MT1), s.values()))
s = rs(); mon_fail(s)
emit('monitor-failure-default-threshold', 'tomcat-service monitor failed once with the default migration-threshold: recovered in place', render(cfg(), s.values()))
s = rs(); fail_op(s['rsha1'], 'vm_repository', 'vm_repository_monitor_20000', 7, 20)
set_transient(s['rsha1'], **{'fail-count-vm_repository__monitor_20000': 1, 'last-failure-vm_repository__monitor_20000': 1735600000})
emit('first-member-monitor-failure', 'vm_repository (first member) monitor failed: it and every later member restart in place', render(cfg(), s.values()))

def start_fail(s, count):
    o = op(s['rsha1'], 'tomcat-service', 'tomcat-service_last_0')
    fail_op(s['rsha1'], 'tomcat-service', 'tomcat-service_last_0', 1, 20)
    mon = op(s['rsha1'], 'tomcat-service', 'tomcat-service_monitor_15000'); lrm_rsc(s['rsha1'], 'tomcat-service').remove(mon)
    set_transient(s['rsha1'], **{'fail-count-tomcat-service__start_0': count, 'last-failure-tomcat-service__start_0': 1735600000})
s = rs(); start_fail(s, 'INFINITY')
emit('start-failure-fatal', 'tomcat-service start failed on rsha1, start-failure-is-fatal (fail count INFINITY): the group moves to rsha2', render(cfg(), s.values()))
s = rs(); start_fail(s, 1)
emit('start-failure-not-fatal', 'tomcat-service start failed, start-failure-is-fatal=false (fail count 1, threshold INFINITY): retried in place',
     render(cfg(props='\n        <nvpair id="opt-sfif" name="start-failure-is-fatal" value="false"/>'), s.values()))

FT = '\n      <meta_attributes id="abiquo_rs-meta"><nvpair id="abiquo_rs-mt" name="migration-threshold" value="1"/><nvpair id="abiquo_rs-ft" name="failure-timeout" value="60s"/></meta_attributes>'
s = on_rsha2_states()
set_transient(s['rsha1'], **{'fail-count-tomcat-service__monitor_15000': 1, 'last-failure-tomcat-service__monitor_15000': 1735600000})
emit('failure-timeout-expired', 'Group moved to rsha2 after a tomcat failure on rsha1; failure-timeout 60s has expired: clear_failcount, no failback', render(cfg(gmeta=FT), s.values()))
s = on_rsha2_states()
set_transient(s['rsha1'], **{'fail-count-tomcat-service__monitor_15000': 1, 'last-failure-tomcat-service__monitor_15000': 1735689590})
emit('failure-timeout-pending', 'Group on rsha2, tomcat failure on rsha1 10 s ago with failure-timeout 60s: nothing to do yet', render(cfg(gmeta=FT), s.values()))

s = rs()
o = op(s['rsha1'], 'tomcat-service', 'tomcat-service_last_0'); o.set('operation', 'stop'); o.set('operation_key', 'tomcat-service_stop_0')
fail_op(s['rsha1'], 'tomcat-service', 'tomcat-service_last_0', 1, 21, status='2')
mon = op(s['rsha1'], 'tomcat-service', 'tomcat-service_monitor_15000'); lrm_rsc(s['rsha1'], 'tomcat-service').remove(mon)
set_transient(s['rsha1'], **{'fail-count-tomcat-service__stop_0': 'INFINITY', 'last-failure-tomcat-service__stop_0': 1735600000}, standby='on')
emit('failed-stop-no-stonith', 'tomcat-service stop timed out on rsha1 (moving off a standby node) without fencing: blocked, nothing scheduled',
     render(cfg(n1attrs='\n        <instance_attributes id="nodes-1"><nvpair id="nodes-1-standby" name="standby" value="on"/></instance_attributes>\n      '), s.values()))

emit('stonith-no-device', 'stonith-enabled=true without a fencing device on a fresh cluster: only probes', cfg(stonith='true', status=fresh_status))
FENCE = '''
      <primitive id="fence-rs" class="stonith" type="fence_dummy">
        <operations><op id="fence-rs-monitor-60s" name="monitor" interval="60s"/></operations>
      </primitive>'''
emit('stonith-device-fresh', 'stonith-enabled=true with a fencing device on a fresh cluster: everything starts', cfg(stonith='true', extra_rsc=FENCE, status=fresh_status))
RF = running_states(stonith='true', extra_rsc=FENCE)
s = copy.deepcopy(RF); down(s['rsha1'], 'member')
emit('unclean-node-stonith', 'rsha1 lost unexpectedly with fencing: fence rsha1, then the group starts on rsha2', render(cfg(stonith='true', extra_rsc=FENCE), s.values()))
s = copy.deepcopy(R); down(s['rsha1'], 'member')
emit('unclean-node-stonith-no-device', 'rsha1 lost unexpectedly, stonith enabled but no device: nothing can be recovered', render(cfg(stonith='true'), s.values()))

R2 = on_rsha2_states()
for pol in ['stop', 'freeze', 'ignore']:
    s = copy.deepcopy(R2); down(s['rsha2'], 'member')
    emit('no-quorum-' + pol, 'Group on rsha2, rsha2 lost, rsha1 alone without quorum, no-quorum-policy=%s' % pol, render(cfg(quorum='0', nqp=pol), s.values()))

s = rs()
emit('maintenance-mode', 'maintenance-mode=true: every recurring monitor cancelled, nothing moves', render(cfg(props='\n        <nvpair id="opt-mm" name="maintenance-mode" value="true"/>'), s.values()))
s = rs()
emit('maintenance-mode-standby', 'maintenance-mode=true with rsha2 in standby: monitors on rsha2 are not cancelled',
     render(cfg(props='\n        <nvpair id="opt-mm" name="maintenance-mode" value="true"/>', n2attrs='\n        <instance_attributes id="nodes-2"><nvpair id="nodes-2-standby" name="standby" value="on"/></instance_attributes>\n      '), s.values()))
s = rs()
emit('node-maintenance', 'rsha1 in maintenance: its resources unmanaged and their monitors cancelled, rsha2 untouched',
     render(cfg(n1attrs='\n        <instance_attributes id="nodes-1"><nvpair id="nodes-1-maint" name="maintenance" value="on"/></instance_attributes>\n      '), s.values()))
s = rs()
emit('target-role-stopped-middle', 'target-role=Stopped on ClusterIP (middle member): it and tomcat-service stop, vm_repository keeps running',
     render(cfg(ipmeta='\n          <meta_attributes id="ClusterIP-meta"><nvpair id="ClusterIP-tr" name="target-role" value="Stopped"/></meta_attributes>'), s.values()))
s = rs()
emit('unmanaged-group-standby', 'is-managed=false on the group and rsha1 in standby: the group stays, ping stops on rsha1',
     render(cfg(gmeta='\n      <meta_attributes id="abiquo_rs-meta"><nvpair id="abiquo_rs-im" name="is-managed" value="false"/></meta_attributes>',
                n1attrs='\n        <instance_attributes id="nodes-1"><nvpair id="nodes-1-standby" name="standby" value="on"/></instance_attributes>\n      '), s.values()))
for sc in [200, 400]:
    s = rs()
    emit('prefers-rsha2-%d' % sc, 'Location abiquo_rs prefers rsha2 %d against group stickiness 300: %s' % (sc, 'stays' if sc < 300 else 'moves'),
         render(cfg(extra_cons='\n      <rsc_location id="loc-prefer" rsc="abiquo_rs" node="rsha2" score="%d"/>' % sc), s.values()))
s = rs(); set_transient(s['rsha1'], shutdown=1735600000)
emit('shutdown-request', 'rsha1 asked to shut down: its resources stop and move, then shutdown rsha1', render(cfg(), s.values()))
s = copy.deepcopy(R2)
n1 = s['rsha1']
for r in list(n1.find('lrm').find('lrm_resources')): n1.find('lrm').find('lrm_resources').remove(r)
ta = n1.find('transient_attributes')
if ta is not None: n1.remove(ta)
emit('returning-node', 'rsha1 rejoins with an empty history while the group runs on rsha2: probes on rsha1, ping starts there, no failback', render(cfg(), s.values()))

DB = '''
      <primitive id="db" class="ocf" provider="heartbeat" type="Dummy">
        <operations><op id="db-monitor-10s" name="monitor" interval="10s"/></operations>
      </primitive>
      <primitive id="app" class="ocf" provider="heartbeat" type="Dummy">
        <operations><op id="app-monitor-10s" name="monitor" interval="10s"/></operations>
      </primitive>'''
def where(states, rid):
    for name, st in states.items():
        for r in st.iter('lrm_resource'):
            if r.get('id') == rid:
                for o in r.findall('lrm_rsc_op'):
                    if o.get('id') == rid + '_last_0' and o.get('operation') == 'start': return name
    return None
for kind in ['Mandatory', 'Optional']:
    oc = '\n      <rsc_order id="order-db-app" first="db" then="app" kind="%s"/>\n      <rsc_colocation id="col-app-db" rsc="app" with-rsc="db" score="INFINITY"/>' % kind
    s = running_states(extra_rsc=DB, extra_cons=oc)
    n = where(s, 'db')
    fail_op(s[n], 'db', 'db_monitor_10000', 7, 30)
    set_transient(s[n], **{'fail-count-db__monitor_10000': 1, 'last-failure-db__monitor_10000': 1735600000})
    emit('order-%s-restart' % kind.lower(), 'db monitor failed; %s order db then app: %s' % (kind, 'app restarts around db' if kind == 'Mandatory' else 'only db restarts'),
         render(cfg(extra_rsc=DB, extra_cons=oc), s.values()))

BJ = '''
      <primitive id="backup-job" class="ocf" provider="heartbeat" type="Dummy">
        <operations><op id="backup-job-monitor-30s" name="monitor" interval="30s"/></operations>
      </primitive>'''
AC = '\n      <rsc_colocation id="col-backup-not-rs" rsc="backup-job" with-rsc="abiquo_rs" score="-INFINITY"/>'
s = running_states(extra_rsc=BJ, extra_cons=AC)
emit('anti-colocation-running', 'backup-job with abiquo_rs -INFINITY on two nodes: runs on rsha2, nothing to do', render(cfg(extra_rsc=BJ, extra_cons=AC), s.values()))
s2 = copy.deepcopy(s); down(s2['rsha2'], 'down')
emit('anti-colocation-one-node', 'backup-job with abiquo_rs -INFINITY, rsha2 left: backup-job stops, the group is untouched', render(cfg(extra_rsc=BJ, extra_cons=AC), s2.values()))
s2 = copy.deepcopy(s); down(s2['rsha1'], 'down')
emit('anti-colocation-primary-moves', 'backup-job with abiquo_rs -INFINITY, rsha1 left: the group takes rsha2 and backup-job stops', render(cfg(extra_rsc=BJ, extra_cons=AC), s2.values()))

LM = '\n      <rsc_location id="loc-tomcat-not-rsha2" rsc="tomcat-service" node="rsha2" score="-INFINITY"/>'
s = rs()
emit('last-member-banned-elsewhere-standby', 'tomcat-service banned from rsha2 and rsha1 in standby: vm_repository and ClusterIP move to rsha2, tomcat-service stops',
     render(cfg(extra_cons=LM, n1attrs='\n        <instance_attributes id="nodes-1"><nvpair id="nodes-1-standby" name="standby" value="on"/></instance_attributes>\n      '), s.values()))
LM1 = '\n      <rsc_location id="loc-tomcat-not-rsha1" rsc="tomcat-service" node="rsha1" score="-INFINITY"/>'
s = rs()
emit('last-member-banned-here', 'tomcat-service banned from rsha1 where the group runs: the whole group moves to rsha2', render(cfg(extra_cons=LM1), s.values()))
s = rs()
emit('clone-max-1', 'ping-clone with clone-max=1 on a fresh cluster: one instance, probes on both nodes',
     cfg(status=fresh_status).replace('<clone id="ping-clone">', '<clone id="ping-clone">\n        <meta_attributes id="ping-clone-meta"><nvpair id="ping-clone-max" name="clone-max" value="1"/></meta_attributes>'))
s = rs(); set_transient(s['rsha1'], **{'fail-count-tomcat-service__monitor_15000': 1})
emit('legacy-feature-set', 'Per-operation fail count with migration-threshold 1 but no crm_feature_set on the CIB: ignored, nothing moves',
     render(cfg(gmeta=MT1), s.values()).replace(' crm_feature_set="3.16.1"', '', 1))
s = rs(); set_transient(s['rsha1'], **{'fail-count-tomcat-service': 1})
emit('legacy-failcount-name', 'Legacy fail-count-tomcat-service 1 with migration-threshold 1: the group moves', render(cfg(gmeta=MT1), s.values()))
