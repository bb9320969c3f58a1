/**
 * The demo CRIC snapshot: ~30 PanDA queues in the real pandaqueue query shape (one object keyed by
 * queue name, the usual 91 fields). Names and typical values follow public ATLAS queues; the
 * records themselves are written here.
 */
import type { QueueInfo } from './job-record.js';

interface Row {
  name: string;
  site: string;
  pandaSite: string;
  cloud: string;
  tier: string;
  status: 'online' | 'test' | 'brokeroff' | 'offline';
  type: 'unified' | 'production' | 'analysis' | 'special';
  resource: 'GRID' | 'hpc' | 'cloud' | 'gpu';
  copytools: string[];
  corecount: number;
  maxrss: number;
  maxtime: number;
  timefloor: number;
  corepower: number;
  rse: string;
  storageHost: string;
  wnDomain: string;
  country: string;
}

/** name|site|cloud|tier|status|type|resource|copytools|corecount|maxrss MB|maxtime s|timefloor min|corepower|RSE|storage host|WN domain|country */
const TABLE = [
  'AGLT2|AGLT2|US|T2D|online|unified|GRID|rucio|8|48000|258000|200|13.51|AGLT2_DATADISK|dcdoor16.aglt2.org|aglt2.org|United States',
  'BNL|BNL-ATLAS|US|T1|online|unified|GRID|rucio|8|32000|345600|60|11.87|BNL-OSG2_DATADISK|dcgftp.usatlas.bnl.gov|usatlas.bnl.gov|United States',
  'BNL_PROD_INTEL|BNL-ATLAS|US|T1|test|production|GRID|rucio|8|16000|172800|0|12.4|BNL-OSG2_DATADISK|dcgftp.usatlas.bnl.gov|usatlas.bnl.gov|United States',
  'BNL_OPP|BNL-ATLAS|US|T1|brokeroff|unified|GRID|rucio|8|16000|86400|0|11.87|BNL-OSG2_DATADISK|dcgftp.usatlas.bnl.gov|usatlas.bnl.gov|United States',
  'ANALY_BNL_VP|BNL-ATLAS|US|T1|online|analysis|GRID|rucio+xrdcp|1|2000|172800|60|11.87|BNL-OSG2_SCRATCHDISK|dcxrd.usatlas.bnl.gov|usatlas.bnl.gov|United States',
  'MWT2|MWT2|US|T2D|online|unified|GRID|rucio|8|32000|259200|120|14.2|MWT2_DATADISK|uct2-s14.mwt2.org|mwt2.org|United States',
  'SWT2_CPB|SWT2|US|T2D|online|unified|GRID|rucio|8|16000|259200|60|10.91|SWT2_CPB_DATADISK|gk03.atlas-swt2.org|local|United States',
  'NET2_Amherst|NET2|US|T2D|test|unified|GRID|rucio|8|32000|259200|60|16.3|NET2_DATADISK|storage.net2.mghpcc.org|net2.mghpcc.org|United States',
  'SLAC|WT2|US|T2D|brokeroff|unified|GRID|rucio|8|32000|259200|60|15.1|SLACXRD_DATADISK|griddev.slac.stanford.edu|slac.stanford.edu|United States',
  'NERSC_Perlmutter_MCORE|NERSC|US|T3|online|unified|hpc|mv|32|128000|172800|0|20.4|NERSC_DATADISK|dtn01.nersc.gov|nersc.gov|United States',
  'CERN|CERN-PROD|CERN|T0|online|unified|GRID|rucio+xrdcp|8|32000|259200|60|13.7|CERN-PROD_DATADISK|eosatlas.cern.ch|cern.ch|Switzerland',
  'CERN-T0|CERN-PROD|CERN|T0|online|special|GRID|xrdcp|8|32000|172800|0|13.7|CERN-PROD_TZDISK|eosatlas.cern.ch|cern.ch|Switzerland',
  'CERN-GPU|CERN-PROD|CERN|T0|test|analysis|gpu|rucio|4|16000|86400|0|13.7|CERN-PROD_SCRATCHDISK|eosatlas.cern.ch|cern.ch|Switzerland',
  'FZK-LCG2|FZK-LCG2|DE|T1|online|unified|GRID|rucio|8|20000|345600|60|12.9|FZK-LCG2_DATADISK|atlassrm-fzk.gridka.de|gridka.de|Germany',
  'DESY-HH|DESY-HH|DE|T2D|online|unified|GRID|gfalcopy+rucio|8|16000|259200|60|12.2|DESY-HH_DATADISK|dcache-se-atlas.desy.de|desy.de|Germany',
  'LRZ-LMU|LRZ-LMU|DE|T2D|online|unified|GRID|rucio|8|16000|172800|30|11.6|LRZ-LMU_DATADISK|lcg-lrz-dc66.grid.lrz.de|grid.lrz.de|Germany',
  'UNI-FREIBURG|UNI-FREIBURG|DE|T2D|online|unified|GRID|rucio|8|24000|259200|60|13.1|UNI-FREIBURG_DATADISK|se.bfg.uni-freiburg.de|bfg.uni-freiburg.de|Germany',
  'GoeGrid|GoeGrid|DE|T2D|offline|unified|GRID|rucio|8|16000|172800|30|10.2|GOEGRID_DATADISK|se-goegrid.gwdg.de|gwdg.de|Germany',
  'RAL|RAL-LCG2|UK|T1|online|unified|GRID|rucio+xrdcp|8|32000|259200|60|13.3|RAL-LCG2-ECHO_DATADISK|xrootd.echo.stfc.ac.uk|gridpp.rl.ac.uk|United Kingdom',
  'UKI-NORTHGRID-MAN-HEP|UKI-NORTHGRID-MAN-HEP|UK|T2D|online|unified|GRID|rucio|8|16000|259200|60|11.2|UKI-NORTHGRID-MAN-HEP_DATADISK|bohr3226.tier2.hep.manchester.ac.uk|tier2.hep.manchester.ac.uk|United Kingdom',
  'UKI-SCOTGRID-GLASGOW_CEPH|UKI-SCOTGRID-GLASGOW|UK|T2D|online|unified|GRID|gfalcopy+rucio|8|16000|259200|60|12.0|UKI-SCOTGRID-GLASGOW-CEPH_DATADISK|ceph-gw1.gla.scotgrid.ac.uk|gla.scotgrid.ac.uk|United Kingdom',
  'IN2P3-CC|IN2P3-CC|FR|T1|online|unified|GRID|rucio|8|24000|259200|60|12.5|IN2P3-CC_DATADISK|ccdcatli025.in2p3.fr|in2p3.fr|France',
  'GRIF-IRFU|GRIF|FR|T2D|online|unified|GRID|gfalcopy|8|16000|172800|30|11.4|GRIF-IRFU_DATADISK|node12.datagrid.cea.fr|datagrid.cea.fr|France',
  'TOKYO|TOKYO-LCG2|FR|T2D|online|unified|GRID|rucio|8|32000|259200|120|14.8|TOKYO-LCG2_DATADISK|lcg-se01.icepp.jp|icepp.jp|Japan',
  'INFN-CNAF|INFN-T1|IT|T1|online|unified|GRID|rucio|8|24000|259200|60|12.8|INFN-T1_DATADISK|xfer-atlas.cr.cnaf.infn.it|cr.cnaf.infn.it|Italy',
  'ANALY_INFN-GENOVA|INFN-GENOVA|IT|T3|test|analysis|GRID|rucio|1|2000|172800|0|9.8|INFN-GENOVA_SCRATCHDISK|atlasse.ge.infn.it|ge.infn.it|Italy',
  'pic|pic|ES|T1|online|unified|GRID|rucio|8|16000|259200|60|13.0|PIC_DATADISK|dcdoor12.pic.es|pic.es|Spain',
  'TRIUMF|TRIUMF-LCG2|CA|T1|online|unified|GRID|xrdcp|8|24000|259200|60|12.1|TRIUMF-LCG2_DATADISK|xrootd.lcg.triumf.ca|lcg.triumf.ca|Canada',
  'CA-SFU-T2|CA-SFU-T2|CA|T2D|brokeroff|unified|GRID|rucio|8|16000|172800|30|11.0|CA-SFU-T2_DATADISK|griddev.westgrid.ca|westgrid.ca|Canada',
  'NIKHEF|NIKHEF-ELPROD|NL|T1|online|unified|GRID|rucio|8|16000|259200|60|12.6|NIKHEF-ELPROD_DATADISK|tbn18.nikhef.nl|nikhef.nl|Netherlands',
  'NSC|NDGF-T1|ND|T1|online|production|GRID|mv|8|16000|172800|0|14.0|NDGF-T1_DATADISK|dcache.ndgf.org|nsc.liu.se|Sweden',
  'JINR|JINR-LCG2|RU|T2D|online|unified|GRID|rucio|8|16000|172800|30|10.7|JINR-LCG2_DATADISK|se01.jinr.ru|jinr.ru|Russia',
];

