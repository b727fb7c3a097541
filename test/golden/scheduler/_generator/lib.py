import subprocess, tempfile, os, re
import xml.etree.ElementTree as ET
from base import cfg, ns

def simulate(xml, when='2024-12-31T23:00:00Z'):
    with tempfile.TemporaryDirectory() as d:
        i = os.path.join(d, 'in.xml'); o = os.path.join(d, 'out.xml')
        open(i, 'w').write(xml)
        subprocess.run(['crm_simulate', '-x', i, '-S', '-O', o, '-t', when, '-Q'], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return open(o).read()

def status_of(xml):
    """node_state elements (as strings) from a CIB."""
    root = ET.fromstring(xml)
    out = {}
    for n in root.find('status').findall('node_state'):
        for k in list(n.attrib):
            if k.startswith('crm-debug') : del n.attrib[k]
        out[n.get('uname')] = n
    return out

def strip(e):
    for el in e.iter():
        if 'crm-debug-origin' in el.attrib: del el.attrib['crm-debug-origin']
    return e

def render(config_xml, states):
    """config_xml: full cib with empty status; states: list of node_state Elements"""
    root = ET.fromstring(config_xml)
    st = root.find('status')
    for c in list(st): st.remove(c)
    for s in states: st.append(strip(s))
    ET.indent(root, '  ')
    return ET.tostring(root, encoding='unicode') + '\n'

def set_transient(state, **attrs):
    ta = state.find('transient_attributes')
    if ta is None:
        ta = ET.SubElement(state, 'transient_attributes', id=state.get('id'))
        ET.SubElement(ta, 'instance_attributes', id='status-' + state.get('id'))
    ia = ta.find('instance_attributes')
    for k, v in attrs.items():
        k = k.replace('__', '#')
        for nv in ia.findall('nvpair'):
            if nv.get('name') == k: ia.remove(nv)
        ET.SubElement(ia, 'nvpair', id='status-%s-%s' % (state.get('id'), re.sub('[^A-Za-z0-9_.-]', '_', k)), name=k, value=str(v))

def lrm_rsc(state, rid):
    for r in state.iter('lrm_resource'):
        if r.get('id') == rid: return r
    raise KeyError(rid)

def op(state, rid, opid):
    for o in lrm_rsc(state, rid).findall('lrm_rsc_op'):
        if o.get('id') == opid: return o
    raise KeyError(opid)

def fail_op(state, rid, opid, rc, call_id, when=1735600000, status='0'):
    """Mark an op record failed the way the controller writes it, plus a last_failure record."""
    o = op(state, rid, opid)
    o.set('rc-code', str(rc)); o.set('op-status', status); o.set('call-id', str(call_id))
    o.set('last-rc-change', str(when))
    tk = o.get('transition-key')
    o.set('transition-magic', '%s:%d;%s' % (status, rc, tk))
    f = ET.SubElement(lrm_rsc(state, rid), 'lrm_rsc_op', dict(o.attrib))
    f.set('id', rid + '_last_failure_0')
    return o

def fix_times(xml, when=1735600000):
    return re.sub(r'(last-rc-change|last-run)="\d+"', lambda m: '%s="%d"' % (m.group(1), when), xml)
