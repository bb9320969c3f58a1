/** payload.stdout for payload failures: the ATLAS transform's log, or the analysis wrapper's output. */
import { pilotTime } from './rng.js';
import type { Job } from './scenario.js';

export function transformStdout(job: Job): string {
  const start = (job.spec.start ?? job.p.t) + 90_000;
  let t = start;
  const line = (logger: string, level: string, message: string, step = 800): string => {
    t += step;
    return `${logger} ${pilotTime(t)} ${level} ${message}`;
  };
  const run = job.c.inputs[0]?.lfn ?? 'RAW';
  return `${[
    line('PyJobTransforms.transform.__init__', 'INFO', 'Transform Reco_tf.py version 24.0.53 started'),
    line('PyJobTransforms.trfArgs', 'INFO', `Input file argument --inputBSFile=['${run}']`),
    line('PyJobTransforms.transform.execute', 'INFO', 'Starting execution of RAWtoALL (athena.py)'),
    line('PyJobTransforms.trfExe.preExecute', 'INFO', 'Batch/grid running - command outputs will not be echoed. Logs for RAWtoALL are in log.RAWtoALL'),
    'Py:Athena            INFO using release [Athena-24.0.53] [x86_64-el9-gcc13-opt] [24.0/76b9cbf] -- built on [2025-09-02T1802]',
    'IOVDbSvc             INFO Opening COOL connection for COOLONL_INDET/CONDBR2',
    'IOVDbSvc             INFO Folder /Indet/Beampos (PoolRef) db-read 1/1 objs/chan/bytes 1/1/156 ((     0.04 ))s',
    'IOVDbFolder         ERROR No valid IOV found for folder /LAR/ElecCalibFlat/Pedestal at run 485051 lumiblock 412 (tag LARElecCalibFlatPedestal-RUN2-UPD3-00)',
    'IOVDbSvc            ERROR loadAddress failed for folder /LAR/ElecCalibFlat/Pedestal',
    'ServiceManager      FATAL Unable to initialize service "IOVDbSvc"',
    'AthenaEventLoopMgr  ERROR Failed to initialize conditions for the first event',
    'ApplicationMgr      ERROR Application Manager Terminated with error code 8',
    line('PyJobTransforms.trfExe.validate', 'ERROR', 'Validation of return code failed: Non-zero return code from RAWtoALL (8)', 120_000),
    line('PyJobTransforms.transform.execute', 'CRITICAL', 'Transform executor raised TransformExecutionException: Non-zero return code from RAWtoALL (8)'),
    line('PyJobTransforms.transform.execute', 'INFO', 'Writing job report'),
    line('PyJobTransforms.trfExitCodes', 'INFO', 'Transform exit code 65 (TRF_EXEC_FAIL): Non-zero exit code from transform substep executor'),
    line('PyJobTransforms.transform.__init__', 'INFO', 'Reco_tf.py exit code 65, exit message: Non-zero return code from RAWtoALL (8)'),
  ].join('\n')}\n`;
}

export function userStdout(job: Job): string {
  const input = job.c.inputs[0];
  return `${[
    job.c.wn,
    '=== start with build timestamp: 2025-09-30 10:12:44 ===',
    '=== parameters ===',
    `  -i "['${input?.lfn}']"`,
    '  -p "python3 run_analysis.py --files %IN"',
    '=== execute ===',
    'Using AnalysisBase/25.2.30 [cmake] with platform x86_64-el9-gcc13-opt',
    'python3 run_analysis.py --files input.txt',
    `EventLoop                 INFO    Opening file root://${job.c.storageHost}:1094//atlas/rucio/${input?.scope}/${input?.lfn}`,
    'MyAnalysisAlg             INFO    Initializing with 24 systematics',
    "MyAnalysisAlg             ERROR   /build/MyAnalysis/Root/MyAnalysisAlg.cxx:211 (StatusCode MyAnalysisAlg::initialize()): Failed to find branch AnalysisElectronsAuxDyn.DFCommonElectronsECIDS in input tree 'CollectionTree'",
    'MyAnalysisAlg             ERROR   Failed to call initialize',
    'EventLoop                 ERROR   Failed to call processInputs',
    'abort EL_JOBID=0',
    `=== ls in run dir : ${job.c.workdir}/PanDA_Pilot-${job.c.pandaid} ===`,
    'input.txt  run_analysis.py  MyAnalysis',
    '==== Result ====',
    'execute script: Running script failed : StatusCode=1',
  ].join('\n')}\n`;
}