export const QUEUES: Row[] = TABLE.map((line) => {
  const [name, site, cloud, tier, status, type, resource, tools, corecount, maxrss, maxtime, timefloor, corepower, rse, storageHost, wnDomain, country] =
    line.split('|') as [
      string,
      string,
      string,
      string,
      Row['status'],
      Row['type'],
      Row['resource'],
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
  return {
    name,
    site,
    pandaSite: site,
    cloud,
    tier,
    status,
    type,
    resource,
    copytools: tools.split('+'),
    corecount: Number(corecount),
    maxrss: Number(maxrss),
    maxtime: Number(maxtime),
    timefloor: Number(timefloor),
    corepower: Number(corepower),
    rse,
    storageHost,
    wnDomain,
    country,
  };
});

export function queueInfo(name: string): QueueInfo {
  const row = QUEUES.find((q) => q.name === name);
  if (!row) throw new Error(`demo queue ${name} is not in the CRIC table`);
  return {
    name: row.name,
    cloud: row.cloud,
    rse: row.rse,
    copytool: row.copytools[0] ?? 'rucio',
    storageHost: row.storageHost,
    wnDomain: row.wnDomain,
    corecount: row.corecount,
    maxrss: row.maxrss,
    timefloor: row.timefloor,
  };
}

const TIER_LEVEL: Record<string, number> = { T0: 0, T1: 1, T2: 2, T2D: 2, T3: 3 };

function record(row: Row, id: number, lastModified: string): Record<string, unknown> {
  const scratch = row.rse.replace(/_[A-Z]+DISK$/, '_SCRATCHDISK');
  const acopy = { pr: row.copytools, pw: row.copytools.slice().reverse(), read_lan: row.copytools, write_lan: row.copytools };
  return {
    acopytools: acopy,
    allow_lan: true,
    allow_wan: row.type === 'analysis',
    appdir: '',
    astorages: { pr: [row.rse], pw: [row.rse], read_lan: [row.rse], write_lan: [row.rse], write_lan_analysis: [scratch] },
    atlas_site: row.site,
    availablecpu: null,
    cachedse: null,
    capability: row.corecount > 1 ? 'ucore' : 'score',
    catchall: '',
    cloud: row.cloud,
    comment: row.status === 'online' ? 'no active blacklisting rules defined' : `set ${row.status} by the ADC shifter`,
    container_options: '',
    container_type: row.resource === 'hpc' ? 'apptainer:pilot' : 'singularity:pilot',
    copytools: Object.fromEntries(row.copytools.map((t) => [t, { setup: '' }])),
    corecount: row.corecount,
    coreenergy: 10.0,
    corepower: row.corepower,
    corepower_data: { corepower: row.corepower, corepower_on: true, scope: 'local' },
    country: row.country,
    countrygroup: '',
    depthboost: null,
    description: `${row.type === 'analysis' ? 'Analysis' : 'Grand Unified'} queue at ${row.site}`,
    direct_access_lan: row.type === 'analysis',
    direct_access_wan: false,
    environ: '',
    fairsharepolicy: '',
    gocname: row.site,
    gstat: row.site,
    harvester: row.resource === 'hpc' ? 'NERSC_central' : 'CERN_central_A',
    harvester_template: '',
    hc_param: 'AutoExclusion',
    hc_suite: row.type === 'analysis' ? ['AFT'] : ['AFT', 'PFT'],
    id,
    is_cvmfs: true,
    is_default: true,
    is_virtual: false,
    jobseed: 'std',
    last_modified: lastModified,
    localqueue: '',
    maxdiskio: 5000,
    maxinputsize: 16000,
    maxrss: row.maxrss,
    maxtime: row.maxtime,
    maxwdir: row.corecount * 12000,
    meanrss: 2000,
    minrss: 0,
    mintime: 0,
    name: row.name,
    nickname: row.name,
    nodes: 100 + (id % 300),
    panda_resource: row.name,
    panda_site: row.pandaSite,
    params: { unified_dispatch: row.type === 'unified', pilot_rss_grace: 2 },
    parent: `${row.pandaSite}_VIRTUAL`,
    pilot_manager: 'Harvester',
    pilot_version: '3.10.5.57',
    pledgedcpu: null,
    probe: null,
    python_version: '3',
    queuehours: 0,
    queues: [
      {
        ce_endpoint: `ce01.${row.wnDomain}:9619`,
        ce_flavour: row.resource === 'hpc' ? 'SLURM' : 'HTCONDOR-CE',
        ce_id: 1000 + id,
        ce_jobmanager: 'condor',
        ce_name: `${row.site}-CE-HTCONDOR-CE-ce01.${row.wnDomain}`,
        ce_queue_id: 400 + id,
        ce_queue_maxcputime: 0,
        ce_queue_maxwctime: Math.round(row.maxtime / 60),
        ce_queue_name: row.type === 'analysis' ? 'analy' : 'prod',
        ce_queue_status: 'production',
        ce_state: 'ACTIVE',
        ce_status: 'production',
        ce_version: '23.0.4',
      },
    ],
    rc: `${row.cloud}-${row.site}`,
    rc_country: row.country,
    rc_site: row.site,
    rc_site_state: 'ACTIVE',
    region: row.cloud,
    releases: ['AUTO'],
    resource_type: row.resource,
    site: row.pandaSite,
    site_state: 'ACTIVE',
    siteid: row.name,
    special_par: '',
    state: 'ACTIVE',
    state_comment: '',
    state_update: lastModified,
    status: row.status,
    tier: row.tier,
    tier_level: TIER_LEVEL[row.tier] ?? 2,
    timefloor: row.timefloor,
    transferringlimit: 3000,
    type: row.type,
    uconfig: {},
    use_pcache: false,
    validatedreleases: 'True',
    vo_name: 'atlas',
    wnconnectivity: 'full#IPv4',
    workflow: row.resource === 'hpc' || row.name === 'NSC' ? 'push' : 'pull_ups',
    zip_time_gap: 3600,
  };
}

/** The `/api/atlas/pandaqueue/query/?json` answer. */
export function cricSnapshot(lastModified: string): Record<string, Record<string, unknown>> {
  return Object.fromEntries(QUEUES.map((row, i) => [row.name, record(row, 700 + i * 7, lastModified)]));
}
