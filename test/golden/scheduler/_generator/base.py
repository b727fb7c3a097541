import sys
CFG = '''<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.8" epoch="10" num_updates="0" admin_epoch="0" have-quorum="{quorum}" dc-uuid="1">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="opt-stonith-enabled" name="stonith-enabled" value="{stonith}"/>
        <nvpair id="opt-no-quorum-policy" name="no-quorum-policy" value="{nqp}"/>{props}
      </cluster_property_set>
    </crm_config>
    <nodes>
      <node id="1" uname="rsha1">{n1attrs}</node>
      <node id="2" uname="rsha2">{n2attrs}</node>
    </nodes>
    <resources>
      <group id="abiquo_rs">{gmeta}
        <primitive id="vm_repository" class="ocf" provider="heartbeat" type="Filesystem">
          <instance_attributes id="vm_repository-ia">
            <nvpair id="vm_repository-ia-device" name="device" value="nfs.example.com:/export/repo"/>
            <nvpair id="vm_repository-ia-directory" name="directory" value="/opt/vm_repository"/>
            <nvpair id="vm_repository-ia-fstype" name="fstype" value="nfs"/>
          </instance_attributes>
          <operations>
            <op id="vm_repository-monitor-20s" name="monitor" interval="20s" timeout="40s"/>
          </operations>
        </primitive>
        <primitive id="ClusterIP" class="ocf" provider="heartbeat" type="IPaddr2">
          <instance_attributes id="ClusterIP-ia">
            <nvpair id="ClusterIP-ia-ip" name="ip" value="192.0.2.10"/>
            <nvpair id="ClusterIP-ia-cidr" name="cidr_netmask" value="24"/>
          </instance_attributes>{ipmeta}
          <operations>
            <op id="ClusterIP-monitor-30s" name="monitor" interval="30s"/>
          </operations>
        </primitive>
        <primitive id="tomcat-service" class="lsb" type="abiquo-tomcat">{tmeta}
          <operations>
            <op id="tomcat-service-monitor-15s" name="monitor" interval="15s" timeout="30s"/>{tstop}
          </operations>
        </primitive>
      </group>
      <clone id="ping-clone">
        <primitive id="ping" class="ocf" provider="pacemaker" type="ping">
          <instance_attributes id="ping-ia">
            <nvpair id="ping-ia-host_list" name="host_list" value="192.0.2.1"/>
            <nvpair id="ping-ia-multiplier" name="multiplier" value="1000"/>
            <nvpair id="ping-ia-dampen" name="dampen" value="5s"/>
          </instance_attributes>
          <operations>
            <op id="ping-monitor-10s" name="monitor" interval="10s" timeout="60s"/>
          </operations>
        </primitive>
      </clone>{extra_rsc}
    </resources>
    <constraints>
      <rsc_colocation id="colocation-abiquo_rs-ping-clone-INFINITY" rsc="abiquo_rs" with-rsc="ping-clone" score="INFINITY"/>{extra_cons}
    </constraints>
    <rsc_defaults>
      <meta_attributes id="rsc_defaults-options">
        <nvpair id="rsc_defaults-stickiness" name="resource-stickiness" value="{stick}"/>
      </meta_attributes>
    </rsc_defaults>
  </configuration>
  <status>{status}
  </status>
</cib>
'''
def cfg(quorum='1', stonith='false', nqp='ignore', props='', n1attrs='', n2attrs='', gmeta='', ipmeta='', tmeta='', tstop='', extra_rsc='', extra_cons='', stick='100', status=''):
    return CFG.format(**locals())
def ns(name, nid, inccm='true', crmd='online', join='member', expected='member', attrs='', lrm=''):
    t = f'\n      <transient_attributes id="{nid}"><instance_attributes id="status-{nid}">{attrs}</instance_attributes></transient_attributes>' if attrs else ''
    return f'''
    <node_state id="{nid}" uname="{name}" in_ccm="{inccm}" crmd="{crmd}" join="{join}" expected="{expected}">{t}
      <lrm id="{nid}"><lrm_resources>{lrm}</lrm_resources></lrm>
    </node_state>'''
if __name__ == '__main__':
    print(cfg(status=ns('rsha1','1')+ns('rsha2','2')))
